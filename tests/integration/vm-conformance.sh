#!/bin/sh
# The conformance checks side by side with runc on a pure cgroup-v2 kernel:
# boots the throw-away VM and runs tests/integration/conformance.sh there
# (runc and this build of minirun, from the host's files); its TAP output
# is relayed as is.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root
command -v runc > /dev/null 2>&1 || { echo "1..0 # SKIP runc is not installed"; exit 0; }

out=$("$abs_top_srcdir/tests/vm/run-in-vm.sh" --timeout 1500 \
        -e abs_top_srcdir -e abs_top_builddir -e MINIRUN \
        -- sh "$abs_top_srcdir/tests/integration/conformance.sh" 2>&1)
rc=$?
[ "$rc" -ne 125 ] || bail "the VM did not run: $out"
printf '%s\n' "$out"
exit "$rc"
