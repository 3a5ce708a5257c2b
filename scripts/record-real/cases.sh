# Module cases run inside the guest by guest-init.sh; sourced, busybox sh.
# Debian's busybox-static runs its own applets (lsmod, rmmod, modprobe, ...) before PATH
# ("standalone shell"), so kmod's tools are reached through shell functions, which win over
# applets; argv[0]'s basename stays the tool's name, so kmod's messages are unchanged.
cat >/lab/kmod.sh <<'EOT'
depmod() { /sbin/depmod "$@"; }
insmod() { /sbin/insmod "$@"; }
lsmod() { /sbin/lsmod "$@"; }
modinfo() { /sbin/modinfo "$@"; }
modprobe() { /sbin/modprobe "$@"; }
rmmod() { /sbin/rmmod "$@"; }
EOT

# run CMD...: prints "# CMD", its stdout and stderr (separately, stdout first), "[exit N]",
# then the kernel log records the command produced (busybox dmesg -r -c: "<level>[time] text").

run() {
  echo "# $*"
  sh -c ". /lab/kmod.sh; $*" >/tmp/o 2>/tmp/e
  rc=$?
  if [ -s /tmp/o ]; then echo "[stdout]"; awk '{print}' /tmp/o; fi
  if [ -s /tmp/e ]; then echo "[stderr]"; awk '{print}' /tmp/e; fi
  echo "[exit $rc]"
  # Let deferred kernel work (e.g. RCU-delayed frees, async probes) print first.
  sleep 0.3
  dmesg -r -c >/tmp/k
  if [ -s /tmp/k ]; then echo "[kmsg]"; awk '{print}' /tmp/k; fi
  echo
}

K=/lib/modules/$(uname -r)/kernel

case_missing_dependency() {
  run insmod $K/net/802/stp.ko.xz
  run insmod $K/net/802/garp.ko.xz
  run lsmod
  run insmod $K/net/llc/llc.ko.xz
  run insmod $K/net/802/stp.ko.xz
  run lsmod
}

case_llc_stp_garp() {
  run modprobe garp
  run lsmod
  run cat /proc/modules
  run rmmod llc
  run rmmod stp
  run rmmod garp
  run lsmod
  run rmmod stp
  run rmmod llc
  run lsmod
  run rmmod llc
}

case_permanent() {
  run modprobe vrf
  run lsmod
  run cat /proc/modules
  run rmmod vrf
  run modprobe -r vrf
  run rmmod -f vrf
  run lsmod
}

case_modprobe_r() {
  run modprobe -v garp
  run modprobe -v 8021q
  run lsmod
  run modprobe -r garp
  run modprobe -r -v 8021q
  run lsmod
  run modprobe -r garp
  run modprobe -r nosuchmodule
  run modprobe -r -v vrf
  run modprobe -v dummy
  run modprobe -r -v dummy
  run lsmod
}

case_alias_and_builtin() {
  run modprobe -v net-pf-15
  run lsmod
  run modprobe -v fs-vfat
  run modprobe --first-time vfat
  run modprobe vfat
  run lsmod
  run modprobe ipv6
  run modprobe -v fuse
  run modprobe --first-time ipv6
  run modprobe -r ipv6
  run modprobe nosuchmodule
  run modprobe -v -n fs-iso9660
  run modprobe -v fs-iso9660
  run lsmod
}

case_bad_files() {
  run insmod /lab/notelf.ko
  run insmod /lab/empty.ko
  run insmod /lab/truncated.ko
  run insmod /lab/truncated.ko.xz
  run insmod /lab/nonexistent.ko
  run insmod $K/net/llc/llc.ko.xz
  run insmod /lab/llc.ko
  run lsmod
  run rmmod llc
  run insmod /lab/llc.ko
  run lsmod
}

case_params() {
  run modprobe garp foo=1
  run lsmod
  run cat /sys/module/garp/parameters/foo
  run modprobe dummy numdummies=abc
  run insmod $K/drivers/net/dummy.ko.xz numdummies=abc
  run insmod $K/drivers/net/dummy.ko.xz numdummies
  run modprobe dummy numdummies=99999999999
  run modprobe dummy numdummies=2 bogus=3
  run cat /sys/module/dummy/parameters/numdummies
  run ls /sys/class/net
  run lsmod
}

case_init_enodev() {
  run modprobe xen-gntdev
  run insmod $K/drivers/xen/xen-gntdev.ko.xz
  run lsmod
  run 'echo 1 > /sys/module/kernel/parameters/initcall_debug'
  run modprobe xen-gntdev
  run modprobe -v dummy
}

# Booted with initcall_debug on the command line (the script adds it for *_initcall_debug cases):
# writing /sys/module/kernel/parameters/initcall_debug at run time (case init_enodev) prints
# nothing, since the initcall tracepoint probes are registered at boot only.
case_init_enodev_initcall_debug() {
  run modprobe xen-gntdev
  run insmod $K/drivers/xen/xen-gntdev.ko.xz
  run modprobe -v garp
  run modprobe vrf
  run modprobe dummy numdummies=abc
  run modprobe dummy
  run lsmod
}

case_unsigned() {
  run cat /proc/sys/kernel/tainted
  run insmod /lab/dummy-unsigned.ko
  run lsmod
  run cat /proc/modules
  run cat /proc/sys/kernel/tainted
  run insmod /lab/llc-unsigned.ko
  run modprobe garp
  run lsmod
  run cat /proc/modules
  run cat /sys/module/dummy/taint /sys/module/llc/taint /sys/module/garp/taint
  run rmmod dummy
}

case_modinfo() {
  run modinfo garp
  run modinfo dummy
  run modinfo vfat
  run modinfo -F depends 8021q
  run modinfo ipv6
  run modinfo nosuchmodule
}

case_show_depends() {
  run modprobe --show-depends 8021q
  run modprobe --show-depends vfat
  run modprobe --show-depends net-pf-15
  run modprobe --show-depends ipv6
  run modprobe --show-depends nosuchmodule
}
