#!/bin/sh
# Run by cgroup-v2.sh inside the cgroup-v2 VM: every cgroup v2 check in
# one boot, printing TAP.  BUNDLE is a bundle made on the host.
. "$abs_top_srcdir/tests/integration/lib.sh"
: "${BUNDLE:?}"
STATE_ROOT=/run/minirun-cg2

plan 42

b=$BUNDLE
edit_config "$b" '.root.readonly = false'
cp "$b/config.json" "$b/config.json.orig"
tag=cg2t
our_groups () { find /sys/fs/cgroup -name '*minirun*' -o -name "*$tag*" 2>/dev/null; }
# Which files a non-root group has (the root has no resource files).
probe=/sys/fs/cgroup/probe-$tag
mkdir "$probe" || bail "cannot make $probe"
has () { [ -e "$probe/$1" ]; }
probe_io_weight=$(has io.bfq.weight && echo bfq || { has io.weight && echo io; })
probe_io_max=$(has io.max && echo yes)
probe_swap=$(has memory.swap.max && echo yes)
probe_huge=$(has hugetlb.2MB.max && echo yes)
rmdir "$probe"

# Memory: memory.max, OOM kill, memory.events; swap as runc converts it.
# (The pipeline runs with oom_score_adj 1000: while tail's memory is
# being freed a second OOM may come, and must not take the shell.)
edit_config "$b" '.linux.resources.memory = {limit: 33554432}'
set_args "$b" sh -c 'cat /sys/fs/cgroup/memory.max
  (echo 1000 > /proc/self/oom_score_adj
   head -c 200000000 /dev/zero | tail > /dev/null)
  echo "tail=$?"
  awk "/^oom_kill / {print (\$2 >= 1) ? \"oom_kill>=1\" : \$0}" /sys/fs/cgroup/memory.events'
run_ct "m1-$tag" -b "$b"
is "memory.max in the container" "$(echo "$OUT" | sed -n 1p)" 33554432
is "the allocating process is SIGKILLed" "$(echo "$OUT" | sed -n 2p)" tail=137
is "memory.events counts the OOM kill" "$(echo "$OUT" | sed -n 3p)" "oom_kill>=1"
if [ -n "$probe_swap" ]; then
  edit_config "$b" '.linux.resources.memory = {limit: 33554432, swap: 100663296, reservation: 16777216}'
  set_args "$b" sh -c 'cd /sys/fs/cgroup; cat memory.swap.max memory.low'
  run_ct "m2-$tag" -b "$b"
  is "swap.max = swap - limit; reservation -> memory.low" "$(echo $OUT)" "67108864 16777216"
else
  skip "no swap accounting in this kernel"
fi

# Pids.
reset_config "$b"
edit_config "$b" '.linux.resources.pids = {limit: 8}'
set_args "$b" sh -c '(for i in $(seq 20); do sleep 3 & done) 2>/dev/null
  cat /sys/fs/cgroup/pids.current /sys/fs/cgroup/pids.max'
run_ct "p1-$tag" -b "$b"
is "pids.max in the container" "$(echo "$OUT" | sed -n 2p)" 8
case $(echo "$OUT" | sed -n 1p) in
  7|8) ok "forks stop at the limit" ;;
  *) not_ok "forks stop at the limit" "pids.current: $(echo "$OUT" | sed -n 1p)" ;;
esac

# CPU: shares -> weight, quota/period -> cpu.max, cpuset.
reset_config "$b"
edit_config "$b" '.linux.resources.cpu = {shares: 512, quota: 25000, period: 50000, cpus: "0", mems: "0", idle: 0}'
set_args "$b" sh -c 'cd /sys/fs/cgroup; cat cpu.weight cpu.max cpuset.cpus cpuset.mems'
run_ct "c1-$tag" -b "$b"
is "cpu.weight, cpu.max, cpuset" "$(echo $OUT)" "20 25000 50000 0 0"
edit_config "$b" '.linux.resources.cpu = {realtimeRuntime: 1000}'
run_ct "c2-$tag" -b "$b"
check "realtime is refused" sh -c 'printf "%s\n" "$1" | grep -q "not supported on cgroup v2"' _ "$ERR"
is "and leaves no group" "$(our_groups)" ""

# The cgroup namespace and the host side of the group.
reset_config "$b"
set_args "$b" cat /proc/self/cgroup
run_ct "n1-$tag" -b "$b"
is "/proc/self/cgroup is 0::/" "$OUT" "0::/"
set_args "$b" sh -c 'echo up > /tmp/up; sleep 30'
mr run -b "$b" "n2-$tag" > /dev/null 2>&1 &
track_pid $!
wait_for_file "$b/rootfs/tmp/up" || bail "the container did not start"
rm -f "$b/rootfs/tmp/up"
g=$(cgroup_name "n2-$tag")
check "init is in /sys/fs/cgroup/minirun/NAME" grep -q . "/sys/fs/cgroup/minirun/$g/cgroup.procs"
check "controllers are enabled for it" grep -q memory /sys/fs/cgroup/minirun/cgroup.subtree_control
kill -KILL "$(head -1 "/sys/fs/cgroup/minirun/$g/cgroup.procs")"
wait
is "the group is gone with the container" "$(our_groups)" ""

# Init starts in its group (clone3 with CLONE_INTO_CGROUP): minirun's own
# clone3 says so, and a createRuntime hook finds it there.
reset_config "$b"
edit_config "$b" '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "pid=$(jq -r .pid); cat /proc/$pid/cgroup > /tmp/hook-cg-\($t)"]}]' \
  --arg t "$tag"
set_args "$b" true
strace -o "/tmp/trace-$tag" -e trace=clone3 \
  "$MINIRUN" --root "$STATE_ROOT" create -b "$b" "k1-$tag" > /dev/null 2>&1
g=$(cgroup_name "k1-$tag")
check "init is cloned with CLONE_INTO_CGROUP, which succeeds" \
  grep -Eq 'CLONE_INTO_CGROUP.*\) = [1-9][0-9]*$' "/tmp/trace-$tag"
is "the hook sees init in /minirun/NAME" "$(cat "/tmp/hook-cg-$tag")" "0::/minirun/$g"
mr delete -f "k1-$tag" > /dev/null 2>&1
reset_config "$b"

# Joining a user namespace by path with a new pid namespace (a Kubernetes
# pod with user namespaces): init is cloned from inside that user
# namespace, and still starts in its group, with its limits.
chmod 755 "$(dirname "$b")" "$b"
edit_config "$b" '.linux.namespaces += [{type: "user"}]
  | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
  | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
set_args "$b" sleep 1000
mr run -d -b "$b" --pid-file "/tmp/pod-$tag.pid" "u1-$tag" > /dev/null 2>&1
pod_pid=$(cat "/tmp/pod-$tag.pid")
edit_config "$b" '(.linux.namespaces[] | select(.type == "user")) += {path: $p}
  | .linux.resources.pids = {limit: 20}' --arg p "/proc/$pod_pid/ns/user"
mr create -b "$b" --pid-file "/tmp/app-$tag.pid" "u2-$tag" > "$TEST_TMP/u2.out" 2>&1
app_pid=$(cat "/tmp/app-$tag.pid" 2>/dev/null)
g=$(cgroup_name "u2-$tag")
is "joined user namespace, new pid namespace: init in its group" \
  "$(cat "$TEST_TMP/u2.out")$(cat "/proc/$app_pid/cgroup" 2>&1)" "0::/minirun/$g"
is "... with its limit" "$(cat "/sys/fs/cgroup/minirun/$g/pids.max" 2>&1)" 20
mr delete -f "u2-$tag" > /dev/null 2>&1
mr delete -f "u1-$tag" > /dev/null 2>&1
reset_config "$b"

# Devices through the BPF program.
edit_config "$b" '.process.capabilities = {bounding: ["CAP_MKNOD"], effective: ["CAP_MKNOD"], permitted: ["CAP_MKNOD"]}'
set_args "$b" sh -c 'rm -f /tmp/tun; mknod /tmp/tun c 10 200 && echo made
  true 3<>/tmp/tun && echo opened; true > /dev/null && echo null-ok'
run_ct "d1-$tag" -b "$b"
is "mknod allowed, default devices usable" "$(echo $OUT)" "made null-ok"
check "a denied device cannot be opened (EPERM)" \
  sh -c 'printf "%s\n" "$1" | grep -q "Operation not permitted"' _ "$ERR"
edit_config "$b" '.linux.resources.devices += [{allow: true, type: "c", major: 10, minor: 200, access: "rw"}]'
run_ct "d2-$tag" -b "$b"
is "an allow rule opens it" "$(echo $OUT)" "made opened null-ok"
edit_config "$b" '.linux.resources.devices += [{allow: false, type: "c", major: 10, access: "w"}]'
set_args "$b" sh -c 'rm -f /tmp/tun; mknod /tmp/tun c 10 200
  true 3</tmp/tun && echo read-ok; true 4>/tmp/tun 2>/dev/null || echo write-denied'
run_ct "d3-$tag" -b "$b"
is "the last matching rule wins, wildcards included" "$(echo $OUT)" "read-ok write-denied"

# unified: written verbatim; bad keys refused.
reset_config "$b"
edit_config "$b" '.linux.resources.unified = {"memory.high": "50000000", "pids.max": "12"}'
set_args "$b" sh -c 'cat /sys/fs/cgroup/memory.high /sys/fs/cgroup/pids.max'
run_ct "u1-$tag" -b "$b"
is "unified keys are written" "$(echo $OUT)" "49999872 12"
edit_config "$b" '.linux.resources.unified = {"../memory.max": "1"}'
run_ct "u2-$tag" -b "$b"
check "a key with .. or / is refused" sh -c 'printf "%s\n" "$1" | grep -q "invalid key"' _ "$ERR"
edit_config "$b" '.linux.resources.unified = {"nosuch.file": "1"}'
run_ct "u3-$tag" -b "$b"
check "a key naming no file is refused" sh -c 'printf "%s\n" "$1" | grep -q "not available"' _ "$ERR"

# hugetlb and io, when the kernel has them.
reset_config "$b"
if [ -n "$probe_huge" ]; then
  edit_config "$b" '.linux.resources.hugepageLimits = [{pageSize: "2MB", limit: 4194304}]'
  set_args "$b" cat /sys/fs/cgroup/hugetlb.2MB.max
  run_ct "h1-$tag" -b "$b"
  is "hugetlb.2MB.max" "$OUT" 4194304
else
  skip "no hugetlb controller"
fi
reset_config "$b"
# The VM has no disk: a loop device on the scratch tmpfs.
dev=
if [ -n "$probe_io_max" ] && modprobe loop 2>/dev/null \
   && truncate -s 8M "${MINIRUN_VM_SCRATCH:-/tmp}/img" \
   && loopdev=$(losetup -f --show "${MINIRUN_VM_SCRATCH:-/tmp}/img"); then
  dev=$(cat "/sys/block/${loopdev#/dev/}/dev")
fi
if [ -n "$dev" ]; then
  maj=${dev%:*}; min=${dev#*:}
  edit_config "$b" \
    '.linux.resources.blockIO = {throttleReadBpsDevice: [{major: $M, minor: $m, rate: 1048576}], throttleWriteIOPSDevice: [{major: $M, minor: $m, rate: 100}]}' \
    --argjson M "$maj" --argjson m "$min"
  set_args "$b" cat /sys/fs/cgroup/io.max
  run_ct "i1-$tag" -b "$b"
  is "io.max line" "$OUT$ERR" "$dev rbps=1048576 wbps=max riops=max wiops=100"
else
  skip "no block device for io.max"
fi
reset_config "$b"
if [ -n "$probe_io_weight" ]; then
  edit_config "$b" '.linux.resources.blockIO = {weight: 500}'
  set_args "$b" sh -c 'cat /sys/fs/cgroup/io.bfq.weight 2>/dev/null || cat /sys/fs/cgroup/io.weight'
  run_ct "i2-$tag" -b "$b"
  if [ "$probe_io_weight" = bfq ]; then want="default 500"; else want="default 4950"; fi
  is "blockIO.weight -> $probe_io_weight weight" "$(echo "$OUT" | head -1)" "$want"
else
  skip "no io weight file"
fi
[ -n "${loopdev:-}" ] && losetup -d "$loopdev"

# Processes outliving init (no pid namespace) are killed with the group.
reset_config "$b"
edit_config "$b" 'del(.linux.namespaces[] | select(.type == "pid"))'
# (a duration of our own: other tests may run a `sleep 1000` meanwhile)
secs=$((100000 + $$))
set_args "$b" sh -c "sleep $secs &"
run_ct "o1-$tag" -b "$b"
is "run exits 0" "$RC" 0
check "the orphan is killed" sh -c "! pgrep -f '^sleep $secs\$'"

# pause / resume / update / events on v2 (as manage-cgroup-v1.sh on the
# host): cgroup.freeze, live writes, runc's stats object, the OOM event.
reset_config "$b"
set_args "$b" sh -c 'while :; do :; done'
c=z1-$tag
mr run -d -b "$b" "$c" < /dev/null > /dev/null 2>&1
g=/sys/fs/cgroup/minirun/$(cgroup_name "$c")
pid=$(mr state "$c" | jq .pid)
cpu_ticks () { awk '{print $14 + $15}' "/proc/$1/stat"; }
mr pause "$c"
is "pause: state paused, cgroup.events frozen 1" \
  "$(mr state "$c" | jq -r .status) $(grep frozen "$g/cgroup.events")" "paused frozen 1"
t1=$(cpu_ticks "$pid"); sleep 1; t2=$(cpu_ticks "$pid")
is "a paused busy loop uses no CPU" "$t2" "$t1"
mr resume "$c"
t1=$(cpu_ticks "$pid"); sleep 1; t2=$(cpu_ticks "$pid")
check "resume: running, and the loop runs again" \
  sh -c '[ "$1" = running ] && [ "$3" -gt "$2" ]' _ "$(mr state "$c" | jq -r .status)" "$t1" "$t2"
mr update --memory 256m --pids-limit 50 --cpu-quota 20000 --cpu-period 100000 "$c"
is "update writes memory.max, pids.max, cpu.max" \
  "$(cat "$g/memory.max" "$g/pids.max" "$g/cpu.max" | tr '\n' ' ')" \
  "268435456 50 20000 100000 "
echo '{"pids": {"limit": 40}, "cpu": {"shares": 512}}' | mr update -r - "$c"
is "update --resources - (shares -> weight)" \
  "$(cat "$g/pids.max" "$g/cpu.weight" | tr '\n' ' ')" "40 20 "
mr update --memory 64m --cpuset-cpus 63 "$c" > /dev/null 2> "$TEST_TMP/err"
is "a refused update fails in one line and changes nothing" \
  "$?:$(wc -l < "$TEST_TMP/err"):$(cat "$g/memory.max")" "1:1:268435456"
mr events --stats "$c" > "$TEST_TMP/stats"
check "events --stats prints runc's stats object" /usr/bin/python3 -c '
import json, sys
e = json.loads(open(sys.argv[1]).read())
d = e["data"]
assert e["type"] == "stats" and d["memory"]["usage"]["usage"] > 0, e
assert d["memory"]["usage"]["limit"] == 268435456, d["memory"]
assert d["pids"]["current"] >= 1 and d["pids"]["limit"] == 40, d["pids"]
assert d["cpu"]["usage"]["total"] > 0, d["cpu"]
' "$TEST_TMP/stats"
mr pause "$c"
timeout 20 "$MINIRUN" --root "$STATE_ROOT" delete --force "$c"
is "delete --force of a paused container" "$?:$(our_groups)" "0:"

reset_config "$b"
edit_config "$b" '.linux.resources.memory = {limit: 33554432}'
set_args "$b" sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done
  (echo 1000 > /proc/self/oom_score_adj; head -c 200000000 /dev/zero | tail > /dev/null)
  echo "tail=$?" > /tmp/done; sleep 1000'
c=z2-$tag
rm -f "$b/rootfs/tmp/go" "$b/rootfs/tmp/done"
mr run -d -b "$b" "$c" < /dev/null > /dev/null 2>&1
"$MINIRUN" --root "$STATE_ROOT" events --interval 500ms "$c" > "$TEST_TMP/events" 2>&1 &
epid=$!
track_pid $epid
sleep 1
touch "$b/rootfs/tmp/go"
wait_for_file "$b/rootfs/tmp/done" 300
i=0
while ! grep -q '"oom"' "$TEST_TMP/events" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "events reports the OOM kill" grep -qx '{"type":"oom","id":"'"$c"'"}' "$TEST_TMP/events"
mr kill "$c" KILL
i=0
while kill -0 $epid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
wait $epid
is "events exits 0 when the container stops" "$?" 0
mr delete "$c"

# The library itself: create, enter, freeze, stats, update, destroy.
check "cgroup-manager-test passes on v2" "$abs_top_builddir/tests/unit/cgroup-manager-test"
check "cgroup-bpf-test passes on v2 (loads and attaches)" "$abs_top_builddir/tests/unit/cgroup-bpf-test"

is "no group is left" "$(our_groups)" ""
finish
