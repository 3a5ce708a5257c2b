#!/usr/bin/env bash
# Records what Debian's real 6.12 arm64 kernel prints, booted under QEMU (TCG):
#   - three boot logs (initcall_debug ignore_loglevel / plain / quiet) with a busybox-only
#     initramfs whose /init powers off at once, as the 6.1 profile's reference logs were made;
#   - module transcripts (kmod 30 from Debian 12 inside the guest), one boot per case.
# Run by hand (not by CI); idempotent, offline once the .debs are in .cache/debs/.
#
#   scripts/record-real-6.12.sh [all|boot|cases] [CASE...]
#
# Needs on the host: qemu-system-aarch64 (apt-get install qemu-system-arm), python3, xz,
# gzip, dpkg-deb, depmod (kmod). Missing userspace .debs are fetched once with apt-get download.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE=$ROOT/scripts/record-real
DEBS=${DEBS:-$ROOT/.cache/debs}
WORK=${WORK:-$ROOT/.cache/record-real-6.12}
RELEASE=6.12.117+deb12-arm64
REF=$ROOT/resources/kernels/debian-6.12-arm64/reference
CASES_OUT=$ROOT/tests/userspace/cases-6.12
QEMU=(qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -smp 4 -m 2G -nographic)
TIMEOUT=${TIMEOUT:-600}
ALL_CASES=(missing_dependency llc_stp_garp permanent modprobe_r alias_and_builtin bad_files
  params init_enodev init_enodev_initcall_debug unsigned modinfo show_depends)
# Modules the cases use; the initramfs holds them and their dependencies (from modules.dep).
CASE_MODULES=(garp stp llc mrp 8021q bridge vrf dummy xen-gntdev af_key xfrm_algo vfat fat
  isofs cdrom)
USER_DEBS=(busybox-static kmod libkmod2 liblzma5 libzstd1 libssl3 libc6)

what=${1:-all}
shift || true
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=("${ALL_CASES[@]}")

deb() { # deb NAME ARCH-GLOB -> path of the cached .deb
  local f
  f=$(ls "$DEBS"/"$1"_*_"$2".deb 2>/dev/null | sort | tail -n1 || true)
  if [ -z "$f" ]; then
    (cd "$DEBS" && apt-get download "$1:arm64" >&2)
    f=$(ls "$DEBS"/"$1"_*_"$2".deb | sort | tail -n1)
  fi
  echo "$f"
}

mkdir -p "$DEBS" "$WORK"
IMAGE_DEB=$(ls "$DEBS"/linux-image-${RELEASE}_*_arm64.deb | sort | tail -n1)

echo "== extracting $(basename "$IMAGE_DEB")"
rm -rf "$WORK/img" "$WORK/user"
mkdir -p "$WORK/img" "$WORK/user"
dpkg-deb -x "$IMAGE_DEB" "$WORK/img"
for p in "${USER_DEBS[@]}"; do
  dpkg-deb -x "$(deb "$p" arm64)" "$WORK/user"
done
VMLINUZ=$WORK/img/boot/vmlinuz-$RELEASE
MODS=$WORK/img/lib/modules/$RELEASE
# Full-tree depmod on the host (kmod 30 too), only to know the subset's dependency closure.
depmod -b "$WORK/img" "$RELEASE"

BB_APPLETS=(sh ash mount umount dmesg cat echo poweroff sed awk ls head tail xzcat cp mkdir
  sleep uname od wc dd printf grep rm ln tr cut sort)

base_rootfs() { # base_rootfs DIR: busybox with a fixed applet list, no modutils applets
  local d=$1
  rm -rf "$d"
  mkdir -p "$d"/{bin,sbin,proc,sys,dev,tmp,etc,root,lab}
  cp "$WORK/user/bin/busybox" "$d/bin/busybox"
  for a in "${BB_APPLETS[@]}"; do ln -s busybox "$d/bin/$a"; done
}

pack() { # pack DIR OUT.cpio.gz
  python3 "$HERE/mkcpio.py" "$1" "${2%.gz}"
  gzip -9 -n -f "${2%.gz}"
}

boot() { # boot INITRD APPEND OUT.raw
  echo "   ${QEMU[*]} -kernel vmlinuz -initrd $(basename "$1") -append '$2'"
  # "hrtimer: interrupt took N ns" is TCG on a busy host, not the kernel's normal output:
  # boot again (up to $ATTEMPTS times, default 3) rather than keep it in a recording.
  for attempt in $(seq "${ATTEMPTS:-3}"); do
    timeout "$TIMEOUT" "${QEMU[@]}" -kernel "$VMLINUZ" -initrd "$1" -append "$2" </dev/null >"$3"
    grep -aq 'hrtimer: interrupt took' "$3" || return 0
    echo "   (attempt $attempt printed 'hrtimer: interrupt took', booting again)"
  done
}

if [ "$what" = all ] || [ "$what" = boot ]; then
  echo "== boot logs"
  base_rootfs "$WORK/bootfs"
  printf '#!/bin/sh\nexec /bin/busybox poweroff -f\n' >"$WORK/bootfs/init"
  chmod +x "$WORK/bootfs/init"
  pack "$WORK/bootfs" "$WORK/boot-initramfs.cpio.gz"
  mkdir -p "$REF"
  for v in initcall_debug plain quiet; do
    case $v in
      initcall_debug) append='console=ttyAMA0 initcall_debug ignore_loglevel' out=qemu-virt-initcall_debug.log ;;
      plain) append='console=ttyAMA0' out=qemu-virt.log ;;
      quiet) append='console=ttyAMA0 quiet' out=qemu-virt-quiet.log ;;
    esac
    boot "$WORK/boot-initramfs.cpio.gz" "$append" "$WORK/boot-$v.raw"
    # Kernel lines only, as the serial console gave them (CRLF kept, like the 6.1 logs).
    grep -a '^\[' "$WORK/boot-$v.raw" >"$REF/$out"
    echo "   $out: $(wc -l <"$REF/$out") lines"
  done
fi

if [ "$what" = all ] || [ "$what" = cases ]; then
  echo "== module initramfs"
  R=$WORK/modfs
  base_rootfs "$R"
  # Debian's kmod 30 and the libraries it needs (ld.so, libc, libkmod, liblzma, libzstd, libcrypto)
  cp -a "$WORK/user/bin/kmod" "$R/bin/kmod"
  for t in lsmod; do ln -s kmod "$R/bin/$t"; done
  for t in depmod insmod lsmod modinfo modprobe rmmod; do ln -s /bin/kmod "$R/sbin/$t"; done
  mkdir -p "$R/lib/aarch64-linux-gnu" "$R/usr/lib/aarch64-linux-gnu" "$R/lib/modprobe.d" "$R/etc/modprobe.d"
  cp -a "$WORK/user/lib/ld-linux-aarch64.so.1" "$R/lib/"
  for l in ld-linux-aarch64.so.1 libc.so.6; do cp -aL "$WORK/user/lib/aarch64-linux-gnu/$l" "$R/lib/aarch64-linux-gnu/"; done
  cp -aL "$WORK/user/lib/aarch64-linux-gnu/liblzma.so.5" "$R/lib/aarch64-linux-gnu/"
  for l in libkmod.so.2 libzstd.so.1 libcrypto.so.3; do cp -aL "$WORK/user/usr/lib/aarch64-linux-gnu/$l" "$R/usr/lib/aarch64-linux-gnu/"; done
  cp "$WORK/user/lib/modprobe.d/aliases.conf" "$R/lib/modprobe.d/"
  # The modules: the cases' modules and their dependency closure, as packaged (.ko.xz, signed),
  # plus the package's modules.order, modules.builtin, modules.builtin.modinfo.
  mkdir -p "$R/lib/modules/$RELEASE"
  cp "$MODS"/modules.{order,builtin,builtin.modinfo} "$R/lib/modules/$RELEASE/"
  for m in "${CASE_MODULES[@]}"; do
    line=$(grep -E "/$m\.ko\.xz:" "$MODS/modules.dep")
    echo "$line" | tr -d ':' | tr ' ' '\n'
  done | sort -u | while read -r f; do
    [ -n "$f" ] || continue
    mkdir -p "$R/lib/modules/$RELEASE/$(dirname "$f")"
    cp "$MODS/$f" "$R/lib/modules/$RELEASE/$f"
  done
  (cd "$R/lib/modules/$RELEASE" && find kernel -name '*.ko.xz' | sort >"$WORK/module-subset.txt")
  # Files for the bad-file and unsigned cases
  xz -dc "$MODS/kernel/net/llc/llc.ko.xz" >"$R/lab/llc.ko"
  xz -dc "$MODS/kernel/drivers/net/dummy.ko.xz" >"$WORK/dummy.ko"
  python3 "$HERE/strip-sig.py" "$R/lab/llc.ko" "$R/lab/llc-unsigned.ko"
  python3 "$HERE/strip-sig.py" "$WORK/dummy.ko" "$R/lab/dummy-unsigned.ko"
  printf 'this is not an ELF file\n' >"$R/lab/notelf.ko"
  : >"$R/lab/empty.ko"
  xz -dc "$MODS/kernel/net/802/garp.ko.xz" >"$WORK/garp.ko"
  head -c 4096 "$WORK/garp.ko" >"$R/lab/truncated.ko"
  head -c 2048 "$MODS/kernel/net/802/garp.ko.xz" >"$R/lab/truncated.ko.xz"
  cp "$HERE/cases.sh" "$R/lab/cases.sh"
  cp "$HERE/guest-init.sh" "$R/init"
  chmod +x "$R/init"
  pack "$R" "$WORK/modules-initramfs.cpio.gz"
  ls -l "$WORK/modules-initramfs.cpio.gz"

  mkdir -p "$CASES_OUT"
  for c in "${cases[@]}"; do
    echo "== case $c"
    append="console=ttyAMA0 modlab_case=$c"
    case $c in *_initcall_debug) append="console=ttyAMA0 initcall_debug modlab_case=$c" ;; esac
    boot "$WORK/modules-initramfs.cpio.gz" "$append" "$WORK/case-$c.raw"
    out=$CASES_OUT/${c//_/-}.txt
    tr -d '\r' <"$WORK/case-$c.raw" | sed -n '/^@@@@ BEGIN TRANSCRIPT/,/^@@@@ END TRANSCRIPT/p' |
      sed '1d;$d' >"$out"
    if ! grep -q '^## case' "$out"; then
      echo "   no transcript for $c (see $WORK/case-$c.raw)" >&2
      exit 1
    fi
    tr -d '\r' <"$WORK/case-$c.raw" | sed -n '/^@@@@ BEGIN DEPMOD/,/^@@@@ END DEPMOD/p' | sed '1d;$d' >"$WORK/depmod-$c.out"
    echo "   $(basename "$out"): $(grep -c '^# ' "$out") commands"
  done
  cp "$WORK/module-subset.txt" "$CASES_OUT/module-subset.txt"
fi

# Provenance, rewritten on every run (the recordings' date is the run's date).
provenance() {
  echo "Recorded $(date -u '+%Y-%m-%d %H:%M UTC') by \`scripts/record-real-6.12.sh\` on $(qemu-system-aarch64 --version | head -n1) (TCG, x86-64 host)."
  echo
  echo "| package | sha256 |"
  echo "| --- | --- |"
  for f in "$IMAGE_DEB" $(for p in "${USER_DEBS[@]}"; do deb "$p" arm64; done); do
    echo "| \`$(basename "$f")\` | \`$(sha256sum "$f" | cut -d' ' -f1)\` |"
  done
}
if [ "$what" = all ] || [ "$what" = boot ]; then
  {
    cat <<'EOT'
# Debian 6.12 arm64 on QEMU virt: real boot logs

Debian 12's `linux-image-6.12.117+deb12-arm64` (6.12.117-1~deb12u1, from bookworm-security)
booted on QEMU `virt`; the serial console as captured (kernel lines only, CRLF kept, as the
6.1 profile's logs). The initramfs is busybox-static alone with `/init` = `exec busybox
poweroff -f` (`Freeing initrd memory: 960K`; the 6.1 recordings' initramfs gave 964K).

| file | `-append` |
| --- | --- |
| `qemu-virt-initcall_debug.log` | `console=ttyAMA0 initcall_debug ignore_loglevel` |
| `qemu-virt.log` | `console=ttyAMA0` |
| `qemu-virt-quiet.log` | `console=ttyAMA0 quiet` |

    qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -smp 4 -m 2G -nographic \
      -kernel vmlinuz-6.12.117+deb12-arm64 -initrd boot-initramfs.cpio.gz -append '...'

(The 6.1 profile's `kernel.json` `source.log` names the same line without `-nographic`, which
only routes the serial port to stdio.) Timestamps and KASLR addresses differ run to run; TCG on
a shared 2-core host makes the timestamps larger than on hardware; a boot that printed
`hrtimer: interrupt took N ns` (a TCG artefact) is redone, up to $ATTEMPTS times (default 3).

Re-record: `scripts/record-real-6.12.sh boot` (offline once the .debs are in `.cache/debs/`).
EOT
    echo
    provenance
  } >"$REF/README.md"
fi
if [ "$what" = all ] || [ "$what" = cases ]; then
  {
    cat <<'EOT'
# Module transcripts recorded on the real Debian 6.12 arm64 kernel

Raw recordings, one file per case, made by `scripts/record-real-6.12.sh cases` (the case
scripts are `scripts/record-real/cases.sh`, the guest's `/init` is
`scripts/record-real/guest-init.sh`). One QEMU boot per case, so taints and loaded modules do not
carry over:

    qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -smp 4 -m 2G -nographic \
      -kernel vmlinuz-6.12.117+deb12-arm64 -initrd modules-initramfs.cpio.gz \
      -append 'console=ttyAMA0 modlab_case=CASE'      # *-initcall-debug: plus initcall_debug

Userspace is Debian 12's own kmod 30 (`/bin/kmod`, its `/sbin` symlinks, libkmod2, liblzma5,
libzstd1, libcrypto from libssl3, libc6) and busybox-static for the shell. Busybox's own
modutils applets are never used (kmod's tools are called through shell functions, see
`cases.sh`). `/lib/modprobe.d/aliases.conf` is kmod's; `/etc/modprobe.d` is empty.

**Modules tree**: a subset, `module-subset.txt` (the cases' modules and their dependency
closure, as packaged: signed `.ko.xz`), plus the package's real `modules.order`,
`modules.builtin` and `modules.builtin.modinfo` (the package ships no other `modules.*`).
The guest runs Debian's `depmod -a` at boot to build the indexes for that subset.
Files under `/lab` are made by the script: `llc.ko` (llc decompressed, still signed),
`llc-unsigned.ko` and `dummy-unsigned.ko` (decompressed and the appended signature block
removed: PKCS#7 + 12-byte `struct module_signature` + `~Module signature appended~\n`),
`notelf.ko` (24 bytes of text), `empty.ko` (0 bytes), `truncated.ko` (first 4096 bytes of the
decompressed garp.ko), `truncated.ko.xz` (first 2048 bytes of garp.ko.xz).

## Format

    ## header: case, kernel version, command line, userspace versions
    # COMMAND            (run as `sh -c`)
    [stdout]             (only if any; stdout first, then stderr: they are captured apart)
    [stderr]
    [exit N]
    [kmsg]               (only if any) the kernel records the command produced:
    <LEVEL>[  TIME] TEXT     busybox `dmesg -r -c` after the command (and a 0.3 s wait)

Every case ends with `cat /proc/modules` and `cat /proc/sys/kernel/tainted`.
Timestamps, module addresses, pids and `after N usecs` differ run to run. A boot whose
console shows `hrtimer: interrupt took N ns` (TCG on a loaded host) is redone, up to $ATTEMPTS times (default 3).

## Cases

| file | what |
| --- | --- |
| `missing-dependency.txt` | insmod stp, garp without llc/stp loaded; then in order |
| `llc-stp-garp.txt` | modprobe garp; rmmod llc/stp (in use); rmmod in the right order |
| `permanent.txt` | vrf (init, no exit): `[permanent]`; rmmod, modprobe -r, rmmod -f (Debian has MODULE_FORCE_UNLOAD=y) |
| `modprobe-r.txt` | modprobe -r with dependencies, in-use, not loaded, unknown |
| `alias-and-builtin.txt` | net-pf-15, fs-vfat, fs-iso9660 aliases; built-in ipv6/fuse; --first-time; -n |
| `bad-files.txt` | not ELF, empty, truncated .ko and .ko.xz, missing file, duplicate load |
| `params.txt` | unknown parameters; int parameter given `abc`, no value, out of range |
| `init-enodev.txt` | xen-gntdev (init returns -ENODEV when `!xen_domain()`) |
| `init-enodev-initcall-debug.txt` | the same and other loads, booted with `initcall_debug` |
| `unsigned.txt` | insmod of unsigned modules: taint E, message printed once per boot |
| `modinfo.txt` | modinfo of garp, dummy, vfat, `-F depends` 8021q, built-in ipv6, unknown |
| `show-depends.txt` | modprobe --show-depends of 8021q, vfat, net-pf-15, ipv6, unknown |

## Facts a simulator must reproduce (from these recordings)

- `/proc/modules` sizes: llc 16384, stp 12288, garp 20480, mrp 20480, 8021q 36864, vrf 32768,
  dummy 12288, xfrm_algo 16384, af_key 40960, fat 86016, vfat 20480, cdrom 77824, isofs 49152.
  Holders: `/proc/modules` says `llc 16384 2 garp,stp, Live ...`, kmod's lsmod `llc 16384  2 stp,garp`
  (lsmod reads `/sys/module/llc/holders`). Unsigned modules end with ` (E)`, vrf has
  `[permanent],` in the holders column.
- Missing dependency: one `<4>` record per symbol, `stp: Unknown symbol llc_sap_close (err -2)`;
  insmod: `could not insert module PATH: Unknown symbol in module`, exit 1.
- insmod of a `.ko.xz` works (kmod 30 decompresses in userspace). Not ELF: `<3>Invalid ELF header
  len 24` and `Invalid module format`; truncated ELF: `<3>Invalid ELF section header overflow`;
  empty file and truncated `.ko.xz`: `Invalid parameters` with no kernel record; a loaded module
  again: `File exists`; missing file: `could not load module PATH: No such file or directory`.
- rmmod of a module in use: `rmmod: ERROR: Module llc is in use by: stp garp`, exit 1; not loaded:
  `rmmod: ERROR: Module llc is not currently loaded`.
- `[permanent]` vrf: rmmod prints `rmmod: ERROR: ../libkmod/libkmod-module.c:856
  kmod_module_remove_module() could not remove 'vrf': Device or resource busy` then `rmmod: ERROR:
  could not remove module vrf: Device or resource busy`; `modprobe -r` only the first line. Debian
  6.12 has `CONFIG_MODULE_FORCE_UNLOAD=y`: `rmmod -f vrf` succeeds, prints
  `<4>Disabling lock debugging due to kernel taint`, tainted becomes 8 (R).
- `modprobe -r -v 8021q` prints `rmmod 8021q`, `rmmod mrp`, `rmmod garp` and leaves stp and llc
  loaded (kmod 30 walks the dependency list from its end and skips modules still in use at that
  moment). `modprobe -r` of a module not loaded: exit 0, silent; unknown: `modprobe: FATAL: Module
  nosuchmodule not found.`; built-in: `modprobe: FATAL: Module ipv6 is builtin.`
- Built-in ipv6/fuse: `modprobe` exits 0 silently (also with -v); `--show-depends` prints
  `builtin ipv6`; `--first-time`: `could not insert 'ipv6': Module already in kernel`.
  Unknown module: `modprobe: FATAL: Module nosuchmodule not found in directory /lib/modules/REL`.
- Parameters: unknown is `<4>garp: unknown parameter 'foo' ignored` and the load succeeds;
  `numdummies=abc`: `` <3>dummy: `abc' invalid for parameter `numdummies' ``, modprobe says `Invalid
  argument`, insmod `Invalid parameters` (same errno); `numdummies` with no value: `` `' invalid``;
  `99999999999`: same record, errno ERANGE (`Numerical result out of range`).
- xen-gntdev's init returns -ENODEV with no record: `modprobe: ERROR: could not insert 'xen_gntdev':
  No such device` (the module's name, with `_`). With `initcall_debug` on the command line:
  `<7>calling  gntdev_init+0x0/0xff8 [xen_gntdev] @ PID` and `<7>initcall gntdev_init+0x0/0xff8
  [xen_gntdev] returned -19 after N usecs` (every module init shows `+0x0/0xff8`); modules without
  an init (stp, garp) print nothing. Setting initcall_debug at run time prints nothing.
- Unsigned: `<5>dummy: module verification failed: signature and/or required key missing -
  tainting kernel`, once per boot (the second unsigned module prints nothing); tainted 8192 (E);
  `/sys/module/NAME/taint` is `E` (empty line for a clean module).
EOT
    echo
    provenance
  } >"$CASES_OUT/README.md"
fi
