#!/usr/bin/env bash
# Shared libraries the Qt wheels need on Debian/Ubuntu (offscreen and on a real display).
# As root on Debian we install what is missing; otherwise we only say what is missing.
set -euo pipefail
pkgs=(libgl1 libegl1 libglib2.0-0 libxkbcommon0 libfontconfig1 libdbus-1-3 libpulse0 fonts-dejavu-core
      poppler-utils)  # pdftoppm: the tests render the exported PDF reports
# For a real X11 display Qt's xcb platform plugin also needs these.
if [[ -n "${DISPLAY:-}" ]]; then
  pkgs+=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
         libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1)
fi
# `system-deps.sh bundle`: also what PyInstaller uses to read binaries (objdump).
if [[ "${1:-}" == "bundle" ]]; then
  pkgs+=(binutils)
fi
command -v dpkg-query >/dev/null || { echo "system-deps: not a Debian system, skipping check"; exit 0; }
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "system-deps: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system-deps: missing ${missing[*]}; install them with:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
