#!/usr/bin/env bash
# Builds a function's deployment package with Maven and prints its absolute path on stdout
# (Maven's own output goes to stderr).
#
#   build-package.sh FUNCTION_DIR
#
# The function's pom.xml makes the package reproducible (project.build.outputTimestamp, pinned
# plugins, normalised zip entries); this script adds nothing that depends on the box or the
# clock, so the same commit gives the same bytes. Unit tests run (surefire reports land in
# FUNCTION_DIR/target/surefire-reports for the buildspec's `reports`).
#   MAVEN_CLI_OPTS   extra Maven arguments, split on spaces (e.g. "-o" or "-s settings.xml")
#   PACKAGE_PATTERN  glob of the package under FUNCTION_DIR (default target/*-lambda.zip);
#                    exactly one file must match
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# == 1)) || die "usage: build-package.sh FUNCTION_DIR"
[[ -f "$1/pom.xml" ]] || die "no pom.xml in $1: FUNCTION_DIR must be the function's Maven project"
cd "$1"

read -r -a extra <<<"${MAVEN_CLI_OPTS:-}"
# Locale and time zone must not reach the build: they are the usual sources of drift.
LC_ALL=C TZ=UTC mvn --batch-mode --no-transfer-progress "${extra[@]}" clean package >&2

shopt -s nullglob
# shellcheck disable=SC2206 # the pattern is meant to glob
matches=(${PACKAGE_PATTERN:-target/*-lambda.zip})
((${#matches[@]} == 1)) || die "expected exactly one package matching ${PACKAGE_PATTERN:-target/*-lambda.zip} in $PWD, found ${#matches[@]}: ${matches[*]:-none}"
package="$PWD/${matches[0]}"
log "package $package sha256 $(sha256_of "$package")"
printf '%s\n' "$package"
