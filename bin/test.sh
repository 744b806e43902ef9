#!/usr/bin/env bash
# Runs every test: unit tests, then the integration tests that boot the real app (and the built jar)
# with the real ffmpeg on generated media, and real OBS Studio under Xvfb. Installs what the tests
# need first.
set -euo pipefail
cd "$(dirname "$0")/.."
bin/ensure-runtime-libs.sh
bin/ensure-test-tools.sh
exec mvn -B verify "$@"
