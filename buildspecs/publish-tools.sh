#!/usr/bin/env bash
# Release step of this repository: what every function pipeline's build and deploy fetch
# (function-pipeline input buildspec_tools).
#
#   buildspecs/publish-tools.sh VERSION CLI_JAR OUT_DIR [BUCKET KMS_KEY_ARN]
#
# Writes OUT_DIR/buildspec-tools.zip, a reproducible zip of buildspecs/ without the sample
# function (the same bytes for the same sources: sorted entries, fixed timestamps and modes),
# next to a copy of CLI_JAR (functions/promoter-cli/target/artifact-promoter.jar), and prints
# both SHA-256 digests as the example's variables. With BUCKET (the ops package bucket) and its
# KMS key, uploads both to s3://BUCKET/releases/artifact-promoter/VERSION/ with the aws CLI; a
# version that is already there is refused rather than overwritten (pipelines pin its digests).
set -euo pipefail

die() {
  printf '[publish-tools.sh] ERROR: %s\n' "$*" >&2
  exit 1
}

(($# == 3 || $# == 5)) || die "usage: publish-tools.sh VERSION CLI_JAR OUT_DIR [BUCKET KMS_KEY_ARN]"
version="$1" cli_jar="$2" out="$3"
[[ "$version" =~ ^[0-9A-Za-z][0-9A-Za-z.+_-]*$ ]] || die "VERSION \"$version\" must be a release version such as 1.4.0"
[[ -f "$cli_jar" ]] || die "no CLI jar at $cli_jar: build it first (mvn -pl functions/promoter-cli -am package)"

buildspecs="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$out"
python3 - "$buildspecs" "$out/buildspec-tools.zip" <<'PY'
import os, sys, zipfile
root, target = sys.argv[1], sys.argv[2]
entries = []
for directory, subdirs, files in os.walk(root):
    subdirs[:] = [d for d in subdirs if d != "sample-function"]
    for name in files:
        path = os.path.join(directory, name)
        entries.append(os.path.relpath(path, root))
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
    for name in sorted(entries):
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        executable = os.access(os.path.join(root, name), os.X_OK)
        info.external_attr = (0o100755 if executable else 0o100644) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(os.path.join(root, name), "rb") as f:
            bundle.writestr(info, f.read())
PY
cp "$cli_jar" "$out/artifact-promoter.jar"

bundle_sha256="$(sha256sum "$out/buildspec-tools.zip" | cut -d' ' -f1)"
cli_sha256="$(sha256sum "$out/artifact-promoter.jar" | cut -d' ' -f1)"

if (($# == 5)); then
  bucket="$4" kms_key_arn="$5"
  prefix="releases/artifact-promoter/$version"
  if aws s3api head-object --bucket "$bucket" --key "$prefix/buildspec-tools.zip" >/dev/null 2>&1; then
    die "s3://$bucket/$prefix/ already holds a release: publish a new VERSION instead of replacing one pipelines pin"
  fi
  for file in buildspec-tools.zip artifact-promoter.jar; do
    aws s3 cp --only-show-errors --sse aws:kms --sse-kms-key-id "$kms_key_arn" \
      "$out/$file" "s3://$bucket/$prefix/$file"
  done
  printf '[publish-tools.sh] published s3://%s/%s/\n' "$bucket" "$prefix" >&2
fi

printf 'artifact_promoter_version = "%s"\n' "$version"
printf 'buildspec_tools_sha256    = "%s"\n' "$bundle_sha256"
printf 'promoter_cli_sha256       = "%s"\n' "$cli_sha256"
