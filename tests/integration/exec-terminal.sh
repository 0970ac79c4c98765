#!/bin/sh
# minirun exec with a terminal: -t/--tty (or terminal: true in --process),
# the pty master sent to --console-socket as create sends it, or relayed
# by a foreground exec to its own terminal.
. "$abs_top_srcdir/tests/integration/lib.sh"
. "$abs_top_srcdir/tests/integration/lifecycle-lib.sh"
require_root

plan 13

b=$TEST_TMP/bundle
make_bundle "$b"
set_args "$b" sleep 1000
ct_create e1 && mr start e1 || bail "cannot start e1: $(cat "$TEST_TMP/e1.err")"

# recv_start N: a console-socket receiver ($sock, output $TEST_TMP/recvN.out).
recv_start ()
{
  sock=$TEST_TMP/console$1.sock
  /usr/bin/python3 "$abs_top_srcdir/tests/integration/console-recv.py" \
    "$sock" "$TEST_TMP/recv$1.out" "$TEST_TMP/recv$1.ready" &
  rpid=$!
  track_pid $rpid
  wait_for_file "$TEST_TMP/recv$1.ready" || bail "receiver did not start"
}
# recv_wait: until the receiver has read everything (bounded, 10 s).
recv_wait ()
{
  _i=0
  while kill -0 $rpid 2>/dev/null && [ $_i -lt 100 ]; do _i=$((_i + 1)); sleep 0.1; done
}
ex ()
{
  mr exec "$@" < /dev/null > "$TEST_TMP/out" 2> "$TEST_TMP/err"
  RC=$?
  OUT=$(cat "$TEST_TMP/out")
  ERR=$(cat "$TEST_TMP/err")
}

recv_start 1
ex -t --console-socket "$sock" e1 sh -c 'tty; test -t 0 && test -t 1 && echo stdio-is-a-tty; exit 3'
is "--tty --console-socket: the exit status comes through" "$RC" 3
recv_wait
is "one fd, the pty's name in the container as payload" \
  "$(sed -n 1p "$TEST_TMP/recv1.out")" "name=/dev/pts/0 fds=1"
is "the process's stdio is that pty" "$(sed -n '2,$p' "$TEST_TMP/recv1.out")" \
  "$(printf '/dev/pts/0\nstdio-is-a-tty')"

# conmon's way: --tty with a process file that asks for a terminal.
cat > "$TEST_TMP/p.json" <<'J'
{"terminal": true, "args": ["sh", "-c", "stty size; tty"], "cwd": "/",
 "consoleSize": {"height": 25, "width": 81}}
J
recv_start 2
ex -d --tty --console-socket "$sock" --pid-file "$TEST_TMP/x.pid" -p "$TEST_TMP/p.json" e1
is "--detach --tty --process --console-socket" "$RC" 0
recv_wait
is "process.consoleSize is the pty's size" "$(sed -n '2,$p' "$TEST_TMP/recv2.out")" \
  "$(printf '25 81\n/dev/pts/0')"

# terminal: true in the file alone is enough.
recv_start 3
ex --console-socket "$sock" -p "$TEST_TMP/p.json" e1
recv_wait
is "terminal: true in --process without --tty" \
  "$RC:$(sed -n 1p "$TEST_TMP/recv3.out")" "0:name=/dev/pts/0 fds=1"

ex -t e1 tty
is "a terminal without a console socket nor a terminal on stdin fails" \
  "$RC:$ERR" "1:minirun: exec e1: a terminal needs --console-socket or a terminal on stdin"
ex -d -t e1 tty
is "--detach with a terminal needs a console socket" \
  "$RC:$ERR" "1:minirun: exec e1: a terminal with --detach needs --console-socket"
ex --console-socket "$TEST_TMP/nosock" e1 tty
is "--console-socket without a terminal fails" \
  "$RC:$ERR" "1:minirun: exec e1: --console-socket needs a terminal (--tty or terminal: true)"
ex -t --console-socket "$TEST_TMP/nosock" e1 sleep 999
is "a console socket nobody listens on fails" \
  "$RC:$ERR" "1:minirun: exec e1: connect to console socket \`$TEST_TMP/nosock\`: No such file or directory"
ex e1 ps -o args
is "and its process does not stay" "$(printf '%s\n' "$OUT" | grep -c 'sleep 999')" 0

# In the foreground on a terminal: minirun relays the pty.
if command -v script > /dev/null 2>&1; then
  script -qec "stty rows 30 cols 100; '$MINIRUN' --root '$STATE_ROOT' exec -t e1 sh -c 'tty; stty size; exit 5'" \
    /dev/null < /dev/null > "$TEST_TMP/pty.out" 2>&1
  RC=$?
  OUT=$(tr -d '\r\000' < "$TEST_TMP/pty.out" | sed 's/\^@//g')
  is "foreground --tty: relayed, with minirun's window size" "$RC:$OUT" \
    "5:/dev/pts/0
30 100"
else
  skip "script(1) (util-linux) is needed to give minirun a terminal"
fi

mr delete -f e1
check_no_leftovers "nothing left behind" e1 "$b"
finish
