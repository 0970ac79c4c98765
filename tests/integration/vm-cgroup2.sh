#!/bin/sh
# minirun on a pure cgroup-v2 kernel: boots the throw-away VM (tests/vm/)
# and runs a container there.  The bundle is made here; the VM sees the
# host's files through a read-only share, so it runs this very build.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root
plan 5

bundle=$TEST_TMP/bundle
make_bundle "$bundle"
set_args "$bundle" /bin/sh -c '
  echo "fs=$(sed -n "s|^[^ ]* /sys/fs/cgroup \([^ ]*\) .*|\1|p" /proc/self/mounts)"
  echo "cgroup=$(cat /proc/self/cgroup)"
  echo "host=$(hostname)"
  echo "pid=$$"
  exit 5'

# The state root must be a plain tmpfs in the guest: /run is one (but
# /run/minirun-vm is the harness's own 9p share, which has no FIFOs).
out=$("$abs_top_srcdir/tests/vm/run-in-vm.sh" --timeout 600 -- \
        "$MINIRUN" --root /run/minirun-test run -b "$bundle" vm-c1 2>&1)
rc=$?
[ "$rc" -ne 125 ] || bail "the VM did not run: $out"
[ "$rc" -eq 5 ] || printf '%s\n' "$out" | sed 's/^/# /'

is "the container's exit status comes back through the VM" "$rc" 5
is "the container sees a cgroup2 hierarchy at /sys/fs/cgroup" \
   "$(printf '%s\n' "$out" | sed -n 's/^fs=//p')" cgroup2
is "the cgroup namespace makes its group the root" \
   "$(printf '%s\n' "$out" | sed -n 's/^cgroup=//p')" "0::/"
is "the hostname is the config's" \
   "$(printf '%s\n' "$out" | sed -n 's/^host=//p')" "$(jq -r .hostname "$bundle/config.json")"
is "the process is PID 1 of its namespace" \
   "$(printf '%s\n' "$out" | sed -n 's/^pid=//p')" 1
