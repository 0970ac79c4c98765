#!/bin/sh
# Idmapped bind mounts (runtime-spec 1.2: mounts[].uidMappings/gidMappings,
# options idmap and ridmap).  The mappings are written as given, as runc
# does: containerID is the id on the file system, hostID the id seen
# through the mount (before the container's own user namespace maps it).
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root

plan 19

b=$TEST_TMP/bundle
make_bundle "$b"
# The container's root (host uid 100000) must be able to reach the bundle.
chmod 755 "$TEST_TMP" "$b"
# ... which it cannot write: the mount points are made now.
mkdir -p "$b/rootfs/data" "$b/rootfs/data-idmap" "$b/rootfs/data-ridmap"
userns='.linux.namespaces += [{type: "user"}]
  | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
  | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'

# A host directory owned by uid 1000, with a file of root's.
src=$TEST_TMP/src
mkdir -p "$src"
echo mine > "$src/owned"
chown 1000:1000 "$src" "$src/owned"
echo roots > "$src/root-file"
mkdir "$src/root-dir"

# --- the host's uid 1000 becomes the container's root -----------------------
# 1000 on the file system shows as host uid 100000 through the mount, which
# the container's user namespace maps to its 0.
edit_config "$b" "$userns"' | .mounts += [{destination: "/data", type: "bind",
  source: $s, options: ["bind", "idmap"],
  uidMappings: [{containerID: 1000, hostID: 100000, size: 1}],
  gidMappings: [{containerID: 1000, hostID: 100000, size: 1}]}]' --arg s "$src"
set_args "$b" sh -c 'stat -c "%n %u:%g" /data /data/owned /data/root-file; echo new > /data/new && stat -c "%n %u:%g" /data/new; awk "\$5 == \"/data\" {print \$6}" /proc/self/mountinfo'
run_ct c1 -b "$b"
is "uid 1000's files show as root; root's as unmapped" "$RC:$OUT" "0:/data 0:0
/data/owned 0:0
/data/root-file 65534:65534
/data/new 0:0
rw,relatime,idmapped"
is "a file created through it is uid 1000's on the host" \
  "$(stat -c %u:%g "$src/new" 2>&1)" 1000:1000
check_no_leftovers "nothing left" c1 "$b"
rm -f "$src/new"

# Flags and propagation apply to the idmapped mount as to any bind.
reset_config "$b"
edit_config "$b" "$userns"' | .mounts += [{destination: "/data", type: "bind",
  source: $s, options: ["bind", "idmap", "ro", "nosuid", "shared"],
  uidMappings: [{containerID: 1000, hostID: 100000, size: 1}],
  gidMappings: [{containerID: 1000, hostID: 100000, size: 1}]}]' --arg s "$src"
set_args "$b" sh -c 'awk "\$5 == \"/data\" {print \$6, substr(\$7, 1, 7)}" /proc/self/mountinfo; touch /data/x 2>/dev/null && echo writable; true'
run_ct c1 -b "$b"
is "ro, nosuid and shared on an idmapped mount" "$RC:$OUT" "0:ro,nosuid,relatime,idmapped shared:"

# --- no mappings of its own: the container's ---------------------------------
reset_config "$b"
edit_config "$b" "$userns"' | .mounts += [{destination: "/data", type: "bind",
  source: $s, options: ["bind", "idmap"]}]' --arg s "$src"
set_args "$b" sh -c 'stat -c "%n %u:%g" /data/owned /data/root-file; echo new > /data/root-dir/new'
run_ct c1 -b "$b"
is "idmap without mappings takes the container's user namespace" "$RC:$OUT" "0:/data/owned 1000:1000
/data/root-file 0:0"
is "and the container's root writes as the host's root" \
  "$(stat -c %u:%g "$src/root-dir/new" 2>&1)" 0:0
rm -f "$src/root-dir/new"

# --- mappings without a user namespace (runc's "no userns" case) -----------
reset_config "$b"
edit_config "$b" '.mounts += [{destination: "/data", type: "bind",
  source: $s, options: ["bind"],
  uidMappings: [{containerID: 0, hostID: 1000, size: 1}],
  gidMappings: [{containerID: 0, hostID: 1000, size: 1}]}]' --arg s "$src"
set_args "$b" sh -c 'stat -c "%n %u:%g" /data/owned /data/root-file'
run_ct c1 -b "$b"
is "mappings alone make an idmapped mount, with no user namespace" "$RC:$OUT" "0:/data/owned 65534:65534
/data/root-file 1000:1000"

# The destination is resolved inside the rootfs, as for any mount: a
# symlink to the host's canary directory does not take the mount there.
canary=$TEST_TMP/canary
mkdir -p "$canary"
echo keep > "$canary/keep"
ln -s "$canary" "$b/rootfs/evil"
reset_config "$b"
edit_config "$b" '.mounts += [{destination: "/evil", type: "bind",
  source: $s, options: ["bind", "idmap"],
  uidMappings: [{containerID: 0, hostID: 1000, size: 1}],
  gidMappings: [{containerID: 0, hostID: 1000, size: 1}]}]' --arg s "$src"
set_args "$b" sh -c 'cat /evil/root-file'
run_ct c1 -b "$b"
is "an idmapped mount through an escaping symlink stays in the rootfs" \
  "$RC:$OUT:$(ls -A "$canary")" "0:roots:keep"
check "its mount point was made inside the rootfs" test -d "$b/rootfs$canary"
check "no mount reached the host" sh -c "! grep -qF ' $canary' /proc/self/mountinfo"
rm -f "$b/rootfs/evil"

# --- ridmap: the submounts are idmapped too ---------------------------------
mkdir -p "$src/sub"
mount -t tmpfs -o size=1m,uid=1000,gid=1000 tmpfs "$src/sub" && track_mount "$src/sub"
reset_config "$b"
edit_config "$b" "$userns"
for o in idmap ridmap; do
  edit_config "$b" '.mounts += [{destination: ("/data-" + $o), type: "bind", source: $s,
    options: ["rbind", $o],
    uidMappings: [{containerID: 1000, hostID: 100000, size: 1}],
    gidMappings: [{containerID: 1000, hostID: 100000, size: 1}]}]' \
    --arg s "$src" --arg o "$o"
done
set_args "$b" sh -c 'stat -c "%n %u" /data-idmap/sub /data-ridmap/sub'
run_ct c1 -b "$b"
is "rbind+idmap maps the top mount only, ridmap the submounts too" "$RC:$OUT$ERR" "0:/data-idmap/sub 65534
/data-ridmap/sub 0"
umount "$src/sub"

# --- refusals, each one line, nothing left ---------------------------------
reset_config "$b"
edit_config "$b" "$userns"' | .mounts += [{destination: "/data", type: "bind",
  source: $s, options: ["bind", "idmap"],
  uidMappings: [{containerID: 0, hostID: 1000, size: 0}],
  gidMappings: [{containerID: 0, hostID: 1000, size: 1}]}]' --arg s "$src"
run_ct c1 -b "$b"
is "a bad mapping fails cleanly" "$RC:$ERR" \
  "1:minirun: run c1: idmapped mount on \`/data\`: uidMappings: Invalid argument"
check_no_leftovers "a bad mapping: nothing left" c1 "$b"
check "a bad mapping: no mount of the source on the host" \
  sh -c "! grep -qF ' $src' /proc/self/mountinfo"
# The helper that held the user namespace is a copy of minirun.
check "a bad mapping: no helper process left" sh -c '
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/exe" 2>/dev/null)" = "$(readlink -f "$1")" ] && exit 1
  done
  exit 0' sh "$MINIRUN"

reset_config "$b"
edit_config "$b" '.mounts += [{destination: "/data", type: "bind",
  source: $s, options: ["bind", "idmap"]}]' --arg s "$src"
run_ct c1 -b "$b"
is "idmap with nothing to map is refused" "$RC:$ERR" \
  "1:minirun: run c1: idmapped mount on \`/data\`: without uidMappings of its own it needs a user namespace"

reset_config "$b"
edit_config "$b" "$userns"' | .mounts += [{destination: "/data", type: "tmpfs",
  source: "tmpfs", options: ["idmap"]}]'
run_ct c1 -b "$b"
is "only bind mounts are idmapped" "$RC:$ERR" \
  "1:minirun: run c1: idmapped mount on \`/data\`: only bind mounts can be idmapped"

# A file system without idmapped mounts (proc).
reset_config "$b"
edit_config "$b" "$userns"' | .mounts += [{destination: "/data", type: "bind",
  source: "/proc/sys", options: ["bind", "idmap"]}]'
run_ct c1 -b "$b"
is "a file system that cannot be idmapped" "$RC:$ERR" \
  "1:minirun: run c1: idmapped mount on \`/data\`: the file system of \`/proc/sys\` does not support idmapped mounts"
check_no_leftovers "refused: nothing left" c1 "$b"
finish
