#!/usr/bin/env bash
# Lints the API contract (src/main/resources/openapi.yaml) with Redocly CLI's recommended rules
# (redocly.yaml at the repo root): any error fails, warnings are printed. Redocly CLI is pinned and
# installed once from the npm registry into ~/.cache, so later runs need no network.
# 1.34.x is the newest line that runs on Debian's Node.js 18 as well as on Node.js 20 (2.x needs 20.19+).
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.34.20
tools="${XDG_CACHE_HOME:-$HOME/.cache}/scheincam/redocly-cli-$version"
redocly="$tools/node_modules/.bin/redocly"
command -v node >/dev/null && command -v npm >/dev/null || {
  echo "Node.js and npm are needed to lint the contract (bin/ensure-test-tools.sh installs them)" >&2; exit 1; }
if [ ! -x "$redocly" ]; then
  echo "Installing Redocly CLI $version into $tools..." >&2
  # into a fresh folder, then moved into place: an install cut short is never taken for a finished one
  mkdir -p "$(dirname "$tools")"
  staging=$(mktemp -d "${tools}.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  npm install --prefix "$staging" --no-audit --no-fund --loglevel=error "@redocly/cli@$version" >&2
  rm -rf "$tools"
  mv "$staging" "$tools"
fi
# no usage data sent and no look-up for a newer version: the lint is the same offline as online
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
exec "$redocly" lint --config redocly.yaml src/main/resources/openapi.yaml
