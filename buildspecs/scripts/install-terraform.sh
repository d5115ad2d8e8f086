#!/usr/bin/env bash
# Makes the pinned Terraform (TERRAFORM_VERSION) the one on PATH.
#
# A terraform of exactly that version already on PATH (baked into the build image) is used as
# is. Otherwise the release zip is fetched from TERRAFORM_DOWNLOAD_BASE_URL (the releases
# layout: <base>/<version>/terraform_<version>_linux_<arch>.zip; https://, file:// or s3://),
# its SHA-256 checked against TERRAFORM_SHA256_LINUX_AMD64 / _ARM64 before it is unpacked, and
# the binary installed into TOOLS_BIN (which the buildspec puts first on PATH).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_env TERRAFORM_VERSION

installed_version() {
  "$1" version -json | jq -er '.terraform_version'
}

if current="$(command -v terraform)"; then
  version="$(installed_version "$current" || true)"
  if [[ "$version" == "$TERRAFORM_VERSION" ]]; then
    log "terraform $TERRAFORM_VERSION already at $current: no download"
    exit 0
  fi
  log "terraform at $current is ${version:-of unknown version}, not the pinned $TERRAFORM_VERSION: installing $TERRAFORM_VERSION"
fi

case "$(uname -m)" in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) die "no pinned Terraform checksum for machine type $(uname -m)" ;;
esac
sha_variable="TERRAFORM_SHA256_LINUX_${arch^^}"
require_env "$sha_variable" TERRAFORM_DOWNLOAD_BASE_URL

zip_name="terraform_${TERRAFORM_VERSION}_linux_${arch}.zip"
url="${TERRAFORM_DOWNLOAD_BASE_URL%/}/${TERRAFORM_VERSION}/${zip_name}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

log "fetching $url"
case "$url" in
  s3://*) aws s3 cp --only-show-errors "$url" "$work/$zip_name" ;;
  *) curl --fail --silent --show-error --location --proto '=https,file' --output "$work/$zip_name" "$url" ;;
esac
verify_sha256 "$work/$zip_name" "${!sha_variable}"

bin="$(tools_bin)"
mkdir -p "$bin"
unzip -o -q "$work/$zip_name" terraform -d "$work/unpacked"
install -m 0755 "$work/unpacked/terraform" "$bin/terraform"
version="$(installed_version "$bin/terraform")" || die "the downloaded terraform at $bin/terraform does not run"
[[ "$version" == "$TERRAFORM_VERSION" ]] || die "the downloaded zip holds terraform $version, not $TERRAFORM_VERSION"
log "installed terraform $TERRAFORM_VERSION (zip SHA-256 verified) at $bin/terraform"
