#!/usr/bin/env bash
# Speed of the core against its physical floor: export vs raw byte copy, frame percentiles.
# Generates a 60-minute 720p recording once (cached in target/bench/), then writes target/benchmark.md.
# Smart cut against its floor, on a recording real OBS makes here (400 s of 720p, cached) and the 60-minute
# one: target/benchmark-exact.md (needs obs-studio and xvfb, as the tests do). Downloads of a 2 GB recording
# (made in target/media, deleted after) against a raw sendfile copy of its bytes: appended to target/benchmark.md.
# Then frames while scrubbing (ScrubBenchmark) and the jar cold, a fresh JVM per start (ColdBenchmark; give it
# label=jar arguments to compare jars, e.g. one built from an earlier commit). Last the sound envelope for act
# suggestions against ffmpeg decoding the same sound (SoundBenchmark).
set -euo pipefail
cd "$(dirname "$0")/.."
bin/ensure-runtime-libs.sh
mvn -q -B test-compile
mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=de.scheincam.bench.CoreBenchmark
mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=de.scheincam.bench.ExactBenchmark
mvn -q -B package -DskipTests && mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=de.scheincam.bench.ServingBenchmark
mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=de.scheincam.bench.DownloadBenchmark
mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=de.scheincam.bench.ScrubBenchmark
mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=de.scheincam.bench.ColdBenchmark
mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=de.scheincam.bench.SoundBenchmark
