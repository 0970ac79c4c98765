#!/bin/sh
# minirun exec: namespaces, env/cwd/user, exit status, --process, errors.
. "$abs_top_srcdir/tests/integration/lib.sh"
. "$abs_top_srcdir/tests/integration/lifecycle-lib.sh"
require_root

plan 21

b=$TEST_TMP/bundle
make_bundle "$b"
edit_config "$b" '.hostname = "exec-box" | .process.env += ["BASE=1"]'
set_args "$b" sleep 1000
ct_create e1 && mr start e1 || bail "cannot start e1: $(cat "$TEST_TMP/e1.err")"

# ex ARGS...: exec, stdout in $OUT, stderr in $ERR, status in $RC.
ex ()
{
  mr exec "$@" < /dev/null > "$TEST_TMP/out" 2> "$TEST_TMP/err"
  RC=$?
  OUT=$(cat "$TEST_TMP/out")
  ERR=$(cat "$TEST_TMP/err")
}

ex e1 hostname
is "sees the container's hostname" "$RC:$OUT" 0:exec-box
ex e1 sh -c 'ps -o pid,args | awk "\$1 == 1 {print \$2, \$3}"'
is "sees the container's pid 1" "$OUT" "sleep 1000"
ex e1 sh -c 'echo $$'
check "runs in the container's pid namespace (small pid)" test "$OUT" -lt 100
ex e1 sh -c 'exit 42'
is "exit status comes back" "$RC" 42
ex e1 sh -c 'kill -KILL $$'
is "killed by a signal: 128+N" "$RC" 137
ex -e FOO=bar -e BASE=2 --cwd /tmp e1 sh -c 'echo "$FOO $BASE $PWD"'
is "--env (adds and overrides the config's) and --cwd" "$OUT" "bar 2 /tmp"
ex -u 1000:1000 -g 10 e1 sh -c 'id -u; id -g; id -G'
is "--user and --additional-gids" "$(echo $OUT)" "1000 1000 1000 10"
ex e1 sh -c 'readlink /proc/1/root; cat /proc/1/cmdline | tr "\0" " "'
check "shares the container's mount namespace" test "$(printf '%s\n' "$OUT" | sed -n 1p)" = /
ex e1 ls /proc/self/fd 3< "$b/config.json.orig"
is "no fd of minirun (or of its caller) leaks (ls's own is 3)" "$(echo $OUT)" "0 1 2 3"
ex --preserve-fds 1 e1 sh -c 'cat <&3' 3< "$b/config.json.orig"
check "--preserve-fds" test -n "$OUT"
ex e1 nosuchcmd
is "a missing command exits 127" "$RC" 127

cat > "$TEST_TMP/proc.json" <<'J'
{"args": ["sh", "-c", "echo $X; pwd"], "env": ["X=from-file", "PATH=/bin:/usr/bin"], "cwd": "/dev", "user": {"uid": 0, "gid": 0}}
J
ex -p "$TEST_TMP/proc.json" e1
is "--process FILE" "$(echo $OUT)" "from-file /dev"

ex -d --pid-file "$TEST_TMP/x.pid" e1 sleep 1000
is "--detach returns at once" "$RC" 0
check "and writes the pid file" grep -Eqx '[0-9]+' "$TEST_TMP/x.pid"
track_pid "$(cat "$TEST_TMP/x.pid")"
init_pid=$(mr state e1 | jq -r .pid)
is "the exec'd process is in the container's cgroups (all hierarchies)" \
  "$(cat "/proc/$(cat "$TEST_TMP/x.pid")/cgroup")" "$(cat "/proc/$init_pid/cgroup")"
mr pause e1
ex e1 true
is "exec in a paused container fails as runc" "$RC:$ERR" \
  "1:minirun: exec e1: cannot exec in a paused container"
mr resume e1

ex e1 ls --help
check "--help after the container id is the command's" \
  sh -c "printf '%s\n' \"\$1\" | grep -q '^Usage: ls' && ! printf '%s\n' \"\$1\" | grep -q minirun" _ "$OUT$ERR"
ex --help
check "--help before it is exec's" \
  sh -c "printf '%s\n' \"\$1\" | grep -q '^Usage: minirun .*exec'" _ "$OUT"
ex e1 -- sh -c 'echo "$0 $1"' a b
is "\`--\` after the id starts the command" "$RC:$OUT" "0:a b"

ex nosuch true
is "exec in a missing container" "$RC:$ERR" "1:minirun: exec nosuch: container does not exist"
mr kill e1 KILL
wait_status e1 stopped
ex e1 true
is "exec in a stopped container" "$RC:$ERR" "1:minirun: exec e1: container not running"
mr delete -f e1

finish
