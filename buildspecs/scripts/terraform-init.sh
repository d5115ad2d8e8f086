#!/usr/bin/env bash
# terraform init of the function's configuration against THIS account's state: the partial
# `backend "s3" {}` is completed with -backend-config values from the CodeBuild project:
#   TF_BACKEND_BUCKET, TF_BACKEND_KEY, TF_BACKEND_REGION       (required)
#   TF_BACKEND_DYNAMODB_TABLE and/or TF_BACKEND_USE_LOCKFILE=true (at least one: state is locked)
#   TF_BACKEND_KMS_KEY_ID                                       (optional: SSE-KMS for the state)
#   TF_BACKEND_CONFIG_FILE                                      (optional: extra settings file,
#       e.g. endpoints for an emulator; passed first so the values above always win)
# -reconfigure: a working directory initialised for another account is never migrated.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_deploy_environment
# With the function's repository as source: only at the package's revision (see
# checkout-function-source.sh).
require_terraform_at_revision
dir="$(terraform_dir)"
args=(init -input=false -reconfigure)
if is_set TF_BACKEND_CONFIG_FILE; then
  args+=("-backend-config=$TF_BACKEND_CONFIG_FILE")
fi
args+=(
  "-backend-config=bucket=$TF_BACKEND_BUCKET"
  "-backend-config=key=$TF_BACKEND_KEY"
  "-backend-config=region=$TF_BACKEND_REGION"
  "-backend-config=encrypt=true"
)
if is_set TF_BACKEND_DYNAMODB_TABLE; then
  args+=("-backend-config=dynamodb_table=$TF_BACKEND_DYNAMODB_TABLE")
fi
if is_true TF_BACKEND_USE_LOCKFILE; then
  args+=("-backend-config=use_lockfile=true")
fi
if is_set TF_BACKEND_KMS_KEY_ID; then
  args+=("-backend-config=kms_key_id=$TF_BACKEND_KMS_KEY_ID")
fi

log "terraform init: state s3://$TF_BACKEND_BUCKET/$TF_BACKEND_KEY ($TF_BACKEND_REGION)"
terraform -chdir="$dir" "${args[@]}"
