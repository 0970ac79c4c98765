#!/bin/sh
# runc's recursive mount attributes (rro, rnosuid, ...): applied with
# mount_setattr(AT_RECURSIVE) to the mount and every mount below it; the
# atime "clear" forms are refused rather than ignored.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root

plan 9

b=$TEST_TMP/bundle
make_bundle "$b"

# A host directory with a mount below it.
mkdir -p "$TEST_TMP/data/sub"
echo top > "$TEST_TMP/data/top"
mount -t tmpfs -o size=1m tmpfs "$TEST_TMP/data/sub" && track_mount "$TEST_TMP/data/sub"
echo inner > "$TEST_TMP/data/sub/inner"

# awk prints the per-mount options of /data and /data/sub.
opts='awk "\$5 == \"/data\" || \$5 == \"/data/sub\" {print \$5, \$6}" /proc/self/mountinfo'

edit_config "$b" '.mounts += [{destination: "/data", type: "bind", source: $d, options: ["rbind", "rro"]}]' \
  --arg d "$TEST_TMP/data"
set_args "$b" sh -c "$opts; cat /data/top /data/sub/inner; touch /data/x 2>/dev/null && echo top-writable; touch /data/sub/x 2>/dev/null && echo sub-writable; true"
run_ct c1 -b "$b"
is "rbind,rro: the mount and its submount are read-only" "$RC:$OUT" "0:/data ro,relatime
/data/sub ro,relatime
top
inner"

reset_config "$b"
edit_config "$b" '.mounts += [{destination: "/data", type: "bind", source: $d, options: ["rbind", "rnosuid", "rnodev", "rnoexec", "rnodiratime", "rnoatime"]}]' \
  --arg d "$TEST_TMP/data"
set_args "$b" sh -c "$opts"
run_ct c1 -b "$b"
is "rnosuid, rnodev, rnoexec, rnodiratime, rnoatime reach the submount" "$RC:$OUT" "0:/data rw,nosuid,nodev,noexec,noatime,nodiratime
/data/sub rw,nosuid,nodev,noexec,noatime,nodiratime"

reset_config "$b"
edit_config "$b" '.mounts += [{destination: "/data", type: "bind", source: $d, options: ["rbind", "rnoatime", "rstrictatime"]}]' \
  --arg d "$TEST_TMP/data"
set_args "$b" sh -c "$opts"
run_ct c1 -b "$b"
is "rstrictatime: the last atime mode wins, everywhere" "$RC:$OUT" "0:/data rw
/data/sub rw"

# A read-only host submount made writable with rrw.
mount -o remount,bind,ro "$TEST_TMP/data/sub"
reset_config "$b"
edit_config "$b" '.mounts += [{destination: "/data", type: "bind", source: $d, options: ["rbind", "rrw", "rrelatime"]}]' \
  --arg d "$TEST_TMP/data"
set_args "$b" sh -c "$opts; touch /data/sub/x && echo sub-writable"
run_ct c1 -b "$b"
is "rrw clears a read-only submount" "$RC:$OUT" "0:/data rw,relatime
/data/sub rw,relatime
sub-writable"
mount -o remount,bind,rw "$TEST_TMP/data/sub"
rm -f "$TEST_TMP/data/sub/x"

# Not only bind mounts: a tmpfs.
reset_config "$b"
edit_config "$b" '.mounts += [{destination: "/scratch", type: "tmpfs", source: "tmpfs", options: ["size=1m", "rro"]}]'
set_args "$b" sh -c 'awk "\$5 == \"/scratch\" {print \$6}" /proc/self/mountinfo; touch /scratch/x 2>/dev/null && echo writable; true'
run_ct c1 -b "$b"
is "rro on a tmpfs" "$RC:$OUT" "0:ro,relatime"

# Known to features, and the clear forms of the atime mode refused.
check "features lists the recursive options" sh -c \
  "'$MINIRUN' features | jq -e '.mountOptions | index(\"rro\") and index(\"rnosuid\") and index(\"rnodev\") and index(\"rnoexec\") and index(\"rnoatime\") and index(\"rrelatime\") and index(\"rstrictatime\") and index(\"rnodiratime\") and (index(\"ratime\") | not)'"
reset_config "$b"
edit_config "$b" '.mounts += [{destination: "/data", type: "bind", source: $d, options: ["rbind", "ratime"]}]' \
  --arg d "$TEST_TMP/data"
run_ct c1 -b "$b"
is "ratime is refused" "$RC:$ERR" "1:minirun: run c1: mount on \`/data\`: option \`ratime\` is not supported"
check_no_leftovers "refused: nothing left" c1 "$b"
check "the host's submount was not changed" sh -c "awk '\$5 == \"$TEST_TMP/data/sub\" {print \$6}' /proc/self/mountinfo | grep -qx rw,relatime"
finish
