#!/bin/sh
# Cgroup v2: boots the throw-away cgroup-v2 VM once and runs every check
# of cgroup-v2-guest.sh in it; its TAP output is relayed as it comes.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root

bundle=$TEST_TMP/bundle
make_bundle "$bundle"
relay_vm 600 -e abs_top_srcdir -e abs_top_builddir -e MINIRUN -e BUNDLE="$bundle" \
  -- sh "$abs_top_srcdir/tests/integration/cgroup-v2-guest.sh"
