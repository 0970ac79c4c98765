#!/bin/sh
# pause / resume / update / events on this (v1 or hybrid) host: a paused
# container does not run, an update changes the live group, events print
# runc's stats object and report an OOM kill, nothing is left after delete.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root
[ "$(stat -fc %T /sys/fs/cgroup)" = tmpfs ] \
  || { echo "1..0 # SKIP not a cgroup v1/hybrid host"; exit 0; }

plan 36

tag=mrmg$$
cg_cleanup ()
{
  for _d in $(find /sys/fs/cgroup -depth -type d -name "*$tag*" 2>/dev/null); do
    [ -e "$_d/freezer.state" ] && echo THAWED > "$_d/freezer.state"
    for _p in $(cat "$_d/cgroup.procs" 2>/dev/null); do kill -KILL "$_p"; done
  done
  sleep 0.2
  find /sys/fs/cgroup -depth -type d -path "*$tag*" -exec rmdir {} + 2>/dev/null
  rmdir /sys/fs/cgroup/*/minirun 2>/dev/null
  _lib_cleanup
}
trap cg_cleanup EXIT

our_groups () { find /sys/fs/cgroup -name "*$tag*" 2>/dev/null; }
b=$TEST_TMP/bundle
make_bundle "$b"
edit_config "$b" '.root.readonly = false'
cp "$b/config.json" "$b/config.json.orig"

# CPU time (utime + stime, in ticks) of a host pid.
cpu_ticks () { awk '{print $14 + $15}' "/proc/$1/stat"; }
status_of () { mr state "$1" 2>/dev/null | jq -r .status; }
# The container's group directory in hierarchy $2.
group () { echo "/sys/fs/cgroup/$2/minirun/$(cgroup_name "$1")"; }

# --- pause / resume ---------------------------------------------------
set_args "$b" sh -c 'while :; do :; done'
c=p1-$tag
mr run -d -b "$b" "$c" < /dev/null > /dev/null 2>&1
is "a busy container starts" "$(status_of "$c")" running
pid=$(mr state "$c" | jq .pid)
mr pause "$c" 2> "$TEST_TMP/err"
is "pause exits 0" "$?:$(cat "$TEST_TMP/err")" "0:"
is "state says paused" "$(status_of "$c")" paused
check "list says paused" sh -c "'$MINIRUN' --root '$STATE_ROOT' list | grep -q '^$c .* paused '"
is "the freezer is FROZEN" "$(cat "$(group "$c" freezer)/freezer.state")" FROZEN
t1=$(cpu_ticks "$pid"); sleep 1; t2=$(cpu_ticks "$pid")
is "a paused busy loop uses no CPU" "$t2" "$t1"
mr pause "$c" > /dev/null 2> "$TEST_TMP/err"
is "pausing a paused container fails as runc" "$(cat "$TEST_TMP/err")" \
  "minirun: pause $c: container not running"
mr resume "$c" 2> "$TEST_TMP/err"
is "resume exits 0" "$?:$(cat "$TEST_TMP/err")" "0:"
is "state says running again" "$(status_of "$c")" running
t1=$(cpu_ticks "$pid"); sleep 1; t2=$(cpu_ticks "$pid")
check "the busy loop runs again" test "$t2" -gt "$t1"
mr resume "$c" > /dev/null 2> "$TEST_TMP/err"
is "resuming a running container fails" "$(cat "$TEST_TMP/err")" \
  "minirun: resume $c: container not paused"

# --- update ------------------------------------------------------------
mr update --memory 256m --pids-limit 50 --cpu-quota 20000 --cpu-period 100000 "$c" 2> "$TEST_TMP/err"
is "update exits 0" "$?:$(cat "$TEST_TMP/err")" "0:"
is "--memory 256m is in memory.limit_in_bytes" \
  "$(cat "$(group "$c" memory)/memory.limit_in_bytes")" 268435456
is "--pids-limit is in pids.max" "$(cat "$(group "$c" pids)/pids.max")" 50
is "--cpu-quota is in cpu.cfs_quota_us" \
  "$(cat "$(group "$c" cpu)/cpu.cfs_quota_us")" 20000
echo '{"memory": {"limit": 134217728}, "pids": {"limit": 40}, "cpu": {"shares": 512}}' \
  | mr update --resources - "$c" 2> "$TEST_TMP/err"
is "update --resources - exits 0" "$?:$(cat "$TEST_TMP/err")" "0:"
is "the JSON's values are applied" \
  "$(cat "$(group "$c" memory)/memory.limit_in_bytes" "$(group "$c" pids)/pids.max" "$(group "$c" cpu)/cpu.shares" | tr '\n' ' ')" \
  "134217728 40 512 "
mr update --memory 12zz "$c" > /dev/null 2> "$TEST_TMP/err"
rc=$?
is "a bad size fails with one line" "$rc:$(wc -l < "$TEST_TMP/err")" "1:1"
check "that line names the option and the value" \
  grep -q "^minirun: update $c: invalid value for --memory: invalid size \`12zz\`" "$TEST_TMP/err"
# The kernel refuses cpu 63: the memory limit written just before is put back.
mr update --memory 64m --cpuset-cpus 63 "$c" > /dev/null 2> "$TEST_TMP/err"
rc=$?
is "a value the kernel refuses fails with one line" "$rc:$(wc -l < "$TEST_TMP/err")" "1:1"
is "and nothing is changed" \
  "$(cat "$(group "$c" memory)/memory.limit_in_bytes")" 134217728
echo '{"memory": {"limit": "x"}}' | mr update -r - "$c" > /dev/null 2> "$TEST_TMP/err"
check "bad JSON fails with the path of the bad value" \
  grep -q "memory.limit: expected an integer" "$TEST_TMP/err"
# Realtime: applied, or (no budget in the parents, no RT group
# scheduling) refused in one line naming the file or the feature.
mr update --cpu-rt-runtime 1000 --cpu-rt-period 1000000 "$c" > /dev/null 2> "$TEST_TMP/err"
rc=$?
if [ $rc -eq 0 ]; then
  is "--cpu-rt-runtime is applied" "$(cat "$(group "$c" cpu)/cpu.rt_runtime_us")" 1000
else
  check "--cpu-rt-runtime is refused in one clear line" sh -c \
    '[ "$(wc -l < "$1")" -eq 1 ] && grep -q "rt_\|realtime" "$1"' _ "$TEST_TMP/err"
fi

# --- events --stats ------------------------------------------------------
mr events --stats "$c" > "$TEST_TMP/stats" 2> "$TEST_TMP/err"
is "events --stats exits 0" "$?:$(cat "$TEST_TMP/err")" "0:"
check "it prints one JSON object in runc's shape" /usr/bin/python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
e = json.loads(lines[0])
assert e["type"] == "stats" and e["id"] == sys.argv[2], e
d = e["data"]
assert d["memory"]["usage"]["usage"] > 0, d["memory"]
assert d["memory"]["usage"]["limit"] == 134217728, d["memory"]
assert d["pids"]["current"] >= 1 and d["pids"]["limit"] == 40, d["pids"]
assert d["cpu"]["usage"]["total"] > 0 and len(d["cpu"]["usage"]["percpu"]) >= 1
assert "throttling" in d["cpu"] and "blkio" in d and "hugetlb" in d
' "$TEST_TMP/stats" "$c"

# --- kill / delete of a paused container --------------------------------
mr pause "$c"
mr kill "$c" KILL 2> "$TEST_TMP/err"
i=0
while [ "$(status_of "$c")" != stopped ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
is "kill KILL stops a paused container" "$(status_of "$c")" stopped
mr delete "$c"
is "delete removes its groups" "$(our_groups)" ""
c=p2-$tag
mr run -d -b "$b" "$c" < /dev/null > /dev/null 2>&1
mr pause "$c"
timeout 20 "$MINIRUN" --root "$STATE_ROOT" delete --force "$c" 2> "$TEST_TMP/err"
is "delete --force of a paused container" "$?:$(cat "$TEST_TMP/err")" "0:"
is "leaves no group" "$(our_groups)" ""

# --- events: OOM and the end of the container ---------------------------
# Init waits for /tmp/go, then a child allocates past the 32M limit (with
# oom_score_adj 1000, so that the kernel picks it and not the shell).
reset_config "$b"
edit_config "$b" '.linux.resources.memory = {limit: 33554432, swap: 33554432}'
set_args "$b" sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done
  (echo 1000 > /proc/self/oom_score_adj; head -c 200000000 /dev/zero | tail > /dev/null)
  echo "tail=$?" > /tmp/done; sleep 1000'
c=o1-$tag
rm -f "$b/rootfs/tmp/go" "$b/rootfs/tmp/done"
mr run -d -b "$b" "$c" < /dev/null > /dev/null 2>&1
"$MINIRUN" --root "$STATE_ROOT" events --interval 300ms "$c" > "$TEST_TMP/events" 2> "$TEST_TMP/eerr" &
epid=$!
track_pid $epid
sleep 0.5
touch "$b/rootfs/tmp/go"
wait_for_file "$b/rootfs/tmp/done" 200
is "the allocating process is OOM-killed" "$(cat "$b/rootfs/tmp/done")" tail=137
i=0
while ! grep -q '"oom"' "$TEST_TMP/events" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "events reports the OOM kill" /usr/bin/python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
assert {"type": "oom", "id": sys.argv[2]} in ev, ev
' "$TEST_TMP/events" "$c"
check "and stats every interval" /usr/bin/python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
assert sum(e["type"] == "stats" for e in ev) >= 2, ev
' "$TEST_TMP/events"
mr kill "$c" KILL
i=0
while kill -0 $epid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
wait $epid
is "events exits 0 when the container stops" "$?:$(cat "$TEST_TMP/eerr")" "0:"
mr events --stats "$c" > /dev/null 2> "$TEST_TMP/err"
is "events --stats of a stopped container fails" "$(cat "$TEST_TMP/err")" \
  "minirun: events $c: container not running"
mr delete "$c"

# --- a pids limit set by update stops a (bounded) fork bomb -------------
reset_config "$b"
set_args "$b" sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done
  (for i in $(seq 20); do sleep 3 & done) 2>/dev/null
  cat /sys/fs/cgroup/pids/pids.current > /tmp/done; sleep 1000'
c=f1-$tag
rm -f "$b/rootfs/tmp/go" "$b/rootfs/tmp/done"
mr run -d -b "$b" "$c" < /dev/null > /dev/null 2>&1
mr update --pids-limit 8 "$c"
touch "$b/rootfs/tmp/go"
wait_for_file "$b/rootfs/tmp/done" 100
case $(cat "$b/rootfs/tmp/done") in
  7|8) ok "forks stop at the updated limit" ;;
  *) not_ok "forks stop at the updated limit" "pids.current: $(cat "$b/rootfs/tmp/done")" ;;
esac
mr delete --force "$c"
is "nothing of ours is left" "$(our_groups)" ""
finish
