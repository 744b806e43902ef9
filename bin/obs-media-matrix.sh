#!/usr/bin/env bash
# Issue 12's acceptance matrix on real OBS media: records the corpus with real OBS (headless), cuts every
# source x mode x position through the API and checks each clip with Debian's ffmpeg/ffprobe, mediainfo,
# Chromium and Firefox ESR. Writes target/obs-media-matrix.md. Takes about 20 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
bin/ensure-runtime-libs.sh
bin/ensure-test-tools.sh
mvn -B verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dobs-media.exclude=none -Dit.test=ObsMediaIT "$@"
