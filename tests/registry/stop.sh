#!/bin/sh
# Stop what start.sh (or fake-registry.py via lib.sh) started in DIR: only the
# PIDs listed in DIR/pids, and only while their command line still mentions
# DIR (a recycled PID is left alone).  Safe to call twice or on a DIR where
# nothing started.
#   stop.sh DIR
set -u
dir=${1:?usage: stop.sh DIR}
[ -f "$dir/pids" ] || exit 0
dir=$(cd "$dir" && pwd)
pids=
for pid in $(cat "$dir/pids"); do
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$dir"; then
    kill "$pid" 2>/dev/null && pids="$pids $pid"
  fi
done
for pid in $pids; do
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
done
: >"$dir/pids"
exit 0
