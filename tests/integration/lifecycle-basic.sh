#!/bin/sh
# create / start / state / kill / delete / list and the state transitions.
. "$abs_top_srcdir/tests/integration/lib.sh"
. "$abs_top_srcdir/tests/integration/lifecycle-lib.sh"
require_root

plan 44

b=$TEST_TMP/bundle
make_bundle "$b"
edit_config "$b" '.root.readonly = false'
set_args "$b" sh -c 'echo started > /tmp/mark; trap "exit 3" TERM; while :; do sleep 0.05; done'

check "create succeeds" ct_create c1
pid=$(cat "$TEST_TMP/c1.pid")
check "pid file: bare decimal, no newline" \
  sh -c "od -c '$TEST_TMP/c1.pid' | grep -q '\\\\n' && exit 1; grep -Eqx '[0-9]+' '$TEST_TMP/c1.pid'"
check "create returned while init waits (alive)" kill -0 "$pid"
is "status after create" "$(ct_status c1)" created
state=$(mr state c1)
is "state: id" "$(printf '%s' "$state" | jq -r .id)" c1
is "state: pid is the pid file's" "$(printf '%s' "$state" | jq -r .pid)" "$pid"
is "state: bundle" "$(printf '%s' "$state" | jq -r .bundle)" "$b"
is "state: rootfs" "$(printf '%s' "$state" | jq -r .rootfs)" "$b/rootfs"
check "state: ociVersion and created" \
  sh -c "printf '%s' '$state' | jq -e '.ociVersion and .created'"
check "the process has not run yet" test ! -e "$b/rootfs/tmp/mark"
check "exec.fifo exists while created" test -p "$STATE_ROOT/c1/exec.fifo"

is "list -q" "$(mr list -q)" c1
is "list json" "$(mr list --format json | jq -r '.[0].id + " " + .[0].status')" "c1 created"
check "list table has a header and the container" \
  sh -c "'$MINIRUN' --root '$STATE_ROOT' list | grep -q '^c1 .* created '"

check "start succeeds" mr start c1
is "status after start" "$(ct_status c1)" running
check "the process ran" wait_for_file "$b/rootfs/tmp/mark"
check "exec.fifo gone after start" test ! -e "$STATE_ROOT/c1/exec.fifo"

mr start c1 > /dev/null 2> "$TEST_TMP/err"
is "second start fails" "$?:$(cat "$TEST_TMP/err")" \
  "1:minirun: start c1: cannot start an already running container"
mr delete c1 > /dev/null 2> "$TEST_TMP/err"
is "delete of a running container fails" "$?:$(cat "$TEST_TMP/err")" \
  "1:minirun: delete c1: cannot delete container c1 that is not stopped: running"

check "kill (default SIGTERM)" mr kill c1
check "stopped without anyone telling minirun" wait_status c1 stopped
is "state pid of a stopped container is 0 (or absent)" "$(mr state c1 | jq -r '.pid // 0')" 0
mr kill c1 KILL > /dev/null 2> "$TEST_TMP/err"
is "kill of a stopped container fails" "$?:$(cat "$TEST_TMP/err")" \
  "1:minirun: kill c1: container not running"
mr start c1 > /dev/null 2> "$TEST_TMP/err"
is "start of a stopped container fails" "$?" 1
check "delete of a stopped container" mr delete c1
check "state dir removed" test ! -e "$STATE_ROOT/c1"
mr state c1 > /dev/null 2> "$TEST_TMP/err"
is "state of a deleted container" "$?:$(cat "$TEST_TMP/err")" \
  "1:minirun: state c1: container does not exist"

# Signals by name, SIG name and number.
set_args "$b" sh -c 'trap "echo usr1 >> /tmp/sigs" USR1; trap "echo hup >> /tmp/sigs" HUP;
trap "echo int >> /tmp/sigs" INT; echo ready > /tmp/ready; while :; do sleep 0.05; done'
rm -f "$b/rootfs/tmp/sigs" "$b/rootfs/tmp/ready"
ct_create c2 && mr start c2
wait_for_file "$b/rootfs/tmp/ready" || bail "c2 did not start: $(cat "$TEST_TMP/c2.err" "$TEST_TMP/c2.out")"
mr kill c2 USR1 && mr kill c2 SIGHUP && mr kill c2 2
check "signals by name, SIG name and number arrive" \
  sh -c "i=0; until [ \$(wc -l < '$b/rootfs/tmp/sigs') -ge 3 ]; do i=\$((i+1)); [ \$i -gt 50 ] && exit 1; sleep 0.1; done"
mr kill c2 NOSUCH > /dev/null 2> "$TEST_TMP/err"
is "an unknown signal fails" "$?:$(cat "$TEST_TMP/err")" "1:minirun: kill c2: invalid signal \`NOSUCH\`"
check "kill --all" mr kill --all c2 KILL
check "stopped after kill --all" wait_status c2 stopped
check "delete" mr delete c2

# delete of a created container kills its waiting init.
ct_create c3
pid=$(cat "$TEST_TMP/c3.pid")
check "delete of a created container" mr delete c3
check "its init is gone" sh -c "! kill -0 $pid 2>/dev/null || grep -q '^State:.*Z' /proc/$pid/status"

# delete --force of a running one; of one that does not exist.
set_args "$b" sleep 1000
ct_create c4 && mr start c4
check "delete --force of a running container" mr delete --force c4
check_no_leftovers "nothing left after delete --force" c4 "$b"
check "delete --force of a missing container succeeds" mr delete -f nosuch
mr delete nosuch > /dev/null 2> "$TEST_TMP/err"
is "delete of a missing container" "$?:$(cat "$TEST_TMP/err")" \
  "1:minirun: delete nosuch: container does not exist"

# run -d: returns once running; run --keep: stays, stopped.
mr run -d -b "$b" --pid-file "$TEST_TMP/c5.pid" c5 < /dev/null > /dev/null 2>&1
is "run -d exits 0" "$?" 0
track_pid "$(cat "$TEST_TMP/c5.pid")"
is "run -d leaves it running" "$(ct_status c5)" running
mr delete -f c5
set_args "$b" sh -c 'exit 7'
run_ct c6 --keep -b "$b"
is "run --keep: the exit status" "$RC" 7
is "run --keep: the container stays, stopped" "$(ct_status c6)" stopped
mr delete c6
is "list is empty at the end" "$(mr list -q)" ""

finish
