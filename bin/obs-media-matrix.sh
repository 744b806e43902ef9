#!/usr/bin/env bash
# Issue 12's acceptance matrix on real OBS media: records the corpus with real OBS (headless), cuts every
# source x mode x position through the API and checks each clip with Debian's ffmpeg/ffprobe, mediainfo,
# Chromium and Firefox ESR. Writes target/obs-media-matrix.md. Takes about 8 minutes on 2 cores. Part of
# bin/test.sh too; this runs it alone (add -Dscheincam.obs-media.only='REGEX' for a part of it).
set -euo pipefail
cd "$(dirname "$0")/.."
bin/ensure-runtime-libs.sh
bin/ensure-test-tools.sh
mvn -B verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ObsMediaIT "$@"
