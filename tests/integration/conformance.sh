#!/bin/sh
# tests/conformance/run.sh in the test suite: every conformance program
# runs under runc and under the built minirun, and each one is a test that
# fails when minirun fails a check that runc passes (docs/conformance.md).
# Arguments, if any, name the programs to run (all by default).
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root
command -v runc > /dev/null 2>&1 || { echo "1..0 # SKIP runc is not installed"; exit 0; }

# The table is relayed as comments row by row, as run.sh prints it.
{ sh "$abs_top_srcdir/tests/conformance/run.sh" --minirun "$MINIRUN" "$@" 2>&1
  echo $? > "$TEST_TMP/status"; } | tee "$TEST_TMP/out" | sed -u 's/^/# /'
status=$(cat "$TEST_TMP/status")
rows=$(awk '$2 ~ /^[0-9]+\/[0-9]+$/ { print $1 }' "$TEST_TMP/out")
[ -n "$rows" ] || bail "run.sh printed no table (exit status $status)"
plan $(($(echo "$rows" | wc -l) + 1))
for p in $rows; do
  lost=$(sed -n '/^regressions/,$p' "$TEST_TMP/out" | grep "^  $p: ")
  if [ -z "$lost" ]; then
    ok "$p: minirun passes every check runc passes"
  else
    not_ok "$p: minirun passes every check runc passes" "$lost"
  fi
done
is "run.sh exits 0 (no regression, no leftover)" "$status" 0
finish
