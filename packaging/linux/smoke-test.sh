#!/usr/bin/env bash
# Does the installed program work on a machine without the project's venv?
# Unpacks the .deb into a temporary root (no dpkg -i: nothing is installed), hides .venv,
# and runs the packaged dho-console with a clean environment: it starts its own embedded
# backend (the same executable, subcommand `backend`) and renders a screenshot offscreen.
set -euo pipefail
dist="${1:-dist}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
deb=$(ls "$dist"/dho-console_*.deb | head -1)
work=$(mktemp -d)
hidden=""
restore() {
  if [[ -n "$hidden" && -d "$hidden" ]]; then mv "$hidden" "$root/.venv"; fi
  rm -rf "$work"
}
trap restore EXIT
dpkg-deb -x "$deb" "$work/root"
if [[ -d "$root/.venv" ]]; then hidden="$root/.venv.hidden-by-smoke-test"; mv "$root/.venv" "$hidden"; fi
mkdir -p "$work/home"
started=$(date +%s)
(cd "$work" && env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
  timeout 180 "$work/root/opt/dho-console/dho-console" --lang nb --size 1366x768 \
  --seed-patients 40 --screenshot "$work/shot.png" > "$work/log.txt" 2>&1) || {
  echo "smoke-test: the packaged console failed:" >&2; tail -30 "$work/log.txt" >&2; exit 1; }
bytes=$(stat -c %s "$work/shot.png")
(( bytes > 20000 )) || { echo "smoke-test: the screenshot is suspiciously small ($bytes bytes)" >&2; exit 1; }
# 40 seeded; about 4 % are discharged during the seeded month and leave the list.
rows=$(grep -o "patient list populated: [0-9]* rows" "$work/log.txt" | head -1 | grep -o "[0-9][0-9]*" || true)
(( ${rows:-0} >= 30 )) || {
  echo "smoke-test: the list was not populated from the embedded backend (rows: ${rows:-none})" >&2
  tail -30 "$work/log.txt" >&2; exit 1; }
cp "$work/shot.png" "$dist/bundle-screenshot.png"
echo "smoke-test: the packaged console rendered $dist/bundle-screenshot.png ($bytes bytes) in $(( $(date +%s) - started )) s"
