#!/usr/bin/env bash
# Builds the jar and runs ScheinCam on defaults (http://127.0.0.1:8080), with this repository as the
# app home: application.properties, routes/ and videos/ from here.
set -euo pipefail
cd "$(dirname "$0")/.."
bin/ensure-runtime-libs.sh
mvn -q -B package -DskipTests
export SCHEINCAM_HOME="${SCHEINCAM_HOME:-$PWD}"
exec java -jar target/scheincam.jar "$@"
