#!/usr/bin/env bash
# Speed of the core against its physical floor: export vs raw byte copy, frame percentiles.
# Generates a 60-minute 720p recording once (cached in target/bench/), then writes target/benchmark.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bin/ensure-runtime-libs.sh
mvn -q -B test-compile
mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=de.scheincam.bench.CoreBenchmark
mvn -q -B package -DskipTests && mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=de.scheincam.bench.ServingBenchmark
