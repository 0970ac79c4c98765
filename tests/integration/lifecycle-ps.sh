#!/bin/sh
# minirun ps and minirun features.
. "$abs_top_srcdir/tests/integration/lib.sh"
. "$abs_top_srcdir/tests/integration/lifecycle-lib.sh"
require_root

plan 9

b=$TEST_TMP/bundle
make_bundle "$b"
set_args "$b" sh -c 'sleep 1000 & sleep 1000 & echo ready > /dev/null; wait'
ct_create s1 && mr start s1 || bail "cannot start s1"
pid=$(cat "$TEST_TMP/s1.pid")
i=0
until [ "$(mr ps --format json s1 | jq length)" = 3 ] || [ $i -gt 50 ]; do
  i=$((i + 1)); sleep 0.1
done
json=$(mr ps --format json s1)
is "ps json: init and its two children" "$(printf '%s' "$json" | jq length)" 3
is "ps json: host pids, init first" "$(printf '%s' "$json" | jq '.[0]')" "$pid"
check "every pid is in init's pid namespace" sh -c "
  for p in \$(printf '%s' '$json' | jq '.[]'); do
    [ \"\$(readlink /proc/\$p/ns/pid)\" = \"\$(readlink /proc/$pid/ns/pid)\" ] || exit 1
  done"
check "ps table: a header and the sleeps" \
  sh -c "'$MINIRUN' --root '$STATE_ROOT' ps s1 | grep -Ec '^[0-9]+ +sleep 1000\$' | grep -qx 2"
mr kill s1 KILL
wait_status s1 stopped
mr ps s1 > /dev/null 2> "$TEST_TMP/err"
is "ps of a stopped container" "$?:$(cat "$TEST_TMP/err")" "1:minirun: ps s1: container not running"
mr delete s1

f=$(mr features)
is "features: ociVersionMax" "$(printf '%s' "$f" | jq -r .ociVersionMax)" \
  "$("$MINIRUN" --version | sed -n 's/^spec: //p')"
is "features: the six hooks" "$(printf '%s' "$f" | jq -c .hooks)" \
  '["prestart","createRuntime","createContainer","startContainer","poststart","poststop"]'
check "features: mount options include bind, rbind, ro" \
  sh -c "printf '%s' '$f' | jq -e '.mountOptions | index(\"bind\") and index(\"rbind\") and index(\"ro\")'"
is "features: namespaces" "$(printf '%s' "$f" | jq -c .linux.namespaces)" \
  '["cgroup","ipc","mount","network","pid","time","user","uts"]'

finish
