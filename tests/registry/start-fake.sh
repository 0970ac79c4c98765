#!/bin/sh
# Start fake-registry.py (see there) serving the OCI layout LAYOUT.
#   start-fake.sh DIR LAYOUT     prints 127.0.0.1:PORT; stop.sh DIR stops it
set -eu
dir=${1:?usage: start-fake.sh DIR LAYOUT}
layout=${2:?usage: start-fake.sh DIR LAYOUT}
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-/usr/bin/python3}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
rm -f "$dir/fake.port" "$dir/storage.port"
"$python" "$here/fake-registry.py" "$dir" "$layout" >"$dir/fake.log" 2>&1 &
echo $! >>"$dir/pids"
for _ in $(seq 1 100); do [ -s "$dir/fake.port" ] && break; sleep 0.1; done
[ -s "$dir/fake.port" ] || { echo "start-fake.sh: did not start" >&2; cat "$dir/fake.log" >&2; exit 1; }
echo "127.0.0.1:$(cat "$dir/fake.port")" | tee "$dir/host"
