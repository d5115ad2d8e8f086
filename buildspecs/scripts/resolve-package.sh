#!/usr/bin/env bash
# Finds the exact package this deploy is for and the git revision it was built from, and prints
# PACKAGE_BUCKET PACKAGE_KEY PACKAGE_VERSION_ID PACKAGE_SHA256 GIT_REVISION as NAME='value' lines.
#
# First account: the build's exported variables arrive as PACKAGE_BUCKET/PACKAGE_KEY/
# PACKAGE_VERSION_ID. Other accounts: the pipeline's S3 source is the drop key, so the bucket is
# ARTIFACT_BUCKET, the key drop/<FUNCTION_NAME>.zip, and the version CodeBuild's
# CODEBUILD_RESOLVED_SOURCE_VERSION (the drop key's object version id).
# The git revision is read from the object version's metadata (git-revision), never guessed.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_deploy_environment
bucket="${PACKAGE_BUCKET:-$ARTIFACT_BUCKET}"
if is_set PACKAGE_KEY; then
  key="$PACKAGE_KEY"
  version="$PACKAGE_VERSION_ID"
else
  key="drop/${FUNCTION_NAME}.zip"
  version="${PACKAGE_VERSION_ID:-$CODEBUILD_RESOLVED_SOURCE_VERSION}"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
answer="$work/inspect.json"
log "inspecting s3://$bucket/$key version $version"
if ! promoter inspect --bucket "$bucket" --key "$key" --version-id "$version" --json >"$answer"; then
  cat "$answer" >&2 || true
  die "cannot read s3://$bucket/$key version $version (its JSON answer is above)"
fi

revision="$(jq -r '.metadata."git-revision" // empty' "$answer")"
[[ "$revision" =~ ^[0-9a-f]{40}$ ]] \
  || die "s3://$bucket/$key version $version has no valid git-revision metadata (\"$revision\"): it was not published by artifact-promoter"
if is_set GIT_REVISION && [[ "$GIT_REVISION" != "$revision" ]]; then
  die "this pipeline carries revision $GIT_REVISION but s3://$bucket/$key version $version was built from $revision"
fi
answered_version="$(jq -r '.versionId // empty' "$answer")"
[[ -z "$answered_version" || "$answered_version" == "$version" ]] \
  || die "asked for version $version of s3://$bucket/$key, the CLI answered for $answered_version"

log "package s3://$bucket/$key version $version, git revision $revision"
jq -n --arg bucket "$bucket" --arg key "$key" --arg version "$version" --slurpfile inspected "$answer" \
  '{PACKAGE_BUCKET: $bucket, PACKAGE_KEY: $key, PACKAGE_VERSION_ID: $version,
    PACKAGE_SHA256: ($inspected[0].sha256 // $inspected[0].metadata.sha256),
    GIT_REVISION: $inspected[0].metadata."git-revision"}' >"$work/variables.json"
shell_assignments "$work/variables.json" '.'
