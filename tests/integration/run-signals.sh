#!/bin/sh
# Signals sent to a foreground `minirun run` reach the container.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root

plan 6

b=$TEST_TMP/bundle
make_bundle "$b"
out=$TEST_TMP/sigout

# wait_for_line PATTERN: bounded wait for a line in $out.
wait_for_line ()
{
  _i=0
  until grep -qx "$1" "$out" 2>/dev/null; do
    _i=$((_i + 1))
    [ "$_i" -gt 100 ] && return 1
    sleep 0.1
  done
}

# start_bg ID: run the bundle's config in the background, output to $out.
start_bg ()
{
  : > "$out"
  # Not through mr: $! must be minirun itself, not a subshell.
  "$MINIRUN" --root "$STATE_ROOT" run -b "$b" "$1" > "$out" 2>&1 &
  bg=$!
  track_pid "$bg"
}

# The init (PID 1) has handlers, so signals from outside reach it.
set_args "$b" sh -c '
for s in HUP INT QUIT USR1 USR2 WINCH CONT ALRM; do trap "echo got-$s" $s; done
trap "echo got-TERM; exit 42" TERM
echo ready
while :; do sleep 0.05; done'
start_bg s1
wait_for_line ready || bail "container did not start: $(cat "$out")"
missing=
for s in HUP INT QUIT USR1 USR2 WINCH CONT ALRM; do
  kill -s "$s" "$bg"
  wait_for_line "got-$s" || missing="$missing $s"
done
is "HUP INT QUIT USR1 USR2 WINCH CONT ALRM are forwarded" "$missing" ""
kill -TERM "$bg"
wait "$bg"
rc=$?
check "TERM is forwarded" grep -qx got-TERM "$out"
is "the container's exit status after the trap" "$rc" 42
check_no_leftovers "nothing left after a signalled run" s1 "$b"

# A process that is not an init dies of an unhandled TERM: 128+15.
edit_config "$b" 'del(.linux.namespaces[] | select(.type == "pid"))'
set_args "$b" sh -c 'echo ready; exec sleep 30'
start_bg s2
wait_for_line ready || bail "container did not start: $(cat "$out")"
# The shell execs sleep right after echo; give it that instant.
sleep 0.2
kill -TERM "$bg"
wait "$bg"
is "TERM kills a non-init process: 143" "$?" 143
check_no_leftovers "nothing left after the kill" s2 "$b"
finish
