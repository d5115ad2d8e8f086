#!/usr/bin/env bash
# Finds the exact package this deploy is for and the git revision it was built from, and prints
# PACKAGE_BUCKET PACKAGE_KEY PACKAGE_VERSION_ID PACKAGE_SHA256 GIT_REVISION as NAME='value' lines.
#
# Which object: PACKAGE_BUCKET (or ARTIFACT_BUCKET) and PACKAGE_KEY (or drop/<FUNCTION_NAME>.zip);
# which version: PACKAGE_VERSION_ID, else CodeBuild's CODEBUILD_RESOLVED_SOURCE_VERSION when the
# source is S3 (the drop key's object version id), else, for an immutable release key only, its
# one version. A mutable key (the drop key) without a version is refused: "the newest" is not
# what this execution carried.
# The git revision is read from that version's metadata (git-revision), never guessed, and
# checked against GIT_REVISION / SOURCE_REVISION when the pipeline passes them.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_deploy_environment
bucket="$(package_bucket)"
key="$(package_key)"
version="$(package_version)"
if [[ -z "$version" && "$key" != releases/* ]]; then
  die "no object version for s3://$bucket/$key: set PACKAGE_VERSION_ID (a mutable key is never deployed as \"the newest\")"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
answer="$work/inspect.json"
inspect=(inspect --bucket "$bucket" --key "$key")
[[ -z "$version" ]] || inspect+=(--version-id "$version")
log "inspecting s3://$bucket/$key version ${version:-(the only version of the release)}"
if ! promoter "${inspect[@]}" --json >"$answer"; then
  cat "$answer" >&2 || true
  die "cannot read s3://$bucket/$key version ${version:-(current)} (its JSON answer is above)"
fi
answered_version="$(jq -r '.versionId // empty' "$answer")"
if [[ -z "$version" ]]; then
  [[ -n "$answered_version" ]] || die "s3://$bucket/$key has no version id: the artifact bucket must be versioned"
  version="$answered_version"
fi
[[ "$answered_version" == "$version" ]] \
  || die "asked for version $version of s3://$bucket/$key, the CLI answered for ${answered_version:-no version}"

revision="$(jq -r '.metadata."git-revision" // empty' "$answer")"
[[ "$revision" =~ ^[0-9a-f]{40}$ ]] \
  || die "s3://$bucket/$key version $version has no valid git-revision metadata (\"$revision\"): it was not published by artifact-promoter"
if is_set GIT_REVISION && [[ "$GIT_REVISION" != "$revision" ]]; then
  die "this pipeline carries revision $GIT_REVISION but s3://$bucket/$key version $version was built from $revision"
fi
# SOURCE_REVISION is what the execution's source resolved: a commit (git) or a version id (S3).
if is_set SOURCE_REVISION; then
  if [[ "$SOURCE_REVISION" =~ ^[0-9a-f]{40}$ ]]; then
    [[ "$SOURCE_REVISION" == "$revision" ]] \
      || die "this execution's source is commit $SOURCE_REVISION but s3://$bucket/$key version $version was built from $revision"
  else
    [[ "$SOURCE_REVISION" == "$version" ]] \
      || die "this execution's source is version $SOURCE_REVISION of the drop key, not $version"
  fi
fi

log "package s3://$bucket/$key version $version, git revision $revision"
jq -n --arg bucket "$bucket" --arg key "$key" --arg version "$version" --slurpfile inspected "$answer" \
  '{PACKAGE_BUCKET: $bucket, PACKAGE_KEY: $key, PACKAGE_VERSION_ID: $version,
    PACKAGE_SHA256: ($inspected[0].sha256 // $inspected[0].metadata.sha256),
    GIT_REVISION: $inspected[0].metadata."git-revision"}' >"$work/variables.json"
shell_assignments "$work/variables.json" '.'
