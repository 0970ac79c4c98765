#!/bin/sh
# Run by vm-systemd.sh inside the cgroup-v2 VM booted with systemd as PID 1
# (run-in-vm.sh -e MINIRUN_VM_SYSTEMD=1): the systemd cgroup driver makes
# a transient scope with the limits, and delete leaves nothing.  TAP.
. "$abs_top_srcdir/tests/integration/lib.sh"
: "${BUNDLE:?}"
STATE_ROOT=/run/minirun-sd

plan 29

[ -d /run/systemd/system ] || bail "systemd is not PID 1 here"
b=$BUNDLE
edit_config "$b" '.root.readonly = false'
cp "$b/config.json" "$b/config.json.orig"
sd () { "$MINIRUN" --root "$STATE_ROOT" --systemd-cgroup "$@"; }
# The scope a container's state names (the "systemd:UNIT" entry).
unit_of () { jq -r '.cgroupPaths[] | select(startswith("systemd:")) | ltrimstr("systemd:")' "$STATE_ROOT/$1/state.json"; }
our_units () { systemctl list-units --all --plain --no-legend 'minirun-*.scope' 'sdt-*.scope' 2>/dev/null; }
prop () { systemctl show -P "$2" "$1"; }

# Create with limits: a scope in system.slice, holding init.
hook_out=/tmp/hook-cgroup
edit_config "$b" '.linux.resources = {memory: {limit: 33554432}, pids: {limit: 16}, cpu: {shares: 512, quota: 25000, period: 50000, cpus: "0"}, unified: {"memory.high": "30000000"}}'
edit_config "$b" '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "pid=$(jq -r .pid); cat /proc/$pid/cgroup > \($f)"]}]' \
  --arg f "$hook_out"
set_args "$b" sleep 1000
sd create -b "$b" s1 > "$TEST_TMP/out" 2> "$TEST_TMP/err"
is "create --systemd-cgroup exits 0" "$?" 0
[ -s "$TEST_TMP/err" ] && sed 's/^/# /' "$TEST_TMP/err"
u=$(unit_of s1)
case $u in
  minirun-s1-*.scope) ok "the unit is minirun-NAME.scope ($u)" ;;
  *) not_ok "the unit is minirun-NAME.scope" "got: $u" ;;
esac
is "systemd has it, active" "$(systemctl is-active "$u")" active
is "in system.slice" "$(prop "$u" Slice)" system.slice
is "with Delegate=yes" "$(prop "$u" Delegate)" yes
d=/sys/fs/cgroup/system.slice/$u
pid=$(jq -r .pid "$STATE_ROOT/s1/state.json")
is "init is in the scope's group" "$(cat "$d/cgroup.procs" 2>/dev/null)" "$pid"
is "a createRuntime hook sees it there" "$(cat "$hook_out")" "0::/system.slice/$u"
is "MemoryMax and memory.max" "$(prop "$u" MemoryMax) $(cat "$d/memory.max")" \
   "33554432 33554432"
is "TasksMax and pids.max" "$(prop "$u" TasksMax) $(cat "$d/pids.max")" "16 16"
is "CPUWeight and cpu.weight (shares 512)" \
   "$(prop "$u" CPUWeight) $(cat "$d/cpu.weight")" "20 20"
is "CPUQuotaPerSecUSec and cpu.max" \
   "$(prop "$u" CPUQuotaPerSecUSec) $(cat "$d/cpu.max")" "500ms 25000 50000"
is "AllowedCPUs and cpuset.cpus" "$(prop "$u" AllowedCPUs) $(cat "$d/cpuset.cpus")" "0 0"
is "a limit with no unit property is written to the file" \
   "$(cat "$d/memory.high")" 29999104
sd start s1 > /dev/null 2>&1
is "ps lists init" "$(sd ps --format json s1 2>/dev/null | jq -c .)" "[$pid]"
sd delete -f s1 > "$TEST_TMP/out" 2> "$TEST_TMP/err"
is "delete -f exits 0" "$?" 0
is "the unit is gone" "$(our_units)" ""
check "and its group" test ! -e "$d"

# runc's slice:prefix:name; a nested slice expands as systemd does.
reset_config "$b"
edit_config "$b" '.linux.cgroupsPath = "sdt-a.slice:sdt:c2"'
set_args "$b" cat /proc/self/cgroup
sd run -b "$b" c2 > "$TEST_TMP/out" 2> "$TEST_TMP/err"
is "run in sdt-a.slice:sdt:c2 sees its group as the root" "$(cat "$TEST_TMP/out")" "0::/"
edit_config "$b" '.linux.cgroupsPath = "sdt-a.slice:sdt:c3"'
set_args "$b" sleep 1000
sd run -d -b "$b" c3 > /dev/null 2>&1
is "the scope sdt-c3.scope is in sdt.slice/sdt-a.slice" \
   "$(systemctl show -P ControlGroup sdt-c3.scope)" "/sdt.slice/sdt-a.slice/sdt-c3.scope"
sd delete -f c3 > /dev/null 2>&1
systemctl stop sdt-a.slice sdt.slice 2>/dev/null

# A path systemd cannot take: one line, nothing made.
reset_config "$b"
edit_config "$b" '.linux.cgroupsPath = "/not/a/unit"'
sd run -b "$b" c4 > "$TEST_TMP/out" 2> "$TEST_TMP/err"
is "a cgroupfs path is refused clearly" "$(cat "$TEST_TMP/err")" \
   'minirun: run c4: systemd cgroup driver: linux.cgroupsPath `/not/a/unit`: the systemd driver wants the form `slice:prefix:name`'
is "nothing is left: no unit, no state" "$(our_units; ls "$STATE_ROOT")" ""

# A limit that fails once the scope exists: the unit is stopped again.
reset_config "$b"
edit_config "$b" '.linux.resources.unified = {"nosuch.file": "1"}'
set_args "$b" true
sd run -b "$b" c5 > "$TEST_TMP/out" 2> "$TEST_TMP/err"
check "a bad unified key fails run" grep -q "not available" "$TEST_TMP/err"
is "and leaves no unit, no state" "$(our_units; ls "$STATE_ROOT")" ""

# Two containers asking for one unit: the second is refused and must not
# stop the first one's scope.
reset_config "$b"
edit_config "$b" '.linux.cgroupsPath = "system.slice:sdt:dup"'
set_args "$b" sleep 1000
sd create -b "$b" c6 > /dev/null 2>&1
sd create -b "$b" c7 > "$TEST_TMP/out" 2> "$TEST_TMP/err"
is "the second create fails" "$?" 1
# (systemd's own words follow: "Unit sdt-dup.scope was already loaded...")
if [ "$(wc -l < "$TEST_TMP/err")" -eq 1 ] \
   && grep -q "^minirun: create c7: systemd cgroup driver: start sdt-dup.scope: Unit sdt-dup.scope " "$TEST_TMP/err"; then
  ok "in one line naming the unit"
else
  not_ok "in one line naming the unit" "$(cat "$TEST_TMP/err")"
fi
is "the first scope is still active, with its init" \
   "$(systemctl is-active sdt-dup.scope) $(cat /sys/fs/cgroup/system.slice/sdt-dup.scope/cgroup.procs)" \
   "active $(jq -r .pid "$STATE_ROOT/c6/state.json")"
# exec joins the scope (not the "systemd:UNIT" entry of the state).
sd start c6 > /dev/null 2>&1
sd exec c6 cat /proc/self/cgroup > "$TEST_TMP/out" 2> "$TEST_TMP/err"
is "exec into it exits 0" "$?:$(cat "$TEST_TMP/err")" "0:"
is "and its process is in the scope (the cgroup namespace's root)" \
   "$(cat "$TEST_TMP/out")" "0::/"
sd delete -f c6 > /dev/null 2>&1

# The library itself: create, enter, update (property and file), load
# from the saved paths, destroy.  (It skips itself without systemd: only
# a real pass counts here.)
out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$abs_top_builddir/tests/unit/cgroup-systemd-test" 2>&1)
if printf '%s\n' "$out" | grep -qx 'ok 1 - test_scope'; then
  ok "cgroup-systemd-test passes"
else
  not_ok "cgroup-systemd-test passes" "$(printf '%s\n' "$out" | tr '\n' ' ')"
fi
finish
