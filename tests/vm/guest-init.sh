#!/bin/sh
# shellcheck shell=sh
# Stage 2 of the test VM: PID 1 after switch_root, run by the host's own
# /bin/sh from the transfer share (run-in-vm.sh copies it there on every run,
# so editing it needs no initramfs rebuild).
#
# Stage 1 already mounted / (overlay over the host's /), /dev, /proc, /run and
# the transfer share at /run/minirun-vm.  This script sets up the rest of a
# minimal system (sysfs, a pure cgroup2 hierarchy with every controller
# delegated from the root, devpts, hostname, loopback), runs the job described
# by job.sh and writes its exit status to the share, then powers off.
#
# The share is written only through these files:
#   output       the command's combined stdout and stderr
#   status       its exit status, a decimal number, written when it ended
#   guest-error  one line, when this script could not run the command
set -u

SHARE=/run/minirun-vm
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOME=/root
export PATH HOME
export USER=root LOGNAME=root SHELL=/bin/sh TERM=dumb
export MINIRUN_VM=1 MINIRUN_VM_SCRATCH=/scratch

power_off() {
  sync
  # reboot(2) directly (-f): there is no init system to ask.  If that fails,
  # use sysrq; as a last resort, returning from PID 1 panics the kernel, which
  # with panic=-1 and qemu's -no-reboot also ends the VM.
  busybox poweroff -f 2>/dev/null || poweroff -f 2>/dev/null
  echo o > /proc/sysrq-trigger
  sleep 10
  exit 1
}

fail() {
  echo "minirun-vm guest: $*" >&2
  printf '%s\n' "$*" > "$SHARE/guest-error"
  power_off
}

# Hybrid (run-in-vm.sh --cgroup hybrid): every v1 controller in its own
# hierarchy under a tmpfs, and cgroup2 at /sys/fs/cgroup/unified, as
# systemd's hybrid mode mounts them.
setup_hybrid_cgroups() {
  local c
  mount -t tmpfs -o nosuid,nodev,noexec,mode=755 tmpfs /sys/fs/cgroup ||
    fail "cannot mount a tmpfs on /sys/fs/cgroup"
  mkdir /sys/fs/cgroup/unified
  mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /sys/fs/cgroup/unified ||
    fail "cannot mount cgroup2 on /sys/fs/cgroup/unified"
  # shellcheck disable=SC2013  # the first column of /proc/cgroups
  for c in $(awk '!/^#/ && $4 == 1 { print $1 }' /proc/cgroups); do
    mkdir "/sys/fs/cgroup/$c"
    mount -t cgroup -o "nosuid,nodev,noexec,$c" cgroup "/sys/fs/cgroup/$c" ||
      fail "cannot mount the v1 $c hierarchy"
  done
}

setup_cgroups() {
  if [ "${job_cgroup:-v2}" = hybrid ]; then
    # systemd mounts its own (hybrid) hierarchies when none is there.
    [ "${MINIRUN_VM_SYSTEMD:-}" = 1 ] || setup_hybrid_cgroups
    return
  fi
  # cgroup2 only: the kernel runs with cgroup_no_v1=all.  Same options as
  # systemd uses; fall back to plain if the kernel lacks one of them.
  mount -t cgroup2 -o nosuid,nodev,noexec,nsdelegate,memory_recursiveprot \
      cgroup2 /sys/fs/cgroup 2>/dev/null ||
    mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 /sys/fs/cgroup ||
    fail "cannot mount cgroup2 on /sys/fs/cgroup"
  # Delegate every available controller to the children of the root cgroup
  # (the root itself is exempt from the no-internal-processes rule, so the
  # command can stay in it).  One at a time: one failure must not stop the rest.
  # shellcheck disable=SC2013  # one line of space-separated names
  for c in $(cat /sys/fs/cgroup/cgroup.controllers); do
    echo "+$c" > /sys/fs/cgroup/cgroup.subtree_control ||
      echo "minirun-vm guest: cannot enable cgroup controller $c" >&2
  done
}

setup_system() {
  mount -t sysfs -o nosuid,nodev,noexec sysfs /sys || fail "cannot mount /sys"
  setup_cgroups

  mkdir -p /dev/pts /dev/shm /dev/mqueue
  mount -t devpts -o nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5 \
    devpts /dev/pts || fail "cannot mount /dev/pts"
  mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs /dev/shm || fail "cannot mount /dev/shm"
  mount -t mqueue -o nosuid,nodev,noexec mqueue /dev/mqueue 2>/dev/null || true
  # devtmpfs does not provide these links; bash process substitution needs them.
  ln -sf /proc/self/fd /dev/fd
  ln -sf /proc/self/fd/0 /dev/stdin
  ln -sf /proc/self/fd/1 /dev/stdout
  ln -sf /proc/self/fd/2 /dev/stderr

  # A real tmpfs for tests that need one: the rest of the tree is overlayfs,
  # which cannot serve as the upper dir of another overlay, for instance.
  mkdir -p /scratch
  mount -t tmpfs -o mode=1777 tmpfs /scratch || fail "cannot mount /scratch"

  echo minirun-vm > /proc/sys/kernel/hostname
  ip link set lo up 2>/dev/null || busybox ip link set lo up ||
    fail "cannot bring up the loopback interface"
}

# job.sh sets job_cwd and job_cmd and exports the variables passed with -e.
[ -r "$SHARE/job.sh" ] || fail "job.sh missing from the transfer share"
# shellcheck source=/dev/null
. "$SHARE/job.sh"
if [ -z "${job_cwd:-}" ] || [ -z "${job_cmd+set}" ]; then fail "job.sh is incomplete"; fi
setup_system

cd "$job_cwd" 2>/dev/null || fail "cannot cd to $job_cwd in the VM"

# -e MINIRUN_VM_SYSTEMD=1: systemd (the host's, from its disk) becomes
# PID 1 and runs the job as its only unit, then powers off: for tests that
# need a real systemd (the systemd cgroup driver).  Everything it writes
# goes to the RAM overlay.
if [ "${MINIRUN_VM_SYSTEMD:-}" = 1 ]; then
  [ -x /lib/systemd/systemd ] || fail "no /lib/systemd/systemd in the VM"
  # The host's container markers (a sandbox image's /.dockerenv) would
  # make systemd take itself for a container's init and ignore the kernel
  # command line (systemd.unified_cgroup_hierarchy, for one).
  rm -f /.dockerenv /run/.containerenv
  mkdir -p /etc/systemd/system || fail "cannot write /etc/systemd/system"
  cat > /etc/minirun-vm-job.sh <<'EOF'
. /run/minirun-vm/job.sh
cd "$job_cwd" || exit 1
sh -c "$job_cmd" > /run/minirun-vm/output 2>&1 < /dev/null
echo $? > /run/minirun-vm/status
sync
EOF
  cat > /etc/systemd/system/minirun-vm-job.service <<'EOF'
[Unit]
Description=minirun VM job
DefaultDependencies=no
AllowIsolate=yes
SuccessAction=poweroff-immediate
FailureAction=poweroff-immediate

[Service]
Type=oneshot
ExecStart=/bin/sh /etc/minirun-vm-job.sh
EOF
  exec /lib/systemd/systemd --unit=minirun-vm-job.service \
    --log-target=console --log-level=warning --show-status=no
fi

# Foreground, so that the shell's wait also reaps orphans re-parented to us.
sh -c "$job_cmd" > "$SHARE/output" 2>&1 < /dev/null
echo $? > "$SHARE/status"
power_off
