#!/bin/sh
# --no-pivot: the rootfs is moved onto / and chrooted into instead of
# pivot_root (runc's msMoveRoot).  The container works the same; what
# differs is that the host's tree stays in its mount namespace, below the
# rootfs (minus its proc and sysfs mounts, which are detached first), out
# of reach of the container's processes.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root

plan 8

b=$TEST_TMP/bundle
make_bundle "$b"
r=$b/rootfs
probe=$abs_top_builddir/tests/integration/chroot-escape-probe

# --- it works, and / is the rootfs ------------------------------------------
set_args "$b" sh -c 'awk "\$5 == \"/\" {print \$4}" /proc/1/mountinfo; test -x /bin/busybox && echo has-busybox; awk "\$5 == \"/proc\" {print \$9}" /proc/1/mountinfo'
run_ct c1 --no-pivot -b "$b"
is "run --no-pivot: / is the rootfs, /proc the container's" "$RC:$OUT" "0:$r
has-busybox
proc"
check_no_leftovers "run --no-pivot: nothing left" c1 "$b"

# create + start as well.
set_args "$b" sh -c 'echo started > /dev/shm/x; cat /dev/shm/x'
mr create --no-pivot -b "$b" c2 > "$TEST_TMP/out" 2>&1
is "create --no-pivot" "$?:$(cat "$TEST_TMP/out")" "0:"
mr start c2 > /dev/null 2>&1
i=0
while [ "$(mr state c2 2>/dev/null | jq -r .status)" = running ] && [ $i -lt 50 ]; do
  sleep 0.1
  i=$((i + 1))
done
mr delete c2 > /dev/null 2>&1
check_no_leftovers "create/start/delete --no-pivot: nothing left" c2 "$b"

# --- the host's tree is below the rootfs, out of reach ----------------------
marker=$TEST_TMP/host-marker
echo host > "$marker"
cp "$probe" "$r/probe"
edit_config "$b" '.process.capabilities |= with_entries(.value += ["CAP_SYS_CHROOT"])'
set_args "$b" /probe /dev/shm/x "$marker"
run_ct c1 -b "$b"
is "pivot_root: a chroot escape finds nothing above the rootfs" "$RC:$OUT" "0:hidden"
run_ct c1 --no-pivot -b "$b"
is "--no-pivot: nor does it reach the host's tree below the rootfs" "$RC:$OUT" "0:hidden"
rm -f "$r/probe"

# --- refused without pivot_root -------------------------------------------
reset_config "$b"
edit_config "$b" '.linux.rootfsPropagation = "rprivate"'
run_ct c1 --no-pivot -b "$b"
is "a private rootfsPropagation is refused" "$RC:$ERR" \
  "1:minirun: run c1: --no-pivot: linux.rootfsPropagation \`rprivate\` is not safe without pivot_root"
check_no_leftovers "refused: nothing left" c1 "$b"
finish
