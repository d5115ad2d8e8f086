#!/usr/bin/env bash
# Makes the artifact-promoter CLI available to the other scripts, in this order:
#   1. ARTIFACT_PROMOTER: an executable launcher already on the box (a custom build image, a
#      local run); checked and used as is.
#   2. PROMOTER_CLI_S3_URI + PROMOTER_CLI_SHA256: the shaded CLI jar in S3 (the ops account's
#      tooling bucket); fetched, its SHA-256 verified, and a launcher written to TOOLS_BIN.
#   3. `artifact-promoter` already on PATH.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if is_set ARTIFACT_PROMOTER; then
  [[ -x "$ARTIFACT_PROMOTER" ]] || die "ARTIFACT_PROMOTER=$ARTIFACT_PROMOTER is not an executable file"
  log "using the CLI launcher $ARTIFACT_PROMOTER"
elif is_set PROMOTER_CLI_S3_URI; then
  require_env PROMOTER_CLI_SHA256
  bin="$(tools_bin)"
  mkdir -p "$bin"
  jar="$bin/artifact-promoter.jar"
  log "fetching the CLI from $PROMOTER_CLI_S3_URI"
  aws s3 cp --only-show-errors "$PROMOTER_CLI_S3_URI" "$jar.part"
  verify_sha256 "$jar.part" "$PROMOTER_CLI_SHA256"
  mv "$jar.part" "$jar"
  # The launcher expands ARTIFACT_PROMOTER_JAVA_OPTS and its arguments when it runs, not now.
  # shellcheck disable=SC2016
  printf '#!/usr/bin/env bash\n# shellcheck disable=SC2086\nexec java ${ARTIFACT_PROMOTER_JAVA_OPTS:-} -jar %q "$@"\n' "$jar" >"$bin/artifact-promoter"
  chmod 0755 "$bin/artifact-promoter"
  log "installed the CLI (jar SHA-256 verified) at $bin/artifact-promoter"
elif command -v artifact-promoter >/dev/null 2>&1; then
  log "using artifact-promoter from PATH: $(command -v artifact-promoter)"
else
  die "no artifact-promoter CLI: set ARTIFACT_PROMOTER to a launcher, or PROMOTER_CLI_S3_URI and PROMOTER_CLI_SHA256, or put artifact-promoter on PATH"
fi

# Fail here, not halfway through the build, when the CLI cannot start (no java, bad jar).
promoter --help >/dev/null || die "the artifact-promoter CLI does not start"
