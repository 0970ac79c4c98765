#!/bin/bash
# Compare minirun with crun and runc on the same busybox bundle, in one run:
#   tests/bench/runtime-bench.sh [RUNS]        (as root; default 50 runs)
# Reports, per runtime, the median time of `run` of /bin/true, of
# create+start+delete (when the runtime has those commands), and the peak RSS,
# then minirun's ratios to crun and runc.  Then "50 detached containers
# started": the wall time of 50 `run -d` of a sleeping busybox, one at a
# time and 4 at a time, as containers per second (each batch is killed and
# deleted before the next, untimed; the exit trap deletes whatever is
# left).  MINIRUN selects the binary (default:
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
    for st in "$work/state-$rt" "$work/state-$rt-d"; do
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
# The sleeper: the same read-only rootfs, a process that sleeps.
sleeper=$work/sleeper
mkdir -p "$sleeper"
seq 1 50 > "$work/ids"
jq --arg root "$bundle/rootfs" '.root.path = $root | .process.args = ["/bin/sleep", "3600"]' \
  "$bundle/config.json" > "$sleeper/config.json"

# crun refuses this hybrid host's near-empty cgroup2 at /sys/fs/cgroup/unified:
# run every runtime inside the same private mount namespace without it, so
# they all pay the same.
inner=$work/inner.sh
cat > "$inner" <<INNER
set -euo pipefail
if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi
# delete_all BIN STATE: kill and delete every container of STATE.
delete_all() {
  for id in \$(ls "\$2" 2>/dev/null); do
    "\$1" --root "\$2" delete -f "\$id" >/dev/null 2>&1 || true
  done
}
trap 'for rt in minirun crun runc; do delete_all "\$(case \$rt in minirun) echo "$minirun" ;; *) command -v \$rt ;; esac)" "$work/state-\$rt-d"; done' EXIT
now() { date +%s%N; }
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
  # 50 detached sleepers, one at a time, then 4 at a time.
  st=$work/state-\$rt-d
  mkdir -p \$st
  for par in 1 4; do
    t0=\$(now)
    # -a: the ids from a file, so that every runtime's stdin is /dev/null.
    xargs -a "$work/ids" -P \$par -I{} "\$bin" --root "\$st" run -d -b "$sleeper" \$rt-p\$par-{} \
      </dev/null >/dev/null 2>"$work/detach.err" || { echo "runtime-bench: \$rt run -d failed:" >&2; cat "$work/detach.err" >&2; exit 1; }
    t1=\$(now)
    n=\$(ls "\$st" | wc -l)
    [ "\$n" = 50 ] || { echo "runtime-bench: \$rt: \$n containers, not 50" >&2; exit 1; }
    delete_all "\$bin" "\$st"
    echo "{\\"label\\": \\"\$rt 50 run -d, \$par at a time\\", \\"containers\\": 50, \\"ns\\": \$((t1 - t0))}"
  done
done
INNER
results=$(unshare -m --propagation private bash "$inner")
echo "$results" > "$work/results.json"

python3 - "$work/results.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {r["label"]: r for r in rows}
timed = [r for r in rows if "median_ms" in r]
print(f"{'measurement':32} {'median ms':>10} {'p90 ms':>8} {'peak RSS KiB':>13}")
for r in timed:
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
print()
print("50 detached containers started (run -d of a sleeping busybox)")
print(f"{'runtime':10} {'at a time':>9} {'seconds':>8} {'containers/s':>13} {'minirun is':>11}")
for par in (1, 4):
    m = by.get(f"minirun 50 run -d, {par} at a time")
    for rt in ("minirun", "crun", "runc"):
        r = by.get(f"{rt} 50 run -d, {par} at a time")
        if not r:
            continue
        sec = r["ns"] / 1e9
        ratio = f"{r['ns'] / m['ns']:.2f}x" if m and rt != "minirun" else ""
        print(f"{rt:10} {par:9d} {sec:8.2f} {r['containers'] / sec:13.1f} {ratio:>11}")
print("(minirun is: how many times faster minirun started the 50, same column)")
PY
