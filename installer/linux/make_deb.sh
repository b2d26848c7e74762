#!/usr/bin/env bash
# Package a built one-folder bundle as a Debian package with dpkg-deb.
#
#   installer/linux/make_deb.sh BUNDLE_DIR VERSION OUT_DIR   -> OUT_DIR/roadwatch_VERSION_amd64.deb
#
# Layout: the bundle in /opt/roadwatch, /usr/bin/roadwatch (a relative symlink), a desktop
# entry and icon, the licence under /usr/share/doc. Owned by root, nothing world-writable.
set -euo pipefail
BUNDLE="$1"; VERSION="$2"; OUT="$3"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ARCH="$(dpkg --print-architecture)"
STAGE="$OUT/deb/roadwatch_${VERSION}_${ARCH}"
DEB="$OUT/roadwatch_${VERSION}_${ARCH}.deb"

rm -rf "$STAGE" && mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" \
    "$STAGE/usr/share/applications" "$STAGE/usr/share/icons/hicolor/256x256/apps" \
    "$STAGE/usr/share/doc/roadwatch"
cp -a "$BUNDLE" "$STAGE/opt/roadwatch"
ln -s ../../opt/roadwatch/roadwatch "$STAGE/usr/bin/roadwatch"
install -m 0644 "$HERE/roadwatch.desktop" "$STAGE/usr/share/applications/roadwatch.desktop"
install -m 0644 "$ROOT/resources/icons/roadwatch.png" "$STAGE/usr/share/icons/hicolor/256x256/apps/roadwatch.png"
install -m 0644 "$ROOT/LICENSE" "$STAGE/usr/share/doc/roadwatch/copyright"
install -m 0755 "$HERE/postinst" "$STAGE/DEBIAN/postinst"
install -m 0755 "$HERE/postrm" "$STAGE/DEBIAN/postrm"
# Nothing group- or world-writable, no setuid/setgid bits, whatever the build umask was.
chmod -R u+rwX,go+rX,go-w "$STAGE"
find "$STAGE" -type f -perm /6000 -exec chmod ug-s {} +

INSTALLED_KB="$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$INSTALLED_KB/" \
    "$HERE/control.in" > "$STAGE/DEBIAN/control"

# zstd (dpkg >= 1.21.18: Debian 12, Ubuntu 22.04 and newer) packs 1 GB in seconds, not minutes.
dpkg-deb --root-owner-group -Zzstd -z9 --build "$STAGE" "$DEB" >/dev/null
rm -rf "$STAGE"
echo "package: $DEB ($(du -h "$DEB" | cut -f1), $((INSTALLED_KB / 1024)) MB installed)"
