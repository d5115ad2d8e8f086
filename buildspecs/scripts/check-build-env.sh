#!/usr/bin/env bash
# Preflight of buildspecs/build.yml: the publish step's variables and the function's project,
# checked before Maven runs.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_env FUNCTION_NAME CODEBUILD_SRC_DIR
[[ -n "$(artifact_bucket)" ]] || die "required environment variable missing or empty: ARTIFACT_BUCKET (or PACKAGE_BUCKET)"
# The function name becomes part of S3 keys (releases/<function>/..., drop/<function>.zip).
[[ "$FUNCTION_NAME" =~ ^[a-z0-9][a-z0-9_-]{0,63}$ ]] \
  || die "FUNCTION_NAME \"$FUNCTION_NAME\" must match [a-z0-9][a-z0-9-_]{0,63}"
project="$CODEBUILD_SRC_DIR/${FUNCTION_DIR:-.}"
[[ -f "$project/pom.xml" ]] || die "no pom.xml in $project: set FUNCTION_DIR to the function's Maven project (relative to the source root)"
log "building $FUNCTION_NAME from $project for s3://$(artifact_bucket)"
