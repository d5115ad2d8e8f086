#!/usr/bin/env bash
# Plans and applies the function's Terraform for exactly one package version. Every function's
# configuration declares these variables, which this script sets:
#   package_bucket, package_key, package_version_id, git_revision
# Anything else comes from TF_VAR_* on the CodeBuild project; the function-pipeline module's
# TARGET_ENV and DEPLOY_FUNCTION_NAME become TF_VAR_environment and TF_VAR_function_name unless
# those are set (Terraform ignores TF_VAR_* a configuration does not declare). The plan is saved
# and applied as saved, so what is applied is what was planned.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_env PACKAGE_BUCKET PACKAGE_KEY PACKAGE_VERSION_ID GIT_REVISION
[[ "$GIT_REVISION" =~ ^[0-9a-f]{40}$ ]] || die "GIT_REVISION \"$GIT_REVISION\" is not a 40-hex git commit"
# With the function's repository as source: only at the package's revision.
require_terraform_at_revision
if is_set TARGET_ENV && ! is_set TF_VAR_environment; then
  export TF_VAR_environment="$TARGET_ENV"
fi
if is_set DEPLOY_FUNCTION_NAME && ! is_set TF_VAR_function_name; then
  export TF_VAR_function_name="$DEPLOY_FUNCTION_NAME"
fi
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
