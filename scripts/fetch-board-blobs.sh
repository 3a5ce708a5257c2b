#!/usr/bin/env bash
# Fetches the devicetree blobs of Debian's 6.12 arm64 kernel package into .cache/dtbs/<version>/
# (once), with a SOURCE file recording the package, its version and its sha256. Prints the folder.
# Used by the corpus tests, the benchmark and scripts/generate-board-profiles.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $SUDO dpkg --add-architecture arm64
  $SUDO apt-get update -q >/dev/null
fi
package=$(apt-cache depends linux-image-6.12-arm64:arm64 2>/dev/null | awk '/Depends: linux-image-6/ { print $2; exit }' | sed 's/:arm64$//')
if [ -z "$package" ]; then
  $SUDO apt-get update -q >/dev/null
  package=$(apt-cache depends linux-image-6.12-arm64:arm64 | awk '/Depends: linux-image-6/ { print $2; exit }' | sed 's/:arm64$//')
fi
release=${package#linux-image-}
out=".cache/dtbs/$release"
if [ -f "$out/SOURCE" ]; then
  echo "$out"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q "$package:arm64" >/dev/null 2>&1)
deb=$(ls "$work"/*.deb)
dpkg-deb -x "$deb" "$work/root"
mkdir -p "$out"
(cd "$work/root/usr/lib/linux-image-$release" && find . -name '*.dtb' -exec cp --parents {} "$OLDPWD/$out/" \;)
{
  echo "package: $package"
  echo "version: $(dpkg-deb -f "$deb" Version)"
  echo "sha256: $(sha256sum "$deb" | cut -d' ' -f1)"
  echo "path: usr/lib/linux-image-$release"
} > "$out/SOURCE"
echo "$out"
