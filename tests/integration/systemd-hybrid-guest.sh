#!/bin/sh
# Run by vm-systemd-hybrid.sh (through vm-systemd.sh) inside the VM booted
# with systemd as PID 1 in its hybrid cgroup mode (v1 controllers, cgroup2
# at /sys/fs/cgroup/unified), as on the hosts that still run cgroup v1: the
# systemd driver's scope holds init in every hierarchy, with the limits in
# the v1 files, and the management commands work through it.  TAP.
. "$abs_top_srcdir/tests/integration/lib.sh"
: "${BUNDLE:?}"
STATE_ROOT=/run/minirun-sdh

plan 17

[ -d /run/systemd/system ] || bail "systemd is not PID 1 here"
[ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] \
  || bail "the cgroup hierarchy is not hybrid"
b=$BUNDLE
edit_config "$b" '.root.readonly = false'
cp "$b/config.json" "$b/config.json.orig"
sd () { "$MINIRUN" --root "$STATE_ROOT" --systemd-cgroup "$@"; }
unit_of () { jq -r '.cgroupPaths[] | select(startswith("systemd:")) | ltrimstr("systemd:")' "$STATE_ROOT/$1/state.json"; }
our_units () { systemctl list-units --all --plain --no-legend 'minirun-*.scope' 2>/dev/null; }
our_groups () { find /sys/fs/cgroup -name 'minirun-*.scope' 2>/dev/null; }
prop () { systemctl show -P "$2" "$1"; }

edit_config "$b" '.linux.resources = {memory: {limit: 33554432}, pids: {limit: 16}, cpu: {shares: 512, quota: 25000, period: 50000, cpus: "0"}}'
set_args "$b" sleep 1000
sd create -b "$b" h1 > "$TEST_TMP/out" 2> "$TEST_TMP/err"
is "create --systemd-cgroup exits 0" "$?:$(cat "$TEST_TMP/err")" 0:
u=$(unit_of h1)
pid=$(jq -r .pid "$STATE_ROOT/h1/state.json")
is "systemd has the scope, active" "$(systemctl is-active "$u")" active
g=/system.slice/$u
is "init is in the scope in the systemd, unified, memory and pids hierarchies" \
  "$(grep -E '^[0-9]+:(name=systemd|memory|pids|):' "/proc/$pid/cgroup" | cut -d: -f3 | sort -u)" "$g"
v1=/sys/fs/cgroup
is "MemoryLimit (the v1 property) and memory.limit_in_bytes" \
  "$(prop "$u" MemoryLimit) $(cat "$v1/memory$g/memory.limit_in_bytes")" "33554432 33554432"
is "TasksMax and pids.max" "$(prop "$u" TasksMax) $(cat "$v1/pids$g/pids.max")" "16 16"
is "CPUShares and cpu.shares" \
  "$(prop "$u" CPUShares) $(cat "$v1/cpu,cpuacct$g/cpu.shares")" "512 512"
is "cpu.cfs_quota_us and cpu.cfs_period_us" \
  "$(cat "$v1/cpu,cpuacct$g/cpu.cfs_quota_us" "$v1/cpu,cpuacct$g/cpu.cfs_period_us" | tr '\n' ' ')" "25000 50000 "
is "cpuset.cpus" "$(cat "$v1/cpuset$g/cpuset.cpus")" 0

sd start h1 > /dev/null 2>&1
is "events --stats reads the v1 files" \
  "$(sd events --stats h1 2>&1 | jq -c '[.data.memory.usage.limit, .data.pids]')" \
  '[33554432,{"current":1,"limit":16}]'
sd update --memory 64m --pids-limit 20 h1 > "$TEST_TMP/out" 2>&1
is "update changes the limits" \
  "$(cat "$TEST_TMP/out")$(cat "$v1/memory$g/memory.limit_in_bytes") $(cat "$v1/pids$g/pids.max")" \
  "67108864 20"
sd pause h1 > /dev/null 2>&1
is "pause: the v1 freezer" "$(sd state h1 | jq -r .status) $(cat "$v1/freezer$g/freezer.state" 2>&1)" \
  "paused FROZEN"
sd resume h1 > /dev/null 2>&1
is "resume" "$(sd state h1 | jq -r .status)" running
sd exec h1 sh -c 'cat /proc/self/cgroup' > "$TEST_TMP/out" 2> "$TEST_TMP/err"
is "exec joins the container's groups (each the root of its cgroup namespace)" \
  "$(cut -d: -f3 "$TEST_TMP/out" | sort -u):$(cat "$TEST_TMP/err")" "/:"
sd delete -f h1 > "$TEST_TMP/out" 2> "$TEST_TMP/err"
is "delete -f exits 0" "$?:$(cat "$TEST_TMP/err")" 0:
is "no unit and no group is left" "$(our_units; our_groups)" ""

# A path systemd cannot take: one line, nothing made.
reset_config "$b"
edit_config "$b" '.linux.cgroupsPath = "/not/a/unit"'
set_args "$b" true
sd run -b "$b" h2 > "$TEST_TMP/out" 2> "$TEST_TMP/err"
is "a cgroupfs path is refused clearly" "$(cat "$TEST_TMP/err")" \
   'minirun: run h2: systemd cgroup driver: linux.cgroupsPath `/not/a/unit`: the systemd driver wants the form `slice:prefix:name`'
is "nothing is left: no unit, no group, no state" "$(our_units; our_groups; ls "$STATE_ROOT")" ""
finish
