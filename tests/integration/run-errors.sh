#!/bin/sh
# Every bad input: one clear line on stderr, non-zero exit, nothing left
# behind (no state directory, no mount, no process).
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root

plan 51

b=$TEST_TMP/bundle
make_bundle "$b"

# expect_error NAME ID EXPECTED-LINE [EXIT] -- RUN-ARGS...: run, then check
# the message, the status and that nothing was left.
expect_error ()
{
  _name=$1 _id=$2 _line=$3 _want_rc=${4:-1}
  shift 4
  [ "${1:-}" = -- ] && shift
  run_ct "$@"
  is "$_name: message" "$ERR" "$_line"
  if [ "$RC" -eq "$_want_rc" ]; then
    ok "$_name: exit status $_want_rc"
  else
    not_ok "$_name: exit status $_want_rc" "got $RC"
  fi
  check_no_leftovers "$_name: nothing left behind" "$_id" "$b"
  reset_config "$b"
}

expect_error "missing bundle" c1 \
  "minirun: run c1: bundle \`$TEST_TMP/nope\`: No such file or directory" 1 \
  -- -b "$TEST_TMP/nope" c1

mkdir -p "$TEST_TMP/empty"
expect_error "missing config.json" c1 \
  "minirun: run c1: open \`$TEST_TMP/empty/config.json\`: No such file or directory" 1 \
  -- -b "$TEST_TMP/empty" c1

edit_config "$b" '.process.args = "sh"'
expect_error "malformed config.json" c1 \
  "minirun: run c1: $b/config.json: .process.args: expected an array, got a string" 1 \
  -- -b "$b" c1

printf '{"ociVersion": ' > "$b/config.json"
run_ct -b "$b" c1
check "truncated JSON: one line naming config.json" \
  sh -c "[ $RC -ne 0 ] && [ \$(printf '%s\n' \"\$1\" | wc -l) -eq 1 ] && printf '%s' \"\$1\" | grep -q '^minirun: run c1: $b/config.json: '" _ "$ERR"
reset_config "$b"

edit_config "$b" '.root.path = "nothere"'
expect_error "missing rootfs" c1 \
  "minirun: run c1: rootfs \`$b/nothere\`: No such file or directory" 1 -- -b "$b" c1

edit_config "$b" '.process.args = []'
expect_error "empty process.args" c1 \
  "minirun: run c1: config.json: process.args must not be empty" 1 -- -b "$b" c1

edit_config "$b" '.process.cwd = "tmp"'
expect_error "relative cwd" c1 \
  "minirun: run c1: config.json: process.cwd \`tmp\` is not an absolute path" 1 \
  -- -b "$b" c1

for id in ../escape a/b .hidden; do
  expect_error "invalid ID $id" "$id" \
    "minirun: run $id: invalid container ID \`$id\`: only [A-Za-z0-9][A-Za-z0-9_.-]* is allowed" 1 \
    -- -b "$b" "$id"
done
check "no ID reached outside the state root" \
  test ! -e "$TEST_TMP/escape" -a ! -e "$STATE_ROOT/a"

long=$(printf '%01025d' 0)
run_ct -b "$b" "$long"
is "an ID of 1025 characters is refused" \
  "$RC:$(printf '%s' "$ERR" | cut -c1-60)" \
  "1:minirun: run $(printf "%s" "$long" | cut -c1-47)"
check "... with a message about its length" \
  sh -c "printf '%s' \"\$1\" | grep -q 'invalid container ID: longer than 1024 characters$'" _ "$ERR"
check "... and nothing created" test -z "$(ls -A "$STATE_ROOT" 2>/dev/null)"

set_args "$b" nosuchcmd
expect_error "missing executable" c1 \
  "minirun: run c1: exec: \"nosuchcmd\": executable file not found in \$PATH" 127 \
  -- -b "$b" c1

set_args "$b" /etc/passwd
expect_error "non-executable file" c1 \
  "minirun: run c1: exec: \"/etc/passwd\": Permission denied" 126 -- -b "$b" c1

edit_config "$b" '.mounts += [{"destination": "/mnt", "type": "nosuchfs", "source": "none"}]'
expect_error "mount failure in the child" c1 \
  "minirun: run c1: mount \`none\` on \`/mnt\`: No such device" 1 -- -b "$b" c1

edit_config "$b" '.process.terminal = true'
expect_error "terminal without a terminal" c1 \
  "minirun: run c1: terminal: true needs --console-socket or a terminal on stdin" 1 \
  -- -b "$b" c1

edit_config "$b" '(.linux.namespaces[] | select(.type == "network")) += {path: "/proc/self/ns/uts"}'
expect_error "namespace path of the wrong type" c1 \
  "minirun: run c1: linux.namespaces: \`/proc/self/ns/uts\` is not a network namespace" 1 \
  -- -b "$b" c1

# An existing ID is refused and the running container is not disturbed.
set_args "$b" sleep 30
"$MINIRUN" --root "$STATE_ROOT" run -b "$b" --pid-file "$TEST_TMP/pid" busy \
  > /dev/null 2>&1 &
bg=$!
track_pid "$bg"
wait_for_file "$TEST_TMP/pid" || bail "container did not start"
run_ct -b "$b" busy
is "existing ID: message" "$ERR" "minirun: run busy: container ID already exists"
is "existing ID: exit status" "$RC" 1
check "existing ID: the first container still runs" \
  test -f "$STATE_ROOT/busy/state.json" -a -d "/proc/$(cat "$TEST_TMP/pid")"
kill -KILL "$(cat "$TEST_TMP/pid")"
wait "$bg"
check_no_leftovers "existing ID: all gone once it is killed" busy "$b"
finish
