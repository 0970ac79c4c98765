#!/bin/sh
# mc_protect_binary_for_join (the exec path's CVE-2019-5736 defence): the
# process ends up non-dumpable, running from a sealed memfd copy of its
# binary that cannot be written, after exactly one re-exec.
. "$abs_top_srcdir/tests/integration/lib.sh"

plan 2

probe=$abs_top_builddir/tests/integration/protect-binary-probe
sum=$(sha256sum < "$probe")
is "non-dumpable, sealed, unwritable, re-executed once" \
  "$("$probe" 2>&1)" "dumpable=0 sealed=1 write=refused execs=2"
is "the binary on disk is unchanged" "$(sha256sum < "$probe")" "$sum"

finish
