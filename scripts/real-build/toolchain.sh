#!/usr/bin/env bash
# Prepares the real arm64 module build of one Debian kernel release for scripts/real-build/:
# the cross compiler (gcc-aarch64-linux-gnu from apt), Debian's arm64 headers and their -common
# tree, the amd64 linux-kbuild host tools (modpost, fixdep...), all extracted under
# .cache/real-build/<release>/root, and the real System.map of the build (from the -dbg package),
# extracted to .cache/kernels/<release>/System.map.
#   bash scripts/real-build/toolchain.sh RELEASE      (e.g. 6.12.117+deb12-arm64)
# Prints the headers directory to pass as `make -C`.
set -euo pipefail
cd "$(dirname "$0")/../.."
release=${1:?usage: toolchain.sh RELEASE}
flavour=${release##*-}
base=${release%-"$flavour"}
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! command -v aarch64-linux-gnu-gcc-12 >/dev/null; then
  $SUDO apt-get install -y -q gcc-aarch64-linux-gnu >/dev/null
fi
mkdir -p .cache/debs
wanted=("linux-headers-$release:arm64" "linux-headers-$base-common" "linux-kbuild-$base"
  "linux-image-$release-dbg:arm64")
for package in "${wanted[@]}"; do
  name=${package%:arm64}
  ls .cache/debs/"${name}"_*.deb >/dev/null 2>&1 ||
    (cd .cache/debs && apt-get download -q "$package" >/dev/null 2>&1)
done
root=".cache/real-build/$release/root"
headers="$root/usr/src/linux-headers-$release"
if [ ! -f "$root/.done" ]; then
  rm -rf "$root"
  mkdir -p "$root"
  for name in "linux-headers-$release" "linux-headers-$base-common" "linux-kbuild-$base"; do
    dpkg-deb -x "$(ls .cache/debs/"${name}"_*.deb)" "$root"
  done
  # The arm64 Makefile includes the -common tree by its installed path (/usr/src/...): point it
  # at the extracted copy. The scripts/ and tools/ symlinks are relative and stay inside $root.
  sed -i "s#^include /usr/src/#include $(realpath "$root")/usr/src/#" "$headers/Makefile"
  touch "$root/.done"
fi
map=".cache/kernels/$release/System.map"
if [ ! -f "$map" ]; then
  mkdir -p "$(dirname "$map")"
  work=$(mktemp -d)
  dpkg-deb --fsys-tarfile "$(ls .cache/debs/linux-image-"$release"-dbg_*.deb)" |
    tar -x -C "$work" "./usr/lib/debug/boot/System.map-$release"
  mv "$work/usr/lib/debug/boot/System.map-$release" "$map"
  rm -rf "$work"
fi
realpath "$headers"
