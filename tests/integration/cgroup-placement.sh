#!/bin/sh
# Where init starts: clone3 with CLONE_INTO_CGROUP puts it into the
# container's cgroup2 group (on this hybrid host the one in the `unified`
# hierarchy) from its first instruction, and a createRuntime hook sees it
# in every group.  And the systemd driver, on a host whose PID 1 is not
# systemd: one clear line, nothing left.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root
plan 9

tag=mrplace$$
cg_cleanup ()
{
  for _d in $(find /sys/fs/cgroup -depth -type d -name "*$tag*" 2>/dev/null); do
    for _p in $(cat "$_d/cgroup.procs" 2>/dev/null); do kill -KILL "$_p"; done
  done
  sleep 0.2
  find /sys/fs/cgroup -depth -type d -path "*$tag*" -exec rmdir {} + 2>/dev/null
  rmdir /sys/fs/cgroup/*/minirun /sys/fs/cgroup/minirun 2>/dev/null
  _lib_cleanup
}
trap cg_cleanup EXIT
our_groups () { find /sys/fs/cgroup -name "*$tag*" 2>/dev/null; }

b=$TEST_TMP/bundle
make_bundle "$b"
hook_out=$TEST_TMP/hook-cgroup
edit_config "$b" '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "pid=$(jq -r .pid); cat /proc/$pid/cgroup > \($f)"]}]' \
  --arg f "$hook_out"
set_args "$b" true

# strace without -f: only minirun's own clone3, and what it returned.
# (In a sanitizer build, LeakSanitizer cannot run under ptrace.)
if command -v strace > /dev/null; then
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
  strace -o "$TEST_TMP/trace" -e trace=clone3 \
    "$MINIRUN" --root "$STATE_ROOT" create -b "$b" "p1-$tag" \
    > "$TEST_TMP/out" 2> "$TEST_TMP/err"
  RC=$?
else
  mr create -b "$b" "p1-$tag" > "$TEST_TMP/out" 2> "$TEST_TMP/err"
  RC=$?
fi
is "create exits 0" "$RC:$(cat "$TEST_TMP/err")" 0:
g=$(cgroup_name "p1-$tag")
mode=$(stat -fc %T /sys/fs/cgroup)
if [ "$mode" = cgroup2fs ]; then
  v2dir=/sys/fs/cgroup/minirun/$g
else
  v2dir=/sys/fs/cgroup/unified/minirun/$g
fi
if [ -n "$g" ] && [ -d "$v2dir" ]; then
  ok "minirun makes a cgroup2 group ($v2dir)"
else
  not_ok "minirun makes a cgroup2 group" "no $v2dir"
fi
if [ -e "$TEST_TMP/trace" ]; then
  # clone3({flags=...|CLONE_INTO_CGROUP, ..., cgroup=N}, 88) = PID
  check "init is cloned with CLONE_INTO_CGROUP, and that clone succeeds" \
    grep -Eq 'CLONE_INTO_CGROUP.*\) = [1-9][0-9]*$' "$TEST_TMP/trace"
else
  skip "no strace"
fi
is "the hook sees init in the cgroup2 group" \
   "$(sed -n 's/^0:://p' "$hook_out")" "/minirun/$g"
if [ "$mode" = tmpfs ]; then
  is "and in the v1 memory group" \
     "$(sed -n 's/^[0-9]*:memory://p' "$hook_out")" "/minirun/$g"
else
  skip "not a hybrid host"
fi
mr delete -f "p1-$tag" > /dev/null 2>&1
is "no group is left after delete" "$(our_groups)" ""

# The systemd driver where PID 1 is not systemd.
reset_config "$b"
set_args "$b" true
if [ -d /run/systemd/system ]; then
  skip "systemd is running here"
  skip "systemd is running here"
  skip "systemd is running here"
else
  "$MINIRUN" --systemd-cgroup --root "$STATE_ROOT" create -b "$b" "s1-$tag" \
    > "$TEST_TMP/out" 2> "$TEST_TMP/err"
  RC=$?
  is "--systemd-cgroup fails" "$RC" 1
  is "with one line saying why" "$(cat "$TEST_TMP/err")" \
     "minirun: create s1-$tag: systemd cgroup driver: systemd is not running (PID 1 is not systemd)"
  is "and leaves no state, no group" \
     "$(ls "$STATE_ROOT" 2>/dev/null; find /sys/fs/cgroup -name "*s1-$tag*")" ""
fi
finish
