#!/bin/sh
# process.ioPriority, process.scheduler, linux.personality and
# linux.timeOffsets: applied to init and to exec'd processes, refused
# with one clear line when they cannot be.
. "$abs_top_srcdir/tests/integration/lib.sh"
. "$abs_top_srcdir/tests/integration/lifecycle-lib.sh"
require_root

plan 27

b=$TEST_TMP/bundle
make_bundle "$b"

# ex ARGS...: exec, stdout in $OUT, stderr in $ERR, status in $RC.
ex ()
{
  mr exec "$@" < /dev/null > "$TEST_TMP/out" 2> "$TEST_TMP/err"
  RC=$?
  OUT=$(cat "$TEST_TMP/out")
  ERR=$(cat "$TEST_TMP/err")
}
# field N [PID]: field N of /proc/PID/stat (comm has no space here).
stat_fields () { cut -d' ' -f "$1" "/proc/$2/stat"; }

# --- ioPriority ---
edit_config "$b" '.process.ioPriority = {class: "IOPRIO_CLASS_IDLE", priority: 0}'
set_args "$b" ionice
run_ct io1 -b "$b"
is "ioPriority IDLE applies to init" "$RC:$OUT" "0:idle"
set_args "$b" sleep 1000
ct_create io2 && mr start io2 || bail "cannot start io2: $(cat "$TEST_TMP/io2.err")"
ex io2 ionice
is "and to exec'd processes (from the config)" "$RC:$OUT" "0:idle"
cat > "$TEST_TMP/p.json" <<'J'
{"args": ["ionice"], "cwd": "/", "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 3}}
J
ex -p "$TEST_TMP/p.json" io2
is "exec --process with its own ioPriority" "$RC:$OUT" "0:best-effort: prio 3"
mr delete -f io2
edit_config "$b" '.process.ioPriority.class = "IOPRIO_CLASS_FAST"'
ct_create io3
is "an unknown class fails create with one line" "$(cat "$TEST_TMP/io3.err")" \
  "minirun: create io3: config.json: process.ioPriority: unknown class \`IOPRIO_CLASS_FAST\` (IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE)"
check "and leaves no state" test ! -e "$STATE_ROOT/io3"
edit_config "$b" '.process.ioPriority = {class: "IOPRIO_CLASS_BE", priority: 8}'
run_ct io4 -b "$b"
is "a priority above 7 is refused" "$RC:$ERR" \
  "1:minirun: run io4: config.json: process.ioPriority: priority 8 not in 0..7"
reset_config "$b"

# --- scheduler ---
edit_config "$b" '.process.scheduler = {policy: "SCHED_BATCH", nice: 7}'
set_args "$b" sleep 1000
ct_create s1 && mr start s1 || bail "cannot start s1: $(cat "$TEST_TMP/s1.err")"
is "SCHED_BATCH with nice 7 for init (nice, policy)" \
  "$(stat_fields 19,41 "$(cat "$TEST_TMP/s1.pid")")" "7 3"
ex -d --pid-file "$TEST_TMP/x.pid" s1 sleep 1000
track_pid "$(cat "$TEST_TMP/x.pid")"
is "and for an exec'd process" "$(stat_fields 19,41 "$(cat "$TEST_TMP/x.pid")")" "7 3"
cat > "$TEST_TMP/p.json" <<'J'
{"args": ["sleep", "1000"], "cwd": "/",
 "scheduler": {"policy": "SCHED_DEADLINE", "flags": ["SCHED_FLAG_RESET_ON_FORK"],
               "runtime": 42000, "deadline": 100000, "period": 1000000}}
J
ex -d --pid-file "$TEST_TMP/y.pid" -p "$TEST_TMP/p.json" s1
track_pid "$(cat "$TEST_TMP/y.pid")"
chrt -p "$(cat "$TEST_TMP/y.pid")" > "$TEST_TMP/chrt" 2>&1
check "exec --process with SCHED_DEADLINE and a flag" \
  grep -q 'policy: SCHED_DEADLINE|SCHED_RESET_ON_FORK$' "$TEST_TMP/chrt"
check "with its runtime/deadline/period" \
  grep -q 'parameters: 42000/100000/1000000$' "$TEST_TMP/chrt"
mr delete -f s1
edit_config "$b" '.process.scheduler = {policy: "SCHED_OTHER", priority: 3}'
run_ct s2 -b "$b"
is "priority outside SCHED_FIFO/SCHED_RR is refused" "$RC:$ERR" \
  "1:minirun: run s2: config.json: process.scheduler: priority can only be set for SCHED_FIFO or SCHED_RR"
edit_config "$b" '.process.scheduler = {policy: "SCHED_OTHER", nice: 20}'
run_ct s3 -b "$b"
is "nice outside -20..19 is refused" "$RC:$ERR" \
  "1:minirun: run s3: config.json: process.scheduler: nice 20 not in -20..19"
edit_config "$b" '.process.scheduler = {policy: "SCHED_OTHER", flags: ["SCHED_FLAG_FAST"]}'
run_ct s4 -b "$b"
is "an unknown flag is refused" "$RC:$ERR" \
  "1:minirun: run s4: config.json: process.scheduler: unknown flag \`SCHED_FLAG_FAST\`"
edit_config "$b" '.process.scheduler = {policy: "SCHED_FIFO", priority: 3}'
set_args "$b" sh -c 'exec cat /proc/self/stat'
# Real-time needs a cpu cgroup with a budget: minirun's own (the test's).
rt=$(awk -F: '$2 == "cpu" || $2 ~ /(^|,)cpu(,|$)/ {print $3}' /proc/self/cgroup)
if [ -n "$rt" ] && [ "$(cat "/sys/fs/cgroup/cpu$rt/cpu.rt_runtime_us" 2>/dev/null || echo 1)" = 0 ]; then
  skip "SCHED_FIFO: this test's cpu cgroup has no real-time budget"
else
  mr --cgroup-manager disabled run -b "$b" s5 < /dev/null > "$TEST_TMP/out" 2>&1
  is "SCHED_FIFO priority 3 (rt_priority, policy)" \
    "$(cut -d' ' -f 40,41 "$TEST_TMP/out")" "3 1"
fi
reset_config "$b"

# --- personality ---
if [ "$(uname -m)" = x86_64 ]; then
  edit_config "$b" '.linux.personality = {domain: "LINUX32"}'
  set_args "$b" sleep 1000
  ct_create p1 && mr start p1 || bail "cannot start p1: $(cat "$TEST_TMP/p1.err")"
  ex p1 uname -m
  is "LINUX32: exec'd uname -m says i686" "$RC:$OUT" 0:i686
  mr delete -f p1
  set_args "$b" uname -m
  run_ct p2 -b "$b"
  is "LINUX32: init's uname -m says i686" "$RC:$OUT" 0:i686
else
  skip "LINUX32 is tested on x86_64"
  skip "LINUX32 is tested on x86_64"
fi
edit_config "$b" '.linux.personality = {domain: "LINUX"}'
set_args "$b" uname -m
run_ct p3 -b "$b"
is "LINUX: the machine's own" "$RC:$OUT" "0:$(uname -m)"
edit_config "$b" '.linux.personality = {domain: "LINUX64"}'
run_ct p4 -b "$b"
is "an unknown domain is refused" "$RC:$ERR" \
  "1:minirun: run p4: config.json: linux.personality: unknown domain \`LINUX64\` (LINUX or LINUX32)"
edit_config "$b" '.linux.personality = {domain: "LINUX", flags: ["ADDR_NO_RANDOMIZE"]}'
run_ct p5 -b "$b"
is "flags (the spec defines none) are refused" "$RC:$ERR" \
  "1:minirun: run p5: config.json: linux.personality: unknown flag \`ADDR_NO_RANDOMIZE\`"
reset_config "$b"

# --- time namespace and timeOffsets ---
edit_config "$b" '.linux.namespaces += [{type: "time"}]
  | .linux.timeOffsets = {boottime: {secs: 86400, nanosecs: 0},
                          monotonic: {secs: -10, nanosecs: 5}}'
set_args "$b" sleep 1000
ct_create t1 && mr start t1 || bail "cannot start t1: $(cat "$TEST_TMP/t1.err")"
ex t1 cat /proc/self/timens_offsets
is "exec'd processes are in the time namespace, with its offsets" \
  "$(printf '%s\n' "$OUT" | awk '{print $1, $2, $3}' | sort | tr '\n' ' ')" \
  "boottime 86400 0 monotonic -10 5 "
host=$(cut -d' ' -f1 /proc/uptime)
ex t1 cat /proc/uptime
check "/proc/uptime inside is the host's + 86400 s" \
  awk -v h="$host" -v c="${OUT%% *}" 'BEGIN { d = c - h; exit !(d > 86390 && d < 86410) }'
init_ns=$(readlink "/proc/$(cat "$TEST_TMP/t1.pid")/ns/time")
check "init is in a time namespace of its own" test "$init_ns" != "$(readlink /proc/self/ns/time)"
mr delete -f t1
set_args "$b" cat /proc/uptime
run_ct t2 -b "$b"
check "init's /proc/uptime too" \
  awk -v h="$host" -v c="${OUT%% *}" 'BEGIN { d = c - h; exit !(d > 86390 && d < 86420) }'
# In a new user namespace too (the offsets are written before init's ids
# change: after that /proc/self is no longer init's to write).
chmod 755 "$TEST_TMP" "$b"
edit_config "$b" '.linux.namespaces += [{type: "user"}]
  | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
  | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
set_args "$b" cat /proc/self/timens_offsets
run_ct t5 -b "$b"
is "with a user namespace" "$RC:$(printf '%s\n' "$OUT" | awk '$1 == "boottime" {print $2}')" 0:86400
edit_config "$b" '.linux.namespaces |= map(select(.type != "time"))'
run_ct t3 -b "$b"
is "timeOffsets without a time namespace are refused" "$RC:$ERR" \
  "1:minirun: run t3: linux.timeOffsets needs a new time namespace (linux.namespaces: time, without a path)"
edit_config "$b" '.linux.namespaces += [{type: "time"}] | .linux.timeOffsets = {realtime: {secs: 1, nanosecs: 0}}'
run_ct t4 -b "$b"
is "an unknown clock is refused" "$RC:$ERR" \
  "1:minirun: run t4: linux.timeOffsets: unknown clock \`realtime\` (monotonic or boottime)"
check_no_leftovers "nothing left behind" t4 "$b"
finish
