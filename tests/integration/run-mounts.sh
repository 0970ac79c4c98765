#!/bin/sh
# Mounts, /dev, masked and read-only paths, symlinks that point out of the
# rootfs, joined and user namespaces.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root

plan 20

b=$TEST_TMP/bundle
make_bundle "$b"
r=$b/rootfs

# --- Destinations never leave the rootfs --------------------------------
canary=$TEST_TMP/canary
mkdir -p "$canary"
echo keep > "$canary/keep"
ln -s "$canary" "$r/evil"                              # absolute symlink
ln -s "../../../../../../../../../..$canary" "$r/rel"  # relative, many ..
edit_config "$b" '.mounts += [
  {destination: "/evil", type: "tmpfs", source: "tmpfs", options: ["size=1m"]},
  {destination: "/rel", type: "tmpfs", source: "tmpfs", options: ["size=1m"]},
  {destination: $up, type: "tmpfs", source: "tmpfs", options: ["size=1m"]}]' \
  --arg up "/../../../../../..$canary-up"
set_args "$b" sh -c 'touch /evil/pwned /rel/pwned2 && grep -c "tmpfs tmpfs rw,size=1024k" /proc/self/mountinfo'
run_ct c1 -b "$b"
is "mounts through escaping symlinks and .. succeed" "$RC:$OUT" "0:3"
is "the host's canary directory is untouched" "$(ls -A "$canary")" keep
check "nothing was created next to the canary" test ! -e "$canary-up"
check "the mount points were created inside the rootfs" \
  test -d "$r$canary" -a -d "$r$canary-up"
check "no mount reached the host" sh -c "! grep -q ' $canary' /proc/self/mountinfo"
check_no_leftovers "nothing left" c1 "$b"

# --- bind mounts ---------------------------------------------------------
reset_config "$b"
mkdir -p "$TEST_TMP/data/sub"
echo hello > "$TEST_TMP/data/hello"
echo file > "$TEST_TMP/file.txt"
mkdir -p "$TEST_TMP/sub-src"
mount -t tmpfs -o size=1m tmpfs "$TEST_TMP/sub-src" && track_mount "$TEST_TMP/sub-src"
echo inner > "$TEST_TMP/sub-src/inner" 2>/dev/null
mount --bind "$TEST_TMP/sub-src" "$TEST_TMP/data/sub" \
  && track_mount "$TEST_TMP/data/sub"
edit_config "$b" '.mounts += [
  {destination: "/data", type: "bind", source: $d, options: ["rbind", "ro"]},
  {destination: "/etc/new/file.txt", type: "none", source: $f, options: ["bind"]}]' \
  --arg d "$TEST_TMP/data" --arg f "$TEST_TMP/file.txt"
set_args "$b" sh -c 'cat /data/hello /data/sub/inner /etc/new/file.txt; touch /data/x 2>/dev/null && echo writable; touch /data/sub/x 2>/dev/null && echo sub-writable; echo done'
run_ct c1 -b "$b"
is "rbind ro of a dir (and its submount), bind of a file" "$(echo $OUT)" "hello inner file done"
check "the file's mount point is a file" test -f "$r/etc/new/file.txt"

# --- /dev ----------------------------------------------------------------
reset_config "$b"
edit_config "$b" '.linux.devices = [{path: "/dev/extra/mynull", type: "c", major: 1, minor: 3, fileMode: 384, uid: 5, gid: 6}]'
set_args "$b" sh -c 'for d in null zero full random urandom tty extra/mynull; do stat -c "%n %F %t:%T %a %u:%g" /dev/$d; done; for l in ptmx fd stdin stdout stderr; do readlink /dev/$l; done; echo x > /dev/null && head -c 4 /dev/zero | wc -c'
run_ct c1 -b "$b"
is "default devices, links and linux.devices" "$OUT" "/dev/null character special file 1:3 666 0:0
/dev/zero character special file 1:5 666 0:0
/dev/full character special file 1:7 666 0:0
/dev/random character special file 1:8 666 0:0
/dev/urandom character special file 1:9 666 0:0
/dev/tty character special file 5:0 666 0:0
/dev/extra/mynull character special file 1:3 600 5:6
pts/ptmx
/proc/self/fd
/proc/self/fd/0
/proc/self/fd/1
/proc/self/fd/2
4"

# --- masked and read-only paths ------------------------------------------
reset_config "$b"
set_args "$b" sh -c 'wc -c < /proc/timer_list; ls -A /sys/firmware | wc -l; echo 1 > /proc/sys/vm/drop_caches 2>/dev/null && echo wrote; touch /newfile 2>/dev/null && echo root-writable; awk "\$5 == \"/proc/sys\" {print \$6}" /proc/self/mountinfo | cut -c1-2'
run_ct c1 -b "$b"
is "maskedPaths, readonlyPaths, root.readonly" "$(echo $OUT)" "0 0 ro"
edit_config "$b" '.root.readonly = false | .linux.maskedPaths += ["/nonexistent/x"]'
set_args "$b" sh -c 'touch /newfile && rm /newfile && echo root-writable'
run_ct c1 -b "$b"
is "a writable root, and a missing masked path is fine" "$OUT" root-writable

# --- mount options -------------------------------------------------------
reset_config "$b"
edit_config "$b" '.mounts += [{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "noexec", "mode=1770", "size=2m"]}]'
set_args "$b" sh -c 'awk "\$5 == \"/tmp\" {print \$6, \$NF}" /proc/self/mountinfo; stat -c %a /tmp'
run_ct c1 -b "$b"
is "flags and data from options" "$OUT" "rw,nosuid,nodev,noexec,relatime rw,size=2048k,mode=1770
1770"

# --- joining a namespace by path -----------------------------------------
reset_config "$b"
unshare --net sleep 30 &
nspid=$!
track_pid "$nspid"
i=0
while [ "$(readlink /proc/$nspid/ns/net)" = "$(readlink /proc/self/ns/net)" ] && [ $i -lt 50 ]; do
  sleep 0.1
  i=$((i + 1))
done
edit_config "$b" '(.linux.namespaces[] | select(.type == "network")) += {path: $p}' \
  --arg p "/proc/$nspid/ns/net"
set_args "$b" readlink /proc/self/ns/net
run_ct c1 -b "$b"
is "network namespace joined by path" "$OUT" "$(readlink /proc/$nspid/ns/net)"
kill -KILL "$nspid"

edit_config "$b" '(.linux.namespaces[] | select(.type == "network")) += {path: "/etc/passwd"}'
run_ct c1 -b "$b"
is "a file that is not a namespace is refused" "$ERR" \
  "minirun: run c1: linux.namespaces: \`/etc/passwd\` is not a namespace"

# --- user namespace --------------------------------------------------------
reset_config "$b"
# The container's root (host uid 100000) must be able to reach the bundle.
chmod 755 "$TEST_TMP" "$b"
edit_config "$b" '.linux.namespaces += [{type: "user"}]
  | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
  | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
set_args "$b" sh -c 'cat /proc/self/uid_map /proc/self/gid_map | tr -s " " | sed "s/^ //"; id -u; stat -c "%F %t:%T" /dev/null; echo x > /dev/null && echo ok'
run_ct c1 -b "$b"
is "user namespace: maps, root inside, host devices bound" "$RC:$OUT" "0:0 100000 65536
0 100000 65536
0
character special file 1:3
ok"
check_no_leftovers "user namespace: nothing left" c1 "$b"

edit_config "$b" 'del(.linux.uidMappings)'
run_ct c1 -b "$b"
is "user namespace without maps is refused" "$ERR" \
  "minirun: run c1: a user namespace needs linux.uidMappings and linux.gidMappings"

# --- rootfsPropagation shared: pivot_root refuses a shared new root, so it
# is set on / after pivot_root --------------------------------------------
reset_config "$b"
edit_config "$b" '.linux.rootfsPropagation = "shared"'
set_args "$b" sh -c 'awk "\$5 == \"/\" { for (i = 7; \$i != \"-\"; i++) if (\$i ~ /^shared:/) print \"shared\" }" /proc/self/mountinfo'
run_ct c1 -b "$b"
is "rootfsPropagation shared: / is a shared mount" "$RC:$OUT" "0:shared"

# --- relative bind source: relative to the bundle --------------------------
reset_config "$b"
mkdir -p "$b/vol" && echo in-bundle > "$b/vol/f"
edit_config "$b" '.mounts += [{destination: "/vol", type: "bind", source: "vol", options: ["bind"]}]'
set_args "$b" cat /vol/f
# From elsewhere, with a relative --bundle.
OUT=$(cd "$TEST_TMP" && mr run -b bundle c1 2>&1)
is "a relative bind source is taken from the bundle" "$OUT" in-bundle
check_no_leftovers "nothing left at the end" c1 "$b"
finish
