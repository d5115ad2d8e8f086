#!/usr/bin/env bash
# Publishes a built package to the first account's artifact bucket with the CLI (release key
# and drop key, git metadata, SHA-256), checks what the CLI reports, and prints the build's
# exported variables as NAME='value' lines for the buildspec to source:
#   GIT_REVISION PACKAGE_SHA256 PACKAGE_BUCKET PACKAGE_KEY PACKAGE_VERSION_ID DROP_KEY DROP_VERSION_ID
# PACKAGE_* name the immutable release object, the one the first account deploys.
#
#   publish-package.sh PACKAGE_FILE
#
# Needs FUNCTION_NAME and ARTIFACT_BUCKET (or PACKAGE_BUCKET); ARTIFACT_KMS_KEY_ARN (or
# PACKAGE_KMS_KEY_ARN) to name the SSE-KMS key, else the bucket's default encryption applies;
# PROMOTION_SIGNING_KEY_ARN to sign the package's provenance.
# Git facts come from CodeBuild (CODEBUILD_RESOLVED_SOURCE_VERSION, CODEBUILD_SOURCE_REPO_URL,
# CODEBUILD_WEBHOOK_HEAD_REF, CODEBUILD_BUILD_ID) or the git checkout in the current directory,
# which the CLI reads itself. PUBLISH_RESULT_FILE keeps the CLI's JSON (default publish.json).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# == 1)) || die "usage: publish-package.sh PACKAGE_FILE"
package="$1"
[[ -f "$package" ]] || die "package $package does not exist"
require_env FUNCTION_NAME
bucket="$(artifact_bucket)"
[[ -n "$bucket" ]] || die "required environment variable missing or empty: ARTIFACT_BUCKET (or PACKAGE_BUCKET)"
kms_key_arn="$(artifact_kms_key_arn)"

args=(publish --function "$FUNCTION_NAME" --bucket "$bucket")
if [[ -n "$kms_key_arn" ]]; then
  args+=(--kms-key-arn "$kms_key_arn")
fi
# Set by the function-pipeline module when provenance is on (signing_key_arn): publish then
# writes releases/<function>/<revision>.intoto.json, signed with that key as the build role.
if [[ -n "${PROMOTION_SIGNING_KEY_ARN:-}" ]]; then
  args+=(--signing-key-arn "$PROMOTION_SIGNING_KEY_ARN")
fi
args+=(--file "$package" --json)

result="${PUBLISH_RESULT_FILE:-publish.json}"
expected_sha256="$(sha256_of "$package")"
log "publishing $package (sha256 $expected_sha256) as $FUNCTION_NAME to s3://$bucket"
if ! promoter "${args[@]}" >"$result"; then
  cat "$result" >&2 || true
  die "artifact-promoter publish failed (its JSON answer is above)"
fi

status="$(jq -r '.status' "$result")"
case "$status" in
  PUBLISHED | ALREADY_PUBLISHED) ;;
  *) die "artifact-promoter publish answered status \"$status\": $(cat "$result")" ;;
esac
recorded_sha256="$(jq -r '.sha256' "$result")"
[[ "$recorded_sha256" == "$expected_sha256" ]] \
  || die "the CLI recorded SHA-256 $recorded_sha256 but the package built here is $expected_sha256"
revision="$(jq -r '.revision' "$result")"
[[ "$revision" =~ ^[0-9a-f]{40}$ ]] || die "the CLI published revision \"$revision\", not a 40-hex git commit"

log "$status: s3://$(jq -r '.release.bucket + "/" + .release.key + " version " + .release.versionId' "$result")"
shell_assignments "$result" '{
  GIT_REVISION: .revision,
  PACKAGE_SHA256: .sha256,
  PACKAGE_BUCKET: .release.bucket,
  PACKAGE_KEY: .release.key,
  PACKAGE_VERSION_ID: .release.versionId,
  DROP_KEY: .dropKey.key,
  DROP_VERSION_ID: .dropKey.versionId
}'
