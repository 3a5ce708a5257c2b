#!/usr/bin/env bash
# What the tests need beyond node_modules, installed or fetched once (run by `npm test` first):
# Debian's Chromium drives the end-to-end tests; dtc checks the devicetree reader; kmod (depmod,
# modprobe, modinfo) is the oracle for the simulated module tools, busybox for the shell's text
# filters (grep, head, tail, wc); cpp + dtc build the reference
# trees for the DTS parser; Debian's arm64 kernel blobs and linux-source's devicetree sources are
# the corpus tests' data. Without them the tests skip, except in CI (CI=true), where they fail.
set -uo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
command -v "${CHROMIUM_PATH:-chromium}" >/dev/null 2>&1 || missing+=(chromium)
command -v dtc >/dev/null 2>&1 || missing+=(device-tree-compiler)
command -v depmod >/dev/null 2>&1 || [ -x /usr/sbin/depmod ] || missing+=(kmod)
command -v cpp >/dev/null 2>&1 || missing+=(cpp)
command -v busybox >/dev/null 2>&1 || missing+=(busybox)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]} from Debian"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" ||
    echo "could not install ${missing[*]}: the tests that need them skip (and fail in CI)"
fi

bash scripts/fetch-board-blobs.sh >/dev/null ||
  echo "board blobs could not be fetched: the corpus tests skip (and fail in CI)"
bash scripts/fetch-dts-sources.sh >/dev/null ||
  echo "kernel sources could not be fetched: the source tests skip (and fail in CI)"
# Debian's 6.12 and 6.1 arm64 kernels: their modules trees and Module.symvers (kmod on the real
# trees, 6.1's module sizes) and their sources, extracted (the source scanner's tests). One after
# the other: each may run apt-get.
for series in 6.12 6.1; do
  bash scripts/fetch-kernel-packages.sh "$series" --source >/dev/null ||
    echo "Debian's $series kernel packages could not be fetched: their tests skip (and fail in CI)"
done
exit 0
