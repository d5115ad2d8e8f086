# shellcheck shell=bash
# Helpers shared by the buildspec scripts. Sourced, never run:
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Every script runs with `set -euo pipefail`: the first failing command ends it, and the
# buildspec phase with it.

# log MESSAGE...: progress for the CodeBuild log, on stderr so stdout stays machine-readable.
log() {
  printf '[%s] %s\n' "${0##*/}" "$*" >&2
}

# die MESSAGE...: a message a person can act on, then exit 1.
die() {
  printf '[%s] ERROR: %s\n' "${0##*/}" "$*" >&2
  exit 1
}

# is_set NAME: true when the variable NAME is set and not empty.
is_set() {
  [[ -n "${!1:-}" ]]
}

# require_env NAME...: stop, naming every variable that is missing or empty.
require_env() {
  local name missing=()
  for name in "$@"; do
    is_set "$name" || missing+=("$name")
  done
  if ((${#missing[@]} > 0)); then
    die "required environment variable(s) missing or empty: ${missing[*]} (set them on the CodeBuild project)"
  fi
}

# one_line TEXT: the first 10 lines of TEXT on one line, separated by "; " (for a message).
one_line() {
  local lines
  lines="$(head -n 10 <<<"$1")"
  printf '%s\n' "${lines//$'\n'/; }"
}

# is_true NAME: the variable is exactly "true"; anything but "", "true" or "false" is a mistake.
is_true() {
  local value="${!1:-}"
  case "$value" in
    true) return 0 ;;
    "" | false) return 1 ;;
    *) die "$1 must be \"true\" or \"false\", not \"$value\"" ;;
  esac
}

# sha256_of FILE: the file's SHA-256 in lowercase hex.
sha256_of() {
  local sum
  sum="$(sha256sum "$1")"
  printf '%s\n' "${sum%% *}"
}

# verify_sha256 FILE EXPECTED: stop unless FILE has exactly that SHA-256.
verify_sha256() {
  local actual expected="${2,,}"
  [[ "$expected" =~ ^[0-9a-f]{64}$ ]] || die "expected SHA-256 for $1 is not 64 hex characters: \"$2\""
  actual="$(sha256_of "$1")"
  [[ "$actual" == "$expected" ]] || die "SHA-256 mismatch for $1: expected $expected, got $actual; refusing to use it"
}

# tools_bin: where the scripts install tools (terraform, the CLI launcher). The buildspecs
# put it first on PATH.
tools_bin() {
  printf '%s\n' "${TOOLS_BIN:-$HOME/.artifact-promoter/bin}"
}

# promoter ARGS...: run the artifact-promoter CLI. ARTIFACT_PROMOTER (an executable) wins,
# else `artifact-promoter` on PATH (install-promoter-cli.sh puts a launcher there).
promoter() {
  if is_set ARTIFACT_PROMOTER; then
    "$ARTIFACT_PROMOTER" "$@"
  elif command -v artifact-promoter >/dev/null 2>&1; then
    artifact-promoter "$@"
  else
    die "artifact-promoter CLI not found: set ARTIFACT_PROMOTER to its launcher, or PROMOTER_CLI_S3_URI and PROMOTER_CLI_SHA256 so the install phase fetches it"
  fi
}

# shell_assignments JSON_FILE JQ_OBJECT: print `export NAME='value'` lines a buildspec can source,
# from a jq expression yielding {"NAME": "value", ...}; every value must be a non-empty string.
# Exported, so CodeBuild's exported-variables see them however it reads the environment.
shell_assignments() {
  jq -er "$2"' | to_entries[]
    | if (.value | type) == "string" and (.value | length) > 0 then "export \(.key)=\(.value | @sh)"
      else error("\(.key) is missing in the CLI output") end' "$1"
}

# artifact_bucket / artifact_kms_key_arn: where build.yml publishes. ARTIFACT_BUCKET and
# ARTIFACT_KMS_KEY_ARN, or the names the function-pipeline module sets on both projects,
# PACKAGE_BUCKET and PACKAGE_KMS_KEY_ARN.
artifact_bucket() {
  printf '%s\n' "${ARTIFACT_BUCKET:-${PACKAGE_BUCKET:-}}"
}

artifact_kms_key_arn() {
  printf '%s\n' "${ARTIFACT_KMS_KEY_ARN:-${PACKAGE_KMS_KEY_ARN:-}}"
}

# check_deploy_environment: everything deploy.yml needs, checked before any tool runs, so a
# misconfigured account fails in seconds and names what to set.
check_deploy_environment() {
  local missing=()
  local name
  for name in TF_BACKEND_BUCKET TF_BACKEND_KEY TF_BACKEND_REGION TERRAFORM_VERSION; do
    is_set "$name" || missing+=("$name")
  done
  if ! is_set TF_BACKEND_DYNAMODB_TABLE && ! is_true TF_BACKEND_USE_LOCKFILE; then
    missing+=("TF_BACKEND_DYNAMODB_TABLE or TF_BACKEND_USE_LOCKFILE=true")
  fi
  # Where the package is (see package_key / package_version below).
  is_set PACKAGE_KEY || is_set FUNCTION_NAME || missing+=("FUNCTION_NAME (or PACKAGE_KEY)")
  is_set PACKAGE_BUCKET || is_set ARTIFACT_BUCKET || missing+=("PACKAGE_BUCKET (or ARTIFACT_BUCKET)")
  if is_set PACKAGE_KEY || is_set FUNCTION_NAME; then
    if [[ "$(package_key)" != releases/* ]] && ! is_set PACKAGE_VERSION_ID && ! is_s3_version "${CODEBUILD_RESOLVED_SOURCE_VERSION:-}"; then
      missing+=("PACKAGE_VERSION_ID (or CODEBUILD_RESOLVED_SOURCE_VERSION of an S3 source)")
    fi
  fi
  if ((${#missing[@]} > 0)); then
    local joined
    joined="$(printf '%s, ' "${missing[@]}")"
    die "required environment variable(s) missing or empty: ${joined%, } (set them on the CodeBuild project of this account)"
  fi
  if is_set TF_BACKEND_CONFIG_FILE && [[ ! -f "$TF_BACKEND_CONFIG_FILE" ]]; then
    die "TF_BACKEND_CONFIG_FILE names $TF_BACKEND_CONFIG_FILE, which does not exist"
  fi
  if uses_function_source; then
    # Its Terraform is read once checkout-function-source.sh has put the clone at the package's
    # revision; what the branch head holds now does not matter, whether the clone is usable does.
    check_function_source
  else
    local dir
    dir="$(terraform_dir)"
    compgen -G "$dir/*.tf" >/dev/null \
      || die "no Terraform configuration (*.tf) in $dir: set TF_DIR to the function's Terraform directory, or give the deploy the function's repository as the secondary source function_source (or FUNCTION_SOURCE_DIR)"
  fi
}

# package_bucket / package_key: the package to deploy. The first account names the release
# (PACKAGE_KEY=releases/<function>/<commit>.zip); later accounts deploy their drop key.
package_bucket() {
  printf '%s\n' "${PACKAGE_BUCKET:-${ARTIFACT_BUCKET:-}}"
}

package_key() {
  printf '%s\n' "${PACKAGE_KEY:-drop/${FUNCTION_NAME:-}.zip}"
}

# package_version: the object version to deploy, when the environment names it: PACKAGE_VERSION_ID,
# else an S3 source's resolved version (for a git source CodeBuild resolves a commit instead).
# Empty for a release key without a version: releases are immutable, so their one version is it.
package_version() {
  if is_set PACKAGE_VERSION_ID; then
    printf '%s\n' "$PACKAGE_VERSION_ID"
  elif is_s3_version "${CODEBUILD_RESOLVED_SOURCE_VERSION:-}"; then
    printf '%s\n' "$CODEBUILD_RESOLVED_SOURCE_VERSION"
  fi
}

# is_s3_version TEXT: set, and not a git commit id.
is_s3_version() {
  [[ -n "$1" && ! "$1" =~ ^[0-9a-f]{40}$ ]]
}

# function_source_dir: the function's own git repository when the Terraform does not come with
# the primary source. In accounts after the first the primary source is the promoted package, and
# the function-pipeline module adds the repository as the secondary source (input artifact)
# function_source, which CodeBuild puts in CODEBUILD_SRC_DIR_function_source. FUNCTION_SOURCE_DIR
# names another directory. Empty when there is none.
function_source_dir() {
  printf '%s\n' "${FUNCTION_SOURCE_DIR:-${CODEBUILD_SRC_DIR_function_source:-}}"
}

# uses_function_source: the Terraform comes from the function's repository, pinned to GIT_REVISION.
uses_function_source() {
  [[ -n "$(function_source_dir)" ]]
}

# terraform_dir: the function's Terraform configuration: TF_DIR, else FUNCTION_DIR/terraform,
# relative to the source root: the primary source, or the function's repository when there is one.
terraform_dir() {
  local relative="${TF_DIR:-${FUNCTION_DIR:-.}/terraform}"
  if uses_function_source; then
    printf '%s/%s\n' "$(function_source_dir)" "${relative#./}"
  else
    printf '%s\n' "$relative"
  fi
}

# check_function_source: the function's repository is there, is a git work tree with a commit
# checked out, and TF_DIR does not point out of it. Stops otherwise.
check_function_source() {
  local clone
  clone="$(function_source_dir)"
  command -v git >/dev/null 2>&1 \
    || die "git is not on PATH; it is needed to check out the function's source ($clone) at the package's revision"
  [[ -d "$clone" ]] \
    || die "the function's source $clone does not exist (FUNCTION_SOURCE_DIR, or the secondary source function_source)"
  [[ "$(git -C "$clone" rev-parse --is-inside-work-tree 2>/dev/null)" == true ]] \
    || die "the function's source $clone is not a git work tree: the pipeline must give it as a full clone (OutputArtifactFormat CODEBUILD_CLONE_REF) so that the package's revision can be checked out"
  git -C "$clone" rev-parse --verify --quiet 'HEAD^{commit}' >/dev/null \
    || die "the function's source $clone has no commit checked out"
  if [[ "${TF_DIR:-}" == /* ]]; then
    die "TF_DIR ($TF_DIR) must be relative to the function's source $clone: an absolute path would deploy Terraform that is not pinned to the package's revision"
  fi
}

# function_source_changes DIR: what `git status` reports in DIR's work tree, untracked and ignored
# files included (an ignored override.tf or *.auto.tfvars changes a deploy as much as an edit).
function_source_changes() {
  git -C "$1" status --porcelain=v1 --untracked-files=all --ignored
}

# require_terraform_at_revision: with a function source, Terraform runs only in a checkout of
# exactly GIT_REVISION whose tracked files are unchanged. Called by terraform-init.sh and
# terraform-apply.sh; checkout-function-source.sh (before them) also refuses untracked and ignored
# files. A committed .terraform.lock.hcl is the one tracked file terraform init may add to.
require_terraform_at_revision() {
  uses_function_source || return 0
  require_env GIT_REVISION
  local clone checked_out changed
  clone="$(function_source_dir)"
  checked_out="$(git -C "$clone" rev-parse --verify --quiet 'HEAD^{commit}')" \
    || die "the function's source $clone has no commit checked out"
  [[ "$checked_out" == "$GIT_REVISION" ]] \
    || die "the function's source $clone is at $checked_out, not at the package's revision $GIT_REVISION: checkout-function-source.sh must run before Terraform"
  changed="$(git -C "$clone" status --porcelain=v1 --untracked-files=no -- ':(top)' ':(top,exclude,glob)**/.terraform.lock.hcl')"
  [[ -z "$changed" ]] \
    || die "the function's source $clone differs from revision $GIT_REVISION: $(one_line "$changed")"
}
