#!/bin/sh
# 100 containers created in parallel (different IDs never wait for each
# other), then started, listed and deleted in parallel.
. "$abs_top_srcdir/tests/integration/lib.sh"
. "$abs_top_srcdir/tests/integration/lifecycle-lib.sh"
require_root

plan 6

b=$TEST_TMP/bundle
make_bundle "$b"
set_args "$b" sleep 1000
N=100
ids=$(seq -f 'p%03g' 1 $N)

# xargs runs `minirun create` itself: the pid files let cleanup kill
# every init should anything below fail.
printf '%s\n' $ids | xargs -P 100 -I{} "$MINIRUN" --root "$STATE_ROOT" \
  create -b "$b" --pid-file "$TEST_TMP/{}.pid" {} \
  > "$TEST_TMP/create.out" 2>&1
rc=$?
for id in $ids; do
  [ -s "$TEST_TMP/$id.pid" ] && track_pid "$(cat "$TEST_TMP/$id.pid")"
done
is "100 parallel creates succeed" "$rc:$(cat "$TEST_TMP/create.out")" 0:
is "all are listed as created" \
  "$(mr list --format json | jq '[.[] | select(.status == "created")] | length')" $N
printf '%s\n' $ids | xargs -P 100 -I{} "$MINIRUN" --root "$STATE_ROOT" start {} \
  > "$TEST_TMP/start.out" 2>&1
is "100 parallel starts succeed" "$?:$(cat "$TEST_TMP/start.out")" 0:
is "all are running" \
  "$(mr list --format json | jq '[.[] | select(.status == "running")] | length')" $N
printf '%s\n' $ids | xargs -P 100 -I{} "$MINIRUN" --root "$STATE_ROOT" delete -f {} \
  > "$TEST_TMP/delete.out" 2>&1
is "100 parallel deletes succeed" "$?:$(cat "$TEST_TMP/delete.out")" 0:
alive=0
for id in $ids; do
  p=$(cat "$TEST_TMP/$id.pid")
  kill -0 "$p" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null \
    && alive=$((alive + 1))
done
is "no state and no process left" "$(mr list -q | wc -l) $alive" "0 0"

finish
