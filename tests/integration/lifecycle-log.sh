#!/bin/sh
# Global flags: --log, --log-format, --debug, cgroup manager flags, --version.
. "$abs_top_srcdir/tests/integration/lib.sh"
. "$abs_top_srcdir/tests/integration/lifecycle-lib.sh"
require_root

plan 12

log=$TEST_TMP/log.json
mr --log "$log" --log-format json state nosuch > /dev/null 2>&1
is "a failing command exits 1" "$?" 1
is "exactly one error line" "$(grep -c '"level":"error"' "$log")" 1
is "every line is a JSON object" "$(jq -c . "$log" | wc -l)" "$(wc -l < "$log")"
is "the error message" "$(jq -r 'select(.level == "error") | .msg' "$log")" \
  "state nosuch: container does not exist"
check "time is RFC 3339" \
  sh -c "jq -r .time '$log' | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z\$'"
mr --log "$log" --log-format json list > /dev/null 2>&1
is "a command that succeeds adds no error line" "$(grep -c '"level":"error"' "$log")" 1

: > "$log"
mr --log "$log" --log-format json --debug list > /dev/null 2>&1
is "--debug logs debug lines, no error" "$(jq -r .level "$log" | sort -u)" debug

text=$TEST_TMP/log.txt
mr --log "$text" kill nosuch > /dev/null 2>&1
check "text format: logrus-like" grep -q '^time=".*" level=error msg="kill nosuch: container does not exist"$' "$text"

mr --log-format yaml list > /dev/null 2> "$TEST_TMP/err"
is "an unknown log format is refused" "$?" 1
check "--systemd-cgroup, --cgroup-manager and --rootless are accepted" \
  mr --systemd-cgroup --cgroup-manager disabled --rootless false list
mr --cgroup-manager nosuch list > /dev/null 2>&1
is "an unknown cgroup manager is refused" "$?" 1
check "--version" sh -c "'$MINIRUN' --version | grep -q '^minirun version'"

finish
