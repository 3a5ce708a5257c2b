#!/usr/bin/env bash
# Fetches the devicetree sources of Debian's linux-source-6.1 package into .cache/dts-src/<version>/
# (once): arch/arm64/boot/dts, arch/arm/boot/dts (arm64 boards include some of them),
# include/dt-bindings, include/uapi (where some dt-bindings headers link) and
# scripts/dtc/include-prefixes, with a SOURCE file recording the package, version and sha256.
# Prints the folder. Used by the source tests and the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
package=linux-source-6.1
version=$(apt-cache policy "$package" 2>/dev/null | awk '/Candidate:/ { print $2 }')
if [ -z "$version" ] || [ "$version" = "(none)" ]; then
  echo "apt does not know $package: run apt-get update" >&2
  exit 1
fi
out=".cache/dts-src/$version"
if [ -f "$out/SOURCE" ]; then
  echo "$out"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q "$package=$version" >/dev/null 2>&1)
deb=$(ls "$work"/*.deb)
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards '*.tar.xz'
mkdir -p "$out"
tar -xJf "$work"/usr/src/linux-source-6.1.tar.xz -C "$out" --strip-components=1 \
  --wildcards 'linux-source-6.1/arch/arm64/boot/dts/*' 'linux-source-6.1/arch/arm/boot/dts/*' \
  'linux-source-6.1/include/dt-bindings/*' 'linux-source-6.1/include/uapi/*' \
  'linux-source-6.1/scripts/dtc/include-prefixes/*'
{
  echo "package: $package"
  echo "version: $version"
  echo "sha256: $(sha256sum "$deb" | cut -d' ' -f1)"
} > "$out/SOURCE"
echo "$out"
