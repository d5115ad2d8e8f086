#!/usr/bin/env bash
# After terraform apply: the deployed Lambda function must run exactly the package this deploy
# applied. Lambda reports the code's SHA-256 as base64 (CodeSha256); the package's is PACKAGE_SHA256
# in hex. A mismatch fails the deploy: the apply did not change the code (a plan that skipped it,
# another configuration's function), or something changed it since.
#
# The function: the applied configuration's output "function_name" when it declares one, else
# TF_VAR_function_name, else DEPLOY_FUNCTION_NAME (set by the function-pipeline module).
# VERIFY_DEPLOYED_CODE=false turns the check off for a configuration that deploys no zip function.
# Needs lambda:GetFunctionConfiguration on the function (not GetFunction: no code download URL).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${VERIFY_DEPLOYED_CODE:-true}" in
  true) ;;
  false)
    log "VERIFY_DEPLOYED_CODE=false: not comparing the deployed function's code with the package"
    exit 0
    ;;
  *) die "VERIFY_DEPLOYED_CODE must be \"true\" or \"false\", not \"$VERIFY_DEPLOYED_CODE\"" ;;
esac

require_env PACKAGE_SHA256
expected="${PACKAGE_SHA256,,}"
[[ "$expected" =~ ^[0-9a-f]{64}$ ]] || die "PACKAGE_SHA256 \"$PACKAGE_SHA256\" is not 64 hex characters"

# deployed_function_name: what the applied configuration says it deployed, else the variables.
deployed_function_name() {
  local outputs from_output=""
  # -json, not -raw: with no outputs at all, `output -raw` prints a warning box and exits 0.
  if outputs="$(terraform -chdir="$(terraform_dir)" output -json 2>/dev/null)"; then
    from_output="$(jq -r 'if (.function_name.value | type) == "string" then .function_name.value else empty end' <<<"$outputs" 2>/dev/null)" || from_output=""
  fi
  if [[ -n "$from_output" ]]; then
    printf '%s\n' "$from_output"
  elif is_set TF_VAR_function_name; then
    printf '%s\n' "${TF_VAR_function_name:-}"
  elif is_set DEPLOY_FUNCTION_NAME; then
    printf '%s\n' "$DEPLOY_FUNCTION_NAME"
  fi
}

function_name="$(deployed_function_name)"
[[ -n "$function_name" ]] \
  || die "cannot tell which Lambda function this deploy changed: give the function's Terraform an output \"function_name\", or set DEPLOY_FUNCTION_NAME (or TF_VAR_function_name); set VERIFY_DEPLOYED_CODE=false if it deploys no zip function"
# A name, or an ARN of one; nothing a shell or the CLI would read as something else.
[[ "$function_name" =~ ^[A-Za-z0-9_:.-]{1,170}$ ]] \
  || die "the deployed function's name \"$function_name\" is not a Lambda function name or ARN"

if ! answer="$(aws lambda get-function-configuration --function-name "$function_name" \
  --query '[PackageType, CodeSha256]' --output text 2>&1)"; then
  die "could not read the code of Lambda function $function_name after the deploy: $(one_line "$answer") (the deploy role needs lambda:GetFunctionConfiguration on it)"
fi
read -r package_type code_sha256_base64 <<<"$answer"
if [[ "$package_type" != Zip ]]; then
  die "Lambda function $function_name has package type \"$package_type\", not Zip: its code cannot be compared with a zip package (set VERIFY_DEPLOYED_CODE=false for an image function)"
fi

# base64 -> hex; 32 bytes or it is not a SHA-256.
if ! digest_hex="$(base64 -d <<<"$code_sha256_base64" 2>/dev/null | od -An -v -tx1 | tr -d ' \n')" \
  || [[ ! "$digest_hex" =~ ^[0-9a-f]{64}$ ]]; then
  die "Lambda reported CodeSha256 \"$code_sha256_base64\" for $function_name, which is not the base64 of a SHA-256"
fi

if [[ "$digest_hex" != "$expected" ]]; then
  die "Lambda function $function_name runs code with SHA-256 $digest_hex, not this deploy's package (PACKAGE_SHA256 $expected, git ${GIT_REVISION:-unknown}): the apply did not deploy the package, or something changed the function's code since; failing the deploy"
fi
log "Lambda function $function_name runs the package: SHA-256 $digest_hex"
