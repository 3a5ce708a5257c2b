#!/bin/sh
# /init of the module-transcript initramfs. The case to run comes from the kernel command line
# (modlab_case=NAME, an unknown parameter the kernel passes to init as an environment variable).
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# Keep kernel messages off the console: every record is read with dmesg after each command.
dmesg -n 1
R=$(uname -r)
M=/lib/modules/$R
# The initramfs holds a subset of the package's modules plus its modules.order, modules.builtin
# and modules.builtin.modinfo; Debian's depmod builds the indexes here, as postinst would.
/sbin/depmod -a >/tmp/depmod.out 2>&1
echo "depmod -a: exit $?" >>/tmp/depmod.out
dmesg -c >/tmp/boot.dmesg
. /lab/cases.sh
echo "@@@@ BEGIN TRANSCRIPT $modlab_case"
{
  echo "## case: $modlab_case"
  echo "## kernel: $(uname -r) $(cat /proc/sys/kernel/version)"
  echo "## cmdline: $(cat /proc/cmdline)"
  echo "## userspace: $(/sbin/modprobe --version | head -n1), $(/bin/busybox | head -n1)"
  echo
  "case_$modlab_case"
  run cat /proc/modules
  run cat /proc/sys/kernel/tainted
} >/tmp/transcript 2>&1
cat /tmp/transcript
echo "@@@@ END TRANSCRIPT"
echo "@@@@ BEGIN DEPMOD"
cat /tmp/depmod.out
echo "@@@@ END DEPMOD"
poweroff -f
