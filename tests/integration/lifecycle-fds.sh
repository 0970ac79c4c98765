#!/bin/sh
# --console-socket (one SCM_RIGHTS fd, the pty name as payload) and
# --preserve-fds / socket activation.
. "$abs_top_srcdir/tests/integration/lib.sh"
. "$abs_top_srcdir/tests/integration/lifecycle-lib.sh"
require_root

plan 11

b=$TEST_TMP/bundle
make_bundle "$b"

sock=$TEST_TMP/console.sock
# A console-socket receiver: the payload, the number of fds, then
# everything read from the master until the pty closes.
/usr/bin/python3 "$abs_top_srcdir/tests/integration/console-recv.py" "$sock" "$TEST_TMP/recv.out" "$TEST_TMP/recv.ready" &
rpid=$!
track_pid $rpid
wait_for_file "$TEST_TMP/recv.ready" || bail "receiver did not start"

edit_config "$b" '.process.terminal = true'
set_args "$b" sh -c 'tty; test -t 0 && echo stdin-is-a-tty'
check "create with --console-socket" ct_create t1 --console-socket "$sock"
check "start" mr start t1
i=0
while kill -0 $rpid 2>/dev/null && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
is "one fd, the pty name as payload" "$(sed -n 1p "$TEST_TMP/recv.out")" "name=/dev/pts/0 fds=1"
is "the process's stdio is that pty" "$(sed -n '2,$p' "$TEST_TMP/recv.out")" \
  "$(printf '/dev/pts/0\nstdin-is-a-tty')"
mr delete -f t1

mr create -b "$b" t2 < /dev/null > /dev/null 2> "$TEST_TMP/err"
is "terminal without a console socket (detached) fails" "$?" 1
check "and leaves nothing" test ! -e "$STATE_ROOT/t2"
reset_config "$b"
mr create -b "$b" --console-socket "$sock" t3 < /dev/null > /dev/null 2>&1
is "--console-socket without terminal fails" "$?" 1

# ls lists its own directory fd too: the next free number.  (Not a
# pipeline: the shell's pipe would show up.)
set_args "$b" sh -c 'cat <&3; cat <&4; exec ls /proc/self/fd'
echo three > "$TEST_TMP/f3"
echo four > "$TEST_TMP/f4"
run_ct p1 --preserve-fds 2 -b "$b" 3< "$TEST_TMP/f3" 4< "$TEST_TMP/f4" 5< "$TEST_TMP/f4"
is "--preserve-fds 2: fds 3 and 4, not 5 (ls's own is 5)" "$(echo $OUT)" "three four 0 1 2 3 4 5"
set_args "$b" ls /proc/self/fd
run_ct p2 -b "$b" 3< "$TEST_TMP/f3"
is "without it, only stdio (and ls's own 3)" "$(echo $OUT)" "0 1 2 3"
run_ct p3 --preserve-fds 2 -b "$b" 3< "$TEST_TMP/f3"
is "a preserved fd that is not open is refused" "$RC" 1

set_args "$b" sh -c 'echo "$LISTEN_FDS $LISTEN_PID"; cat <&3'
LISTEN_PID=x sh -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$@"' _ "$MINIRUN" \
  --root "$STATE_ROOT" run -b "$b" s1 3< "$TEST_TMP/f3" > "$TEST_TMP/out" 2>&1
is "socket activation: LISTEN_FDS=1 LISTEN_PID=1 and the fd" \
  "$(cat "$TEST_TMP/out")" "$(printf '1 1\nthree')"

finish
