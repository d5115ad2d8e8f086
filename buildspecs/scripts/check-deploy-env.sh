#!/usr/bin/env bash
# Preflight of buildspecs/deploy.yml: checks every variable the deploy needs before Terraform
# (or anything else) runs, and names each one that is missing or empty.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_deploy_environment
log "environment complete: state s3://$TF_BACKEND_BUCKET/$TF_BACKEND_KEY in $TF_BACKEND_REGION, configuration $(terraform_dir)"
