#!/usr/bin/env bash
# Records the real /proc/modules of Debian's 6.1 arm64 kernel on QEMU virt: busybox's insmod loads
# 17 modules of linux-image-6.1.0-56-arm64 (dependencies first) and the guest prints
# /proc/modules, whose sizes src-main/catalog/import/module-layout.ts must reproduce for 6.1
# (tests/catalog/module-layout.test.ts). Run by hand, not by CI; offline once the .debs are cached.
#
#   scripts/record-real-6.1-sizes.sh
#
# Needs qemu-system-aarch64, python3, gzip, dpkg-deb.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RELEASE=6.1.0-56-arm64
OUT=$ROOT/resources/kernels/debian-6.1-arm64/reference/proc-modules.txt
MODULES=(net/llc/llc net/802/stp net/802/garp net/802/mrp net/8021q/8021q drivers/net/dummy
  drivers/net/vrf net/xfrm/xfrm_algo net/key/af_key fs/fat/fat fs/fat/vfat drivers/cdrom/cdrom
  fs/isofs/isofs net/bridge/bridge drivers/virtio/virtio_mmio drivers/firmware/qemu_fw_cfg
  drivers/input/keyboard/gpio_keys)

release=$(bash "$ROOT/scripts/fetch-kernel-packages.sh" 6.1)
[ "$release" = "$RELEASE" ] || { echo "expected $RELEASE, got $release" >&2; exit 1; }
image_deb=$(ls "$ROOT"/.cache/debs/linux-image-${RELEASE}_*_arm64.deb)
busybox_deb=$(ls "$ROOT"/.cache/debs/busybox-static_*_arm64.deb 2>/dev/null | tail -n1 || true)
[ -n "$busybox_deb" ] || busybox_deb=$(cd "$ROOT/.cache/debs" && apt-get download -q busybox-static:arm64 >/dev/null && ls "$PWD"/busybox-static_*_arm64.deb | tail -n1)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb --fsys-tarfile "$image_deb" | tar -x -C "$work" "./boot/vmlinuz-$RELEASE"
dpkg-deb -x "$busybox_deb" "$work/bb"
r=$work/root
mkdir -p "$r"/{bin,proc,m}
cp "$work/bb/bin/busybox" "$r/bin/busybox"
for applet in sh insmod cat poweroff mount echo; do ln -s busybox "$r/bin/$applet"; done
names=()
for module in "${MODULES[@]}"; do
  cp "$ROOT/.cache/kernels/$RELEASE/lib/modules/$RELEASE/kernel/$module.ko" "$r/m/"
  names+=("$(basename "$module")")
done
cat >"$r/init" <<EOT
#!/bin/sh
mount -t proc proc /proc
for m in ${names[*]}; do insmod /m/\$m.ko; done
echo @@@@ BEGIN
cat /proc/modules
echo @@@@ END
poweroff -f
EOT
chmod +x "$r/init"
python3 "$ROOT/scripts/record-real/mkcpio.py" "$r" "$work/init.cpio"
gzip -9 -n "$work/init.cpio"
timeout 600 qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -smp 2 -m 2G -nographic \
  -kernel "$work/boot/vmlinuz-$RELEASE" -initrd "$work/init.cpio.gz" \
  -append 'console=ttyAMA0 quiet' </dev/null >"$work/out.raw"
{
  echo "# /proc/modules of $(basename "$image_deb") (sha256 $(sha256sum "$image_deb" | cut -d' ' -f1))"
  echo "# on $(qemu-system-aarch64 --version | head -n1), busybox insmod from $(basename "$busybox_deb");"
  echo "# recorded by scripts/record-real-6.1-sizes.sh (addresses are KASLR's, different each boot)"
  tr -d '\r' <"$work/out.raw" | sed -n '/^@@@@ BEGIN/,/^@@@@ END/p' | sed '1d;$d'
} >"$OUT"
echo "$OUT: $(grep -vc '^#' "$OUT") modules"
