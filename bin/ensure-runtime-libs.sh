#!/usr/bin/env bash
# The ffmpeg bundled in the jar needs the PulseAudio client library (Debian/Ubuntu: libpulse0), which
# every machine running OBS Studio already has. Installs it when missing (as root or via sudo).
set -euo pipefail
if ldconfig -p 2>/dev/null | grep -q 'libpulse\.so\.0'; then
  exit 0
fi
echo "Installing libpulse0 (needed by the bundled ffmpeg)..." >&2
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "Please install libpulse0 (apt-get install libpulse0) or set scheincam.ffmpeg.path." >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends libpulse0 >/dev/null
