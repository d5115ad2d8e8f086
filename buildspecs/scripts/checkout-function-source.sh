#!/usr/bin/env bash
# Puts the function's own repository at exactly the commit the package was built from, so that the
# Terraform deploying a package is the Terraform of that package's commit, never what the branch
# holds today. In accounts after the first, the deploy's primary source is the promoted package and
# the repository comes as a second source (function_source: a full clone at the branch head, see
# function_source_dir in lib.sh); GIT_REVISION is the package's git-revision metadata, as
# resolve-package.sh read it. Refuses, before Terraform runs:
#   - a work tree with any change, untracked or ignored file (a checkout would carry them along);
#   - a revision that is not in the clone (naming it and the commit the clone is at): deploying the
#     branch head instead would pair this package with another commit's Terraform.
# Without a function source (the first account, whose primary source is that very commit) it only
# says where the Terraform comes from.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_deploy_environment
if ! uses_function_source; then
  log "Terraform from $(terraform_dir) in the primary source"
  exit 0
fi
require_env GIT_REVISION
[[ "$GIT_REVISION" =~ ^[0-9a-f]{40}$ ]] || die "GIT_REVISION \"$GIT_REVISION\" is not a 40-hex git commit"

clone="$(function_source_dir)"
clone_head="$(git -C "$clone" rev-parse 'HEAD^{commit}')"
if branch="$(git -C "$clone" symbolic-ref --quiet --short HEAD)"; then
  at="branch $branch at $clone_head"
else
  at="detached HEAD $clone_head"
fi

changes="$(function_source_changes "$clone")"
if [[ -n "$changes" ]]; then
  die "the function's source $clone ($at) is not a clean checkout, refusing to deploy from it: $(one_line "$changes")"
fi

if ! git -C "$clone" cat-file -e "$GIT_REVISION^{commit}" 2>/dev/null; then
  hint="is the pipeline's function_source branch the one the first account builds from?"
  if [[ "$(git -C "$clone" rev-parse --is-shallow-repository)" == true ]]; then
    hint="the clone is shallow; the function's source must be a full clone (CODEBUILD_CLONE_REF)"
  fi
  die "the package was built from commit $GIT_REVISION, which is not in the function's source $clone (checked out: $at); refusing to deploy it with any other revision's Terraform ($hint)"
fi

git -C "$clone" -c advice.detachedHead=false checkout --quiet --detach "$GIT_REVISION"
checked_out="$(git -C "$clone" rev-parse 'HEAD^{commit}')"
[[ "$checked_out" == "$GIT_REVISION" ]] \
  || die "checking out $GIT_REVISION in $clone left it at $checked_out"
changes="$(function_source_changes "$clone")"
[[ -z "$changes" ]] \
  || die "after checking out $GIT_REVISION, the function's source $clone is not clean: $(one_line "$changes")"

dir="$(terraform_dir)"
compgen -G "$dir/*.tf" >/dev/null \
  || die "no Terraform configuration (*.tf) in $dir at revision $GIT_REVISION: set TF_DIR (relative to the function's repository)"
if [[ "$clone_head" == "$GIT_REVISION" ]]; then
  log "function source $clone: at $GIT_REVISION, the package's revision, as the clone already was"
else
  log "function source $clone: checked out $GIT_REVISION, the package's revision (the clone was at $at)"
fi
log "Terraform from $dir"
