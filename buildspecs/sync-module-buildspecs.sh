#!/usr/bin/env bash
# Copies build.yml and deploy.yml into the function-pipeline module, which loads them with
# file() from its own directory (so it works from a registry or a git ref on its own).
# TerraformModulesTest fails while the copies differ; run this after editing a buildspec.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$here/../pipeline-terraform/modules/function-pipeline/buildspecs"
mkdir -p "$module"
cp "$here/build.yml" "$here/deploy.yml" "$module/"
