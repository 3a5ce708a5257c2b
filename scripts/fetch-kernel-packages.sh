#!/usr/bin/env bash
# Fetches Debian's arm64 kernel packages of one series into .cache/debs/ (once) and extracts the
# image's modules tree and the headers' Module.symvers into .cache/kernels/<release>/.
#   bash scripts/fetch-kernel-packages.sh 6.12|6.1 [--source]
# Prints the release. --source also fetches linux-source-<series> and extracts it to
# .cache/src/linux-source-<series> (for the source scanner and scripts/import-kernel.ts).
# Used by the kmod tests on the real tree, the benchmark and the kernel profile generator.
set -euo pipefail
cd "$(dirname "$0")/.."
series=${1:?usage: fetch-kernel-packages.sh 6.12|6.1 [--source]}
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $SUDO dpkg --add-architecture arm64
  $SUDO apt-get update -q >/dev/null
fi
image_for() {
  case "$series" in
    6.1) echo linux-image-6.1.0-56-arm64 ;;
    *) apt-cache depends "linux-image-$series-arm64:arm64" 2>/dev/null |
      awk '/Depends: linux-image-6/ { print $2; exit }' | sed 's/:arm64$//' ;;
  esac
}
image=$(image_for)
if [ -z "$image" ]; then
  $SUDO apt-get update -q >/dev/null
  image=$(image_for)
fi
release=${image#linux-image-}
mkdir -p .cache/debs
wanted=("$image:arm64" "linux-headers-$release:arm64")
[ "${2:-}" = "--source" ] && wanted+=("linux-source-$series")
for package in "${wanted[@]}"; do
  name=${package%:arm64}
  ls .cache/debs/"${name}"_*.deb >/dev/null 2>&1 ||
    (cd .cache/debs && apt-get download -q "$package" >/dev/null 2>&1)
done
out=".cache/kernels/$release"
if [ ! -f "$out/SOURCE" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  image_deb=$(ls .cache/debs/"${image}"_*.deb)
  headers_deb=$(ls .cache/debs/linux-headers-"${release}"_*.deb)
  dpkg-deb -x "$image_deb" "$work/image"
  dpkg-deb -x "$headers_deb" "$work/headers"
  mkdir -p "$out"
  rm -rf "$out/lib"
  mv "$work/image/lib" "$out/lib"
  cp "$work/image/boot/config-$release" "$out/config"
  cp "$work"/headers/usr/src/linux-headers-*/Module.symvers "$out/Module.symvers"
  {
    for deb in "$image_deb" "$headers_deb"; do
      echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version) $(sha256sum "$deb" | cut -d' ' -f1)"
    done
  } > "$out/SOURCE"
fi
# The source, extracted once to .cache/src/linux-source-<series> (the scanner's input).
src=".cache/src/linux-source-$series"
if [ "${2:-}" = "--source" ] && [ ! -f "$src/Kconfig" ]; then
  source_deb=$(ls .cache/debs/linux-source-"${series}"_*.deb)
  work=$(mktemp -d)
  dpkg-deb --fsys-tarfile "$source_deb" | tar -x -C "$work" --wildcards '*.tar.xz'
  mkdir -p "$src"
  tar -xJf "$work/usr/src/linux-source-$series.tar.xz" -C "$src" --strip-components=1
  rm -rf "$work"
fi
echo "$release"
