#!/bin/sh
# The conformance checks side by side with runc on a pure cgroup-v2 kernel:
# boots the throw-away VM and runs tests/integration/conformance.sh there
# (runc and this build of minirun, from the host's files); its TAP output
# is relayed as it comes.  The whole set takes about 7 minutes under TCG,
# too long to share a CI run with the other VM tests, so by default the VM
# runs the programs whose results depend on what differs from the host:
# the cgroup hierarchy (pure v2) and the kernel (Debian's, older than the
# host's); VM_CONFORMANCE_PROGRAMS="" runs them all (docs/conformance.md).
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root
command -v runc > /dev/null 2>&1 || { echo "1..0 # SKIP runc is not installed"; exit 0; }

programs=${VM_CONFORMANCE_PROGRAMS-delete_resources linux_cgroups linux_devices linux_mounts linux_ns process}
# shellcheck disable=SC2086  # the program names are words
relay_vm 1500 -e abs_top_srcdir -e abs_top_builddir -e MINIRUN \
  -- sh "$abs_top_srcdir/tests/integration/conformance.sh" $programs
