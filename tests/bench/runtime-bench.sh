#!/bin/bash
# Compare minirun with crun and runc on the same busybox bundle, in one run:
#   tests/bench/runtime-bench.sh [RUNS]        (as root; default 50 runs)
# Reports, per runtime, the median time of `run` of /bin/true, of
# create+start+delete (when the runtime has those commands), and the peak RSS,
# then minirun's ratios to crun and runc.  MINIRUN selects the binary (default:
# the build in build/ci).  Nothing here asserts a time: it reports.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
runs=${1:-50}
minirun=${MINIRUN:-$src/build/ci/minirun}
measure=$here/measure.py

for tool in crun runc jq python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "runtime-bench: $tool not found (apt-get install crun runc jq python3 time)" >&2; exit 1; }
done
[ -x "$minirun" ] || { echo "runtime-bench: $minirun not built" >&2; exit 1; }

work=$(mktemp -d /tmp/runtime-bench.XXXXXX)
cleanup() {
  for rt in minirun crun runc; do
    for st in "$work/state-$rt"; do
      [ -d "$st" ] || continue
      for id in $(ls "$st" 2>/dev/null); do
        "$(runtime_bin "$rt")" --root "$st" delete -f "$id" >/dev/null 2>&1 || true
      done
    done
  done
  rm -rf "$work"
}
runtime_bin() { case $1 in minirun) echo "$minirun" ;; *) command -v "$1" ;; esac; }
trap cleanup EXIT

MINIRUN=$minirun "$src/tests/fixtures/make-busybox-bundle.sh" "$work/bundle" /bin/true >/dev/null
# The same config for every runtime.  crun 1.8 refuses ociVersion 1.2.0,
# which `minirun spec` writes: state the version all three accept.
bundle=$work/bundle
jq '.ociVersion = "1.0.2-dev"' "$bundle/config.json" > "$bundle/config.json.new"
mv "$bundle/config.json.new" "$bundle/config.json"

# crun refuses this hybrid host's near-empty cgroup2 at /sys/fs/cgroup/unified:
# run every runtime inside the same private mount namespace without it, so
# they all pay the same.
inner=$work/inner.sh
cat > "$inner" <<INNER
set -euo pipefail
if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi
for rt in minirun crun runc; do
  bin=\$(case \$rt in minirun) echo "$minirun" ;; *) command -v \$rt ;; esac)
  st=$work/state-\$rt
  mkdir -p \$st
  python3 "$measure" "$runs" "\$rt run" -- "\$bin" --root "\$st" run -b "$bundle" "\$rt-r{i}"
  help=\$("\$bin" --help 2>&1 || true)
  if printf '%s\n' "\$help" | grep -Eq '^[[:space:]]*create'; then
    python3 "$measure" "$runs" "\$rt create+start+delete" -- sh -c \
      "'\$bin' --root '\$st' create -b '$bundle' \$rt-c{i} && '\$bin' --root '\$st' start \$rt-c{i} && \
       '\$bin' --root '\$st' delete --force \$rt-c{i}"
  fi
done
INNER
results=$(unshare -m --propagation private bash "$inner")
echo "$results" > "$work/results.json"

python3 - "$work/results.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {r["label"]: r for r in rows}
print(f"{'measurement':32} {'median ms':>10} {'p90 ms':>8} {'peak RSS KiB':>13}")
for r in rows:
    print(f"{r['label']:32} {r['median_ms']:10.2f} {r['p90_ms']:8.2f} {r['peak_rss_kib']:13d}")
print()
for what in ("run", "create+start+delete"):
    m = by.get(f"minirun {what}")
    if not m:
        print(f"minirun {what}: not measured (command missing)")
        continue
    for other in ("crun", "runc"):
        o = by.get(f"{other} {what}")
        if o:
            print(f"minirun/{other} {what}: time {m['median_ms'] / o['median_ms']:.2f}x, "
                  f"peak RSS {m['peak_rss_kib'] / o['peak_rss_kib']:.2f}x")
PY
