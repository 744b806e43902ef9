#!/usr/bin/env bash
# Builds the jar and runs ScheinCam on defaults (http://127.0.0.1:8080), with this repository as the
# app home: application.properties, routes/ and videos/ from here.
set -euo pipefail
cd "$(dirname "$0")/.."
bin/ensure-runtime-libs.sh
# with AppCDS (below) a jar that is still current is kept, since a rebuilt jar invalidates the archive
if [ "${SCHEINCAM_APPCDS:-0}" != 1 ] || [ ! -f target/scheincam.jar ] \
        || [ -n "$(find pom.xml src -newer target/scheincam.jar -print -quit)" ]; then
    mvn -q -B package -DskipTests
fi
export SCHEINCAM_HOME="${SCHEINCAM_HOME:-$PWD}"
# Optional: SCHEINCAM_APPCDS=1 keeps a class-data archive of the start-up (AppCDS): the first start
# after a build writes it when the app stops, later starts map it (measured on 2 cores: first answer
# ~1.7 s instead of ~3-5 s, ~50 MB less memory; docs/benchmark-serving.md).
java_opts=()
if [ "${SCHEINCAM_APPCDS:-0}" = 1 ]; then
    if [ target/scheincam.jsa -nt target/scheincam.jar ]; then
        java_opts+=(-XX:SharedArchiveFile=target/scheincam.jsa)
    else
        java_opts+=(-XX:ArchiveClassesAtExit=target/scheincam.jsa)
    fi
fi
exec java "${java_opts[@]}" -jar target/scheincam.jar "$@"
