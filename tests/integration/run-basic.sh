#!/bin/sh
# minirun run: what the container sees, stdio, exit statuses, state.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root

plan 24

b=$TEST_TMP/bundle
make_bundle "$b"

set_args "$b" hostname
run_ct c1 -b "$b"
is "hostname is the config's" "$OUT" minirun
is "run exits 0" "$RC" 0
is "nothing on stderr" "$ERR" ""
check_no_leftovers "state removed after run" c1 "$b"

edit_config "$b" '.hostname = "box-7"'
run_ct c1 -b "$b"
is "hostname follows the config" "$OUT" box-7

reset_config "$b"
set_args "$b" sh -c 'echo $$; ps -o pid,args | sed -n 2p'
run_ct c1 -b "$b"
is "the process is PID 1 (ps)" "$(printf '%s\n' "$OUT" | sed -n 2p | awk '{print $1}')" 1
is "\$\$ is 1" "$(printf '%s\n' "$OUT" | sed -n 1p)" 1

set_args "$b" cat /proc/self/mountinfo
run_ct c1 -b "$b"
rootline=$(printf '%s\n' "$OUT" | awk '$5 == "/"')
is "the rootfs is mounted on /" "$(printf '%s\n' "$rootline" | awk '{print $4}')" "$b/rootfs"
others=$(printf '%s\n' "$OUT" | awk '{print $5}' | grep -Ev '^/$|^/(proc|dev|sys)(/|$)')
is "no host mount is visible" "$others" ""
check "/ is read-only (root.readonly)" \
  sh -c "printf '%s\n' \"\$1\" | awk '{print \$6}' | grep -q '^ro'" _ "$rootline"

set_args "$b" id
run_ct c1 -b "$b"
is "default user is root" "$OUT" "uid=0(root) gid=0(root)"

edit_config "$b" '.process.user = {uid: 1000, gid: 1000, additionalGids: [10, 20]}'
set_args "$b" sh -c 'id -u; id -g; id -G'
run_ct c1 -b "$b"
is "uid, gid and additionalGids" "$(echo $OUT)" "1000 1000 1000 10 20"

reset_config "$b"
edit_config "$b" '.process.env += ["FOO=bar baz", "EMPTY="] | .process.cwd = "/tmp/made/here"'
set_args "$b" sh -c 'printf "%s|%s|" "$FOO" "$PWD"; env | grep -c MINIRUN_TEST_LEAK'
MINIRUN_TEST_LEAK=1 run_ct c1 -b "$b"
is "env and cwd arrive, minirun's env does not" "$OUT" "bar baz|/tmp/made/here|0"
check "missing cwd was created inside the rootfs" test -d "$b/rootfs/tmp/made/here"

reset_config "$b"
set_args "$b" sh -c 'exit 7'
run_ct c1 -b "$b"
is "exit status propagates (7)" "$RC" 7

# Without a pid namespace the process is not an init, so a signal without
# handler kills it (an init ignores it, as with every runtime).
edit_config "$b" 'del(.linux.namespaces[] | select(.type == "pid"))'
set_args "$b" sh -c 'kill -TERM $$; sleep 5'
run_ct c1 -b "$b"
is "killed by SIGTERM: 143" "$RC" 143

reset_config "$b"
set_args "$b" tr a-z A-Z
printf 'hello\nworld\n' | mr run -b "$b" c1 > "$TEST_TMP/out" 2>&1
is "stdin and stdout pass through pipes" "$(cat "$TEST_TMP/out")" "HELLO
WORLD"

set_args "$b" sh -c 'echo to-stderr >&2'
run_ct c1 -b "$b"
is "stderr passes through" "$ERR" "to-stderr"

set_args "$b" ls /proc/self/fd
# An inherited fd without CLOEXEC must not reach the container either.
exec 7</dev/null
run_ct c1 -b "$b"
exec 7<&-
is "only 0 1 2 (and ls's own 3) are open" "$(echo $OUT)" "0 1 2 3"

# A running container: pid file, state file, the init's fds from outside.
set_args "$b" sleep 30
"$MINIRUN" --root "$STATE_ROOT" run -b "$b" --pid-file "$TEST_TMP/pid" c2 \
  > /dev/null 2>&1 &
mpid=$!
track_pid "$mpid"
if wait_for_file "$TEST_TMP/pid"; then
  cpid=$(cat "$TEST_TMP/pid")
  is "state.json has the pid and status" \
    "$(jq -r '"\(.pid) \(.status) \(.id)"' "$STATE_ROOT/c2/state.json")" "$cpid running c2"
  is "the container init has only fds 0 1 2" "$(echo $(ls /proc/"$cpid"/fd))" "0 1 2"
  kill -KILL "$cpid"
  wait "$mpid"
  is "killed by SIGKILL from the host: 137" "$?" 137
else
  not_ok "pid file written"
  not_ok "init fds"
  not_ok "SIGKILL"
fi
check_no_leftovers "no state, mount or process left after a kill" c2 "$b"

set_args "$b" true
run_ct c3 -b "$b"
check "a container ID can be reused after run" test "$RC" -eq 0 -a -z "$(leftovers c3 "$b")"
finish
