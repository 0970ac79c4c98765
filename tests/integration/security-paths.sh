#!/bin/sh
# linux.maskedPaths and linux.readonlyPaths: a missing path is fine, a
# masked directory is an empty read-only tmpfs, a masked file reads as
# /dev/null, a read-only path is read-only with everything below it.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root

plan 8

b=$TEST_TMP/bundle
make_bundle "$b"
mkdir -p "$b/rootfs/data/dir" "$b/rootfs/ro/sub"
echo secret > "$b/rootfs/data/dir/f"
echo secret > "$b/rootfs/data/file"
edit_config "$b" '.root.readonly = false
  | .linux.maskedPaths = ["/data/dir", "/data/file", "/no/such/path"]
  | .linux.readonlyPaths = ["/ro", "/no/such/ro"]
  | .mounts += [{destination: "/ro/sub", type: "tmpfs", source: "tmpfs", options: ["rw"]}]'

set_args "$b" sh -c 'ls -A /data/dir | wc -l; stat -f -c %T /data/dir; touch /data/dir/x 2>/dev/null && echo dir-writable; cat /data/file | wc -c'
run_ct c1 -b "$b"
is "missing masked and read-only paths are fine" "$RC" 0
is "a masked directory is an empty tmpfs" "$(printf '%s\n' "$OUT" | sed -n 1,2p | tr '\n' ' ')" "0 tmpfs "
is "... read-only" "$(printf '%s\n' "$OUT" | grep -c dir-writable)" 0
is "a masked file reads as empty" "$(printf '%s\n' "$OUT" | sed -n 3p)" 0

set_args "$b" sh -c 'touch /ro/x 2>/dev/null && echo ro-writable; touch /ro/sub/x 2>/dev/null && echo sub-writable; touch /data/y && echo rest-writable'
run_ct c1 -b "$b"
is "a read-only path is read-only" "$(printf '%s\n' "$OUT" | grep -c ro-writable)" 0
is "... and so is a mount below it" "$(printf '%s\n' "$OUT" | grep -c sub-writable)" 0
is "... the rest of the rootfs is not" "$(printf '%s\n' "$OUT" | grep -c rest-writable)" 1
check "the masked host files are untouched" grep -qx secret "$b/rootfs/data/dir/f"

finish
