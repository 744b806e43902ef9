#!/usr/bin/env bash
# What the integration tests drive for real: OBS Studio (Debian's obs-studio, with obs-websocket 5.1) and Chromium with chromedriver for the web UI,
# Firefox ESR and mediainfo for the real-OBS clip checks (ObsMediaIT), Debian's ffmpeg (ffmpeg, ffprobe) for checks by tools we did not write,
# headless under Xvfb with Mesa's software OpenGL; Node.js and npm for the contract's linter (bin/lint-contract.sh);
# Prometheus's promtool and Alertmanager's amtool for the alert rules and examples in deploy/ (AlertRulesIT).
# Installs what is missing (as root or via sudo).
set -euo pipefail
missing=()
for pkg in obs-studio xvfb xauth libgl1-mesa-dri chromium chromium-driver fonts-dejavu-core firefox-esr mediainfo ffmpeg \
           prometheus prometheus-alertmanager; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# node and npm by command, not by package: a machine with another vendor's nodejs package (which brings npm
# and conflicts with Debian's npm) has them already, and apt could not add Debian's npm beside it
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing ${missing[*]} for the integration tests..." >&2
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "Please install: ${missing[*]}" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
