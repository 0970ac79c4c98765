#!/bin/sh
# Sum the automake .trs files under the given build directories into one line:
#   "N passed, N failed, N skipped"
# EXTRA_PASSED / EXTRA_FAILED add results of steps that are not automake tests
# (distcheck, for one).
# Exit status 1 when anything failed (FAIL, ERROR or XPASS) or nothing ran.
set -eu
pass=${EXTRA_PASSED:-0} fail=${EXTRA_FAILED:-0} skip=0
for dir in "$@"; do
  for trs in $(find "$dir" -name '*.trs' 2>/dev/null); do
    while IFS= read -r line; do
      case "$line" in
        ":test-result: PASS"*|":test-result: XFAIL"*) pass=$((pass + 1)) ;;
        ":test-result: FAIL"*|":test-result: ERROR"*|":test-result: XPASS"*) fail=$((fail + 1)) ;;
        ":test-result: SKIP"*) skip=$((skip + 1)) ;;
      esac
    done < "$trs"
  done
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
