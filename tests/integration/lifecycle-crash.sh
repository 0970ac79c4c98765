#!/bin/sh
# Whatever dies or breaks, `delete --force` cleans up and leaves nothing.
. "$abs_top_srcdir/tests/integration/lib.sh"
. "$abs_top_srcdir/tests/integration/lifecycle-lib.sh"
require_root

plan 14

b=$TEST_TMP/bundle
make_bundle "$b"
set_args "$b" sleep 1000

# kill -9 of a created container's init: stopped, delete works.
ct_create k1
kill -KILL "$(cat "$TEST_TMP/k1.pid")"
check "init killed: stopped" wait_status k1 stopped
check "delete (no force needed)" mr delete k1
check_no_leftovers "nothing left" k1 "$b"

# kill -9 of a running container's init.
ct_create k2 && mr start k2
kill -KILL "$(cat "$TEST_TMP/k2.pid")"
check "running init killed: stopped" wait_status k2 stopped
check "delete" mr delete k2

# state.json removed or corrupted: only --force deletes, and kills init
# when the state still names it.
ct_create k3
rm "$STATE_ROOT/k3/state.json"
mr delete k3 > /dev/null 2>&1
is "delete without --force refuses a missing state" "$?" 1
check "delete --force with no state.json" mr delete --force k3
check "its state dir is gone" test ! -e "$STATE_ROOT/k3"

ct_create k4
echo '{"garbage' > "$STATE_ROOT/k4/state.json"
check "delete --force with a corrupt state.json" mr delete --force k4
check "its state dir is gone" test ! -e "$STATE_ROOT/k4"

# exec.fifo removed: start fails, delete --force cleans up.
ct_create k5
rm "$STATE_ROOT/k5/exec.fifo"
mr start k5 > /dev/null 2>&1
is "start without the fifo fails" "$?" 1
check "delete --force" mr delete --force k5
pid=$(cat "$TEST_TMP/k5.pid")
check "its init is gone" sh -c "! kill -0 $pid 2>/dev/null || grep -q '^State:.*Z' /proc/$pid/status"

# minirun killed while creating: a stuck `creating` container.  Stop the
# creating minirun before it can finish (SIGSTOP keeps its init waiting for
# GO or READY), kill it, then delete --force.
"$MINIRUN" --root "$STATE_ROOT" create -b "$b" k6 < /dev/null > /dev/null 2>&1 &
cpid=$!
kill -STOP $cpid 2>/dev/null
kill -KILL $cpid 2>/dev/null
wait $cpid 2>/dev/null
mr delete --force k6 > /dev/null 2>&1
check_no_leftovers "kill -9 of create, then delete --force: nothing left" k6 "$b"

finish
