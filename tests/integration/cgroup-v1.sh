#!/bin/sh
# Cgroups on this (v1 or hybrid) host: limits are written and enforced,
# the container sees its own group, nothing is left after run.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root
[ "$(stat -fc %T /sys/fs/cgroup)" = tmpfs ] \
  || { echo "1..0 # SKIP not a cgroup v1/hybrid host"; exit 0; }

plan 33

tag=mrtest$$
# Whatever happens, no group of ours stays: the tests' own ids and paths
# all contain $tag (the default /minirun/ID ones too).
cg_cleanup ()
{
  for _d in $(find /sys/fs/cgroup -depth -type d -name "*$tag*" 2>/dev/null); do
    for _p in $(cat "$_d/cgroup.procs" 2>/dev/null); do kill -KILL "$_p"; done
  done
  sleep 0.2
  find /sys/fs/cgroup -depth -type d -path "*$tag*" -exec rmdir {} + 2>/dev/null
  rmdir /sys/fs/cgroup/*/minirun 2>/dev/null
  _lib_cleanup
}
trap cg_cleanup EXIT

b=$TEST_TMP/bundle
make_bundle "$b"
# Writable, for the tests that make files in the container.
edit_config "$b" '.root.readonly = false'
cp "$b/config.json" "$b/config.json.orig"

# The groups of ours still there ("" when none).
our_groups () { find /sys/fs/cgroup -name "*$tag*" 2>/dev/null; }

# Memory: the limit is in the container's memory.limit_in_bytes, and a
# process allocating past it (tail buffers all of its input) is OOM-killed.
# (The pipeline runs with oom_score_adj 1000: while tail's memory is
# being freed a second OOM may come, and must not take the shell.)
edit_config "$b" '.linux.resources.memory = {limit: 33554432, swap: 33554432}'
set_args "$b" sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes
  (echo 1000 > /proc/self/oom_score_adj
   head -c 200000000 /dev/zero | tail > /dev/null)
  echo "tail=$?"
  awk "/^oom_kill / {print (\$2 >= 1) ? \"oom_kill>=1\" : \$0}" /sys/fs/cgroup/memory/memory.oom_control'
run_ct "c1-$tag" -b "$b"
is "run with a memory limit exits 0" "$RC" 0
is "memory.limit_in_bytes in the container" "$(echo "$OUT" | sed -n 1p)" 33554432
is "the allocating process is SIGKILLed" "$(echo "$OUT" | sed -n 2p)" "tail=137"
is "the OOM kill is counted" "$(echo "$OUT" | sed -n 3p)" "oom_kill>=1"

# Pids: a bounded fork bomb stops at pids.max (the subshell that fails
# to fork dies; the sleeps it started stay until init exits).
reset_config "$b"
edit_config "$b" '.linux.resources.pids = {limit: 8}'
set_args "$b" sh -c '(for i in $(seq 20); do sleep 3 & done) 2>/dev/null
  cat /sys/fs/cgroup/pids/pids.current /sys/fs/cgroup/pids/pids.max'
run_ct "c2-$tag" -b "$b"
is "pids.max in the container" "$(echo "$OUT" | sed -n 2p)" 8
case $(echo "$OUT" | sed -n 1p) in
  7|8) ok "forks stop at the limit" ;;
  *) not_ok "forks stop at the limit" "pids.current: $(echo "$OUT" | sed -n 1p)" ;;
esac

# CPU: quota, period, shares and cpuset read back from the container's
# own /sys/fs/cgroup.
reset_config "$b"
edit_config "$b" '.linux.resources.cpu = {shares: 512, quota: 25000, period: 50000, cpus: "0", mems: "0"}'
set_args "$b" sh -c 'cd /sys/fs/cgroup; cat cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpuset/cpuset.cpus cpuset/cpuset.mems'
run_ct "c3-$tag" -b "$b"
is "cpu and cpuset values are set" "$(echo $OUT)" "512 25000 50000 0 0"

# The cgroup namespace root is the container's group in every hierarchy.
set_args "$b" sh -c 'grep -vc ":/$" /proc/self/cgroup; cat /proc/self/cgroup | wc -l'
run_ct "c4-$tag" -b "$b"
is "/proc/self/cgroup shows / everywhere" "$(echo "$OUT" | sed -n 1p)" 0

# Without a cgroup namespace, /sys/fs/cgroup still shows only the
# container's own group (a bind of it, as runc), never the host's tree.
edit_config "$b" 'del(.linux.namespaces[] | select(.type == "cgroup"))
  | .linux.resources.memory = {limit: 33554432}'
set_args "$b" sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes
  find /sys/fs/cgroup/memory /sys/fs/cgroup/pids -mindepth 1 -type d | wc -l'
run_ct "c4b-$tag" -b "$b"
is "no cgroup namespace: the memory hierarchy is the container's group" \
  "$RC:$(echo "$OUT" | sed -n 1p)" 0:33554432
is "no cgroup namespace: no other group is visible" \
  "$(echo "$OUT" | sed -n 2p)" 0
# The same in a user namespace, where the kernel refuses a new cgroup mount
# (its root must be able to reach the bundle).
chmod 755 "$TEST_TMP" "$b"
edit_config "$b" '.linux.namespaces += [{type: "user"}]
  | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
  | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
run_ct "c4c-$tag" -b "$b"
is "no cgroup namespace, a user namespace: the container's group too" \
  "$RC:$(echo $OUT)" "0:33554432 0"

# The host side: the group is /minirun/ID in every hierarchy (the hybrid
# unified one too) while the container runs, with init in it.
reset_config "$b"
set_args "$b" sh -c 'echo up > /tmp/up; sleep 30'
mr run -b "$b" "c5-$tag" > /dev/null 2>&1 &
track_pid $!
wait_for_file "$b/rootfs/tmp/up" || bail "the container did not start"
rm -f "$b/rootfs/tmp/up"
g=$(cgroup_name "c5-$tag")
case $g in
  "c5-$tag"-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]) ok "a non-default --root tags the group name" ;;
  *) not_ok "a non-default --root tags the group name" "got: $g" ;;
esac
missing=
for h in memory cpu cpuacct cpuset pids blkio devices freezer systemd unified; do
  # (cgroup files have no size: -s would not do)
  grep -q . "/sys/fs/cgroup/$h/minirun/$g/cgroup.procs" 2>/dev/null \
    || missing="$missing $h"
done
is "init is in /minirun/NAME of every hierarchy" "$missing" ""
# minirun forwards the signal to init, which (an init) ignores TERM: kill.
kill -KILL "$(head -1 "/sys/fs/cgroup/pids/minirun/$g/cgroup.procs")"
wait
is "the group is gone once the container is" "$(our_groups)" ""

# Devices: a node the rules do not allow cannot be opened (mknod itself
# is allowed by the default `c *:* m`, as with runc); an allow rule opens it.
edit_config "$b" '.process.capabilities = {bounding: ["CAP_MKNOD"], effective: ["CAP_MKNOD"], permitted: ["CAP_MKNOD"]}'
# (a failed redirection is fatal to sh for a special builtin like `:`
# or `exec`, not for `true`)
set_args "$b" sh -c 'rm -f /tmp/tun; mknod /tmp/tun c 10 200 && echo made
  true 3<>/tmp/tun && echo opened; true > /dev/null && echo null-ok'
run_ct "c6-$tag" -b "$b"
is "mknod of a char device is allowed" "$(echo "$OUT" | sed -n 1p)" made
check "opening a denied device fails with EPERM" \
  sh -c 'printf "%s\n" "$1" | grep -q "Operation not permitted"' _ "$ERR"
is "the default devices stay usable" "$(echo "$OUT" | sed -n 2p)" null-ok
edit_config "$b" '.linux.resources.devices += [{allow: true, type: "c", major: 10, minor: 200, access: "rw"}]'
run_ct "c7-$tag" -b "$b"
is "an allow rule opens it" "$(echo $OUT)" "made opened null-ok"
# (v1 removes only an exception with the same numbers; the v2 filter
# also handles wildcards, see cgroup-v2-guest.sh)
edit_config "$b" '.linux.resources.devices += [{allow: false, type: "c", major: 10, minor: 200, access: "w"}]'
set_args "$b" sh -c 'rm -f /tmp/tun; mknod /tmp/tun c 10 200
  true 3</tmp/tun && echo read-ok; true 4>/tmp/tun 2>/dev/null || echo write-denied'
run_ct "c8-$tag" -b "$b"
is "the last matching rule wins (read allowed, write denied)" "$(echo $OUT)" "read-ok write-denied"
reset_config "$b"

# Without a pid namespace a process can outlive init: delete kills it
# through the group (freezer, kill, thaw) and removes the group.
edit_config "$b" 'del(.linux.namespaces[] | select(.type == "pid"))'
# (a duration of our own: other tests may run a `sleep 1000` meanwhile)
secs=$((100000 + $$))
set_args "$b" sh -c "sleep $secs &"
run_ct "c9-$tag" -b "$b"
is "run exits 0" "$RC" 0
check "the orphan is killed" sh -c "! pgrep -f '^sleep $secs\$'"
is "and its group removed" "$(our_groups)" ""
reset_config "$b"

# An absolute cgroupsPath, parents included, is made and removed.
edit_config "$b" ".linux.cgroupsPath = \"/$tag-abs/sub/c\""
set_args "$b" sh -c 'cat /proc/self/cgroup >/dev/null'
run_ct "c10-$tag" -b "$b"
is "run with an absolute cgroupsPath" "$RC:$ERR" "0:"
is "its parents made by minirun are gone too" "$(our_groups)" ""

edit_config "$b" ".linux.cgroupsPath = \"/$tag/../../escape\""
run_ct "c11-$tag" -b "$b"
check "a cgroupsPath with .. is refused" \
  sh -c 'printf "%s\n" "$1" | grep -q "\`..\` is not allowed"' _ "$ERR"

# A failure while applying the resources leaves nothing behind.
reset_config "$b"
edit_config "$b" '.linux.resources.cpu = {cpus: "63"}'
run_ct "c12-$tag" -b "$b"
check "an impossible cpuset fails the run" test "$RC" -ne 0
is "and leaves no group" "$(our_groups)" ""

# create and delete in separate processes: delete finds the group in the
# state and removes it, killing what is in it.
reset_config "$b"
edit_config "$b" '.linux.resources.pids = {limit: 9}'
set_args "$b" sleep 100
mr create -b "$b" "c15-$tag" < /dev/null > /dev/null 2>&1
is "create exits 0" "$?" 0
is "the group is there with its limit" \
  "$(cat "/sys/fs/cgroup/pids/minirun/$(cgroup_name "c15-$tag")/pids.max" 2>&1)" 9
mr delete --force "c15-$tag" > /dev/null 2>&1
is "delete removes it" "$(our_groups)" ""

# The systemd driver without systemd as PID 1 (this host): a clear
# error, nothing made (cgroup-placement.sh checks the whole line).
reset_config "$b"
set_args "$b" true
"$MINIRUN" --root "$STATE_ROOT" --systemd-cgroup run -b "$b" "c13-$tag" \
  > "$TEST_TMP/out" 2> "$TEST_TMP/err"
if [ -d /run/systemd/system ]; then
  skip "systemd is PID 1 here"
else
  check "--systemd-cgroup is refused clearly" \
    grep -q "systemd cgroup driver: systemd is not running" "$TEST_TMP/err"
fi
# --cgroup-manager disabled: the container stays in minirun's groups, so
# its resources are not applied.
edit_config "$b" '.linux.resources.pids = {limit: 8}'
set_args "$b" sh -c 'cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || echo none'
"$MINIRUN" --root "$STATE_ROOT" --cgroup-manager disabled run -b "$b" \
  "c14-$tag" > "$TEST_TMP/out" 2> "$TEST_TMP/err"
case $(cat "$TEST_TMP/out") in
  8|"") not_ok "--cgroup-manager disabled makes no group" "$(cat "$TEST_TMP/out" "$TEST_TMP/err")" ;;
  *) ok "--cgroup-manager disabled makes no group" ;;
esac
is "nothing of ours is left at the end" "$(our_groups)" ""

finish
