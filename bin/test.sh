#!/usr/bin/env bash
# Runs every test: unit tests, then the integration tests that boot the real app (and the built jar)
# with the real ffmpeg on generated media, real OBS Studio under Xvfb and Chromium for the web UI.
# Installs what the tests need first. Afterwards, no secret any test configured may appear in any log
# line the whole run wrote.
set -euo pipefail
cd "$(dirname "$0")/.."
bin/ensure-runtime-libs.sh
bin/ensure-test-tools.sh
bin/lint-contract.sh
rm -rf target/test-logs
mvn -B verify "$@"
secrets=$(grep -rhoE '"(test-admin-token|[a-z-]*obs-secret|viewer-[a-z]*-?[0-9]+|a-long-admin-token)[^"]*"' src/test/java | tr -d '"' | sort -u)
[ -n "$secrets" ] || { echo "no test secrets found to look for" >&2; exit 1; }
leaks=0
for secret in $secrets; do
  if zgrep -lF -- "$secret" target/test-logs/* target/*.log 2>/dev/null; then
    echo "A secret the tests use ($secret) is in the log files above" >&2
    leaks=1
  fi
done
[ $leaks -eq 0 ] && echo "Checked $(echo "$secrets" | wc -w) test secrets: none in any log written during the run."
exit $leaks
