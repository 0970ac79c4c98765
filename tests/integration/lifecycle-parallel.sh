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
# A pid alone names a process only until it is reused (pid_max may be
# 32768, and other tests fork meanwhile): keep each init's start time too.
starttime () { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }
for id in $ids; do
  if [ -s "$TEST_TMP/$id.pid" ]; then
    p=$(cat "$TEST_TMP/$id.pid")
    track_pid "$p"
    starttime "$p" > "$TEST_TMP/$id.start"
  fi
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
alive=0 survivors=
for id in $ids; do
  p=$(cat "$TEST_TMP/$id.pid")
  # The state first: a zombie reaped between two reads has no status, and
  # a process gone before the start time is read no longer matches it.
  st=$(sed -n 's/^State:[[:space:]]*//p' "/proc/$p/status" 2>/dev/null)
  case $st in ""|Z*) continue ;; esac
  if [ "$(starttime "$p")" = "$(cat "$TEST_TMP/$id.start")" ]; then
    alive=$((alive + 1))
    survivors="$survivors $id:$p:$(echo "$st" | tr ' ' _)"
  fi
done
is "no state and no process left" "$(mr list -q | wc -l) $alive" "0 0"
[ -z "$survivors" ] || echo "# survivors (id:pid:state):$survivors"

finish
