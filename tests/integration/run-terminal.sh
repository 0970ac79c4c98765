#!/bin/sh
# process.terminal: a pty in the container, relayed to minirun's terminal.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root
if ! command -v script >/dev/null 2>&1; then
  echo "1..0 # SKIP script(1) (util-linux) is needed to give minirun a terminal"
  exit 0
fi

plan 6

b=$TEST_TMP/bundle
make_bundle "$b"
edit_config "$b" '.process.terminal = true'

# in_pty COMMAND: run COMMAND (a string) on a new pty of size 30x100, with
# stdin at EOF; its output (\r\n turned into \n) in $OUT, status in $RC.
# script(1) turns its stdin's EOF into a byte the container's pty echoes as
# "^@": dropped.
in_pty ()
{
  script -qec "stty rows 30 cols 100; $1" /dev/null < /dev/null \
    > "$TEST_TMP/pty.out" 2>&1
  RC=$?
  OUT=$(tr -d '\r\000' < "$TEST_TMP/pty.out" | sed 's/\^@//g')
}

set_args "$b" sh -c 'tty; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo stdio-is-a-tty; stty size; ls -l /dev/console | cut -c1; exit 3'
in_pty "'$MINIRUN' --root '$STATE_ROOT' run -b '$b' t1"
is "the process's terminal is a pty of the container's devpts" \
  "$(printf '%s\n' "$OUT" | sed -n 1p)" /dev/pts/0
check "stdin, stdout and stderr are the terminal" \
  sh -c "printf '%s\n' \"\$1\" | grep -qx stdio-is-a-tty" _ "$OUT"
check "the window size is minirun's" \
  sh -c "printf '%s\n' \"\$1\" | grep -qx '30 100'" _ "$OUT"
check "/dev/console is the pty" \
  sh -c "printf '%s\n' \"\$1\" | grep -qx c" _ "$OUT"
is "the exit status comes through" "$RC" 3
check_no_leftovers "nothing left behind" t1 "$b"
finish
