#!/bin/busybox sh
# shellcheck shell=sh
# Stage 1 of the test VM: /init of the initramfs built by setup.sh, run by
# busybox as PID 1.  It builds the guest's root file system and hands over to
# stage 2 (guest-init.sh, which run-in-vm.sh puts into the transfer share):
#
#   /mnt/lower  host's /, 9p share "hostroot" (read-only on both sides)
#   /mnt/rw     tmpfs holding the overlay's upper and work dirs
#   /mnt/root   overlay of the two: the host's files, writable, changes in RAM
#     /run              fresh tmpfs (the host's /run holds its runtime state)
#     /run/minirun-vm   9p share "xfer": job in, output and status out
#
# On any failure it writes the reason to the console (the harness shows the
# console log when the VM fails) and powers off.
# Kept in setup.sh's cache key: editing this file rebuilds the initramfs.

PATH=/bin
export PATH

/bin/busybox mkdir -p /bin /dev /proc /sys
/bin/busybox --install -s /bin

# The console node may be missing (initramfs built without root); devtmpfs
# always has it.
mount -t devtmpfs -o nosuid,mode=0755 devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t proc -o nosuid,nodev,noexec proc /proc

die() {
  echo "minirun-vm stage 1: $*"
  poweroff -f
  # Returning from PID 1 panics the kernel; with panic=-1 and qemu's
  # -no-reboot that also ends the VM.
  exit 1
}

# 9p needs large messages to be fast; 512000 is about the largest the virtio
# transport accepts.
P9_OPTS=trans=virtio,version=9p2000.L,msize=512000

while read -r mod; do
  insmod "/modules/$mod" || die "insmod $mod failed"
done < /modules/order

mount -t 9p -o "$P9_OPTS,ro" hostroot /mnt/lower || die "cannot mount the host root share"
mount -t tmpfs -o mode=0755 tmpfs /mnt/rw || die "cannot mount tmpfs"
mkdir -p /mnt/rw/upper /mnt/rw/work
mount -t overlay -o lowerdir=/mnt/lower,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work \
  overlay /mnt/root || die "cannot mount the overlay root"

# /run is a fresh tmpfs as on a booted system; the transfer share goes under
# it so stage 2 finds it at a fixed path.
mount -t tmpfs -o nosuid,nodev,mode=0755 tmpfs /mnt/root/run || die "cannot mount /run"
mkdir -p /mnt/root/run/minirun-vm
mount -t 9p -o "$P9_OPTS" xfer /mnt/root/run/minirun-vm || die "cannot mount the transfer share"
[ -f /mnt/root/run/minirun-vm/guest-init.sh ] || die "guest-init.sh missing from the transfer share"

# Keep /dev (our console) and /proc: move them into the new root.
mount --move /dev /mnt/root/dev || die "cannot move /dev"
mount --move /proc /mnt/root/proc || die "cannot move /proc"

# switch_root empties the initramfs, makes /mnt/root the root and execs
# stage 2 with the host's own /bin/sh, as PID 1.
exec switch_root /mnt/root /bin/sh /run/minirun-vm/guest-init.sh
