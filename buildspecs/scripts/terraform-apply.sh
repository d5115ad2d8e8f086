#!/usr/bin/env bash
# Plans and applies the function's Terraform for exactly one package version. Every function's
# configuration declares these variables, which this script sets:
#   package_bucket, package_key, package_version_id, git_revision
# (anything else comes from TF_VAR_* on the CodeBuild project). The plan is saved and applied
# as saved, so what is applied is what was planned.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_env PACKAGE_BUCKET PACKAGE_KEY PACKAGE_VERSION_ID GIT_REVISION
[[ "$GIT_REVISION" =~ ^[0-9a-f]{40}$ ]] || die "GIT_REVISION \"$GIT_REVISION\" is not a 40-hex git commit"
dir="$(terraform_dir)"
plan="deploy-${GIT_REVISION:0:12}.tfplan"

log "terraform plan: s3://$PACKAGE_BUCKET/$PACKAGE_KEY version $PACKAGE_VERSION_ID (git $GIT_REVISION)"
terraform -chdir="$dir" plan -input=false -lock-timeout="${TF_LOCK_TIMEOUT:-5m}" -out="$plan" \
  -var "package_bucket=$PACKAGE_BUCKET" \
  -var "package_key=$PACKAGE_KEY" \
  -var "package_version_id=$PACKAGE_VERSION_ID" \
  -var "git_revision=$GIT_REVISION"
terraform -chdir="$dir" apply -input=false -lock-timeout="${TF_LOCK_TIMEOUT:-5m}" "$plan"
log "deployed git revision $GIT_REVISION"
