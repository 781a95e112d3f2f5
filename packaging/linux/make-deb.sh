#!/usr/bin/env bash
# Build dist/dho-console_<version>_<arch>.deb from the PyInstaller bundle (dpkg-deb):
#   /opt/dho-console/            the one-folder bundle
#   /usr/bin/dho-console         a link to /opt/dho-console/dho-console
#   /usr/share/applications/     example.dho.Console.desktop
#   /usr/share/metainfo/         example.dho.Console.metainfo.xml (AppStream)
#   /usr/share/icons/hicolor/    the icon (scalable, 256 and 64 px)
#   /usr/share/doc/dho-console/  an example of the system-wide /etc/xdg/DHO/dho-console.conf
# and checks the bundle against its size budget (350 MB unpacked).
set -euo pipefail
bundle="${1:-dist/dho-console}" out="${2:-dist}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
budget_mb=350
[[ -x "$bundle/dho-console" ]] || { echo "make-deb: no bundle at $bundle (run make bundle)" >&2; exit 1; }
size_mb=$(( $(du -sk "$bundle" | cut -f1) / 1024 ))
echo "make-deb: bundle is ${size_mb} MB unpacked (budget ${budget_mb} MB)"
(( size_mb <= budget_mb )) || { echo "make-deb: the bundle is over its size budget" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "make-deb: dpkg-deb not found; the bundle is in $bundle" >&2; exit 0; }

version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/pyproject.toml" | head -1)
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg="$stage/dho-console"
install -d "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" \
  "$pkg/usr/share/metainfo" "$pkg/usr/share/doc/dho-console" \
  "$pkg/usr/share/icons/hicolor/scalable/apps" "$pkg/usr/share/icons/hicolor/256x256/apps" \
  "$pkg/usr/share/icons/hicolor/64x64/apps"
cp -a "$bundle" "$pkg/opt/dho-console"
ln -s /opt/dho-console/dho-console "$pkg/usr/bin/dho-console"
install -m 644 "$root/packaging/linux/example.dho.Console.desktop" "$pkg/usr/share/applications/"
install -m 644 "$root/packaging/linux/example.dho.Console.metainfo.xml" "$pkg/usr/share/metainfo/"
install -m 644 "$root/resources/icons/dho-console.svg" \
  "$pkg/usr/share/icons/hicolor/scalable/apps/example.dho.Console.svg"
install -m 644 "$root/resources/icons/dho-console-256.png" \
  "$pkg/usr/share/icons/hicolor/256x256/apps/example.dho.Console.png"
install -m 644 "$root/resources/icons/dho-console-64.png" \
  "$pkg/usr/share/icons/hicolor/64x64/apps/example.dho.Console.png"
install -m 644 "$root/packaging/linux/dho-console.conf.example" "$pkg/usr/share/doc/dho-console/"
installed_kb=$(du -sk "$pkg" --exclude=DEBIAN | cut -f1)
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: dho-console
Version: $version
Architecture: $arch
Maintainer: DHO project <dho@dho.example>
Installed-Size: $installed_kb
Section: misc
Priority: optional
Depends: libc6 (>= 2.34), libgl1, libegl1, libglib2.0-0, libxkbcommon0, libfontconfig1, libfreetype6, libdbus-1-3, libpulse0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-xinerama0, libxcb-xkb1, fonts-dejavu-core
Recommends: gnome-keyring | kwalletmanager
Homepage: https://dho.example/
Description: Response-centre console for digital home follow-up (HL7 FHIR R4)
 Nurses in a response centre watch live patient lists, trends and an alert
 queue, message patients and start video calls. The console speaks HL7 FHIR
 R4 to any server and includes a training backend with synthetic patients.
 System-wide settings: /etc/xdg/DHO/dho-console.conf (see
 /usr/share/doc/dho-console/dho-console.conf.example).
CONTROL
deb="$out/dho-console_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip -z3 --build "$pkg" "$deb" >/dev/null
echo "make-deb: wrote $deb ($(( $(stat -c %s "$deb") / 1024 / 1024 )) MB)"
