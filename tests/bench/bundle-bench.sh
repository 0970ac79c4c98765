#!/bin/bash
# mcimg bundle against umoci unpack, for the same image, in one run:
#   tests/bench/bundle-bench.sh [RUNS]        (as root; default 3, best kept)
# The image is pull-bench.sh's (make-bench-image.sh: five gzip layers,
# ~300 MB unpacked), pushed to a loopback registry, pulled once by mcimg
# into DIR/store and copied once by skopeo into DIR/oci (neither timed).
# Then, on tmpfs (/dev/shm) and on disk (/var/tmp), each run makes a first
# and a second bundle of the image with each tool:
#   mcimg: `mcimg --root DIR/store bundle REF DIR/mN` (overlay of the
#          store's layers, config.json);
#   umoci: `umoci unpack --image DIR/oci:v1 DIR/uN` (flat rootfs, config.json,
#          mtree manifest).
# Reported per tool, place and bundle: the smallest wall time over RUNS runs
# and the new disk usage: `du -skx` of the bundle directory (-x: not the
# overlay mounted on rootfs, which is the store's layers) plus the growth of
# `du -sk` of the store.  Then the ratios umoci/mcimg.  MCIMG selects the
# binary (default build/ci/mcimg).  Everything is removed on exit, mounts
# included.  Reports, never asserts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
runs=${1:-3}
mcimg=${MCIMG:-$src/build/ci/mcimg}
[ -x "$mcimg" ] || { echo "bundle-bench: no $mcimg (set MCIMG)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bundle-bench: run as root (overlay mounts)" >&2; exit 1; }
for tool in skopeo umoci jq gzip python3 bc du /usr/bin/docker-registry; do
  command -v "$tool" >/dev/null || { echo "bundle-bench: $tool not found" >&2; exit 1; }
done

work=$(mktemp -d /var/tmp/bundle-bench.XXXXXX)
shm=$(mktemp -d /dev/shm/bundle-bench.XXXXXX)
cleanup() {
  set +e
  for d in "$work" "$shm"; do
    awk -v d="$d/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r |
      while read -r m; do umount -l "$m"; done
  done
  "$src/tests/registry/stop.sh" "$work/reg"
  rm -rf "$work" "$shm"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

echo "bundle-bench: building the image (~300 MB) ..." >&2
layout=$work/layout
compressed=$(TMPDIR=$work "$here/make-bench-image.sh" "$layout" bench)
host=$("$src/tests/registry/start.sh" http "$work/reg")
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$layout:bench" "docker://$host/bench:v1"
ref=$host/bench:v1

now() { date +%s%N; }
kib() { du -sk "$1" | cut -f1; }
# One bundle, timed; "TIME_MS NEW_KIB" on stdout.
one() {
  tool=$1 dest=$2
  before=0
  [ "$tool" = mcimg ] && before=$(kib "$dir/store")
  t0=$(now)
  case $tool in
    mcimg) "$mcimg" --root "$dir/store" bundle "$ref" "$dest" >/dev/null 2>&1 ;;
    umoci) umoci unpack --image "$dir/oci:v1" "$dest" >/dev/null 2>&1 ;;
  esac || { echo "bundle-bench: $tool failed on $dest" >&2; exit 1; }
  t1=$(now)
  after=0
  [ "$tool" = mcimg ] && after=$(kib "$dir/store")
  sync
  echo "$(( (t1 - t0) / 1000 )) $(( $(du -skx "$dest" | cut -f1) + after - before ))"
}
undo() {
  case $1 in
    mcimg) "$mcimg" --root "$dir/store" unbundle "$2" ;;
    umoci) rm -rf "$2" ;;
  esac
}

results=$work/results
: >"$results"
for where in tmpfs disk; do
  case $where in tmpfs) dir=$shm ;; disk) dir=$work/run ;; esac
  mkdir -p "$dir"
  echo "bundle-bench: $where: mcimg pull, skopeo copy ..." >&2
  "$mcimg" --root "$dir/store" pull --quiet --tls-verify=false "$ref" >/dev/null
  skopeo copy --quiet --insecure-policy --src-tls-verify=false "docker://$ref" "oci:$dir/oci:v1"
  sync
  for tool in mcimg umoci; do
    for r in $(seq 1 "$runs"); do
      for which in first second; do
        n=1; [ "$which" = second ] && n=2
        set -- $(one "$tool" "$dir/$tool$n")
        [ $# = 2 ] || exit 1
        echo "$where $tool $which $1 $2" >>"$results"
      done
      undo "$tool" "$dir/${tool}1"; undo "$tool" "$dir/${tool}2"
      sync
    done
  done
  rm -rf "$dir/oci"
done
# What starting the mcimg binary costs (it links libcurl and its chain).
for r in $(seq 1 "$runs"); do
  t0=$(now); "$mcimg" --version >/dev/null; t1=$(now)
  echo "- noop - $(( (t1 - t0) / 1000 )) 0" >>"$results"
done

printf 'image: 5 layers, %s MB compressed, ~300 MB unpacked; best of %s runs\n' \
  "$((compressed / 1000000))" "$runs"
python3 - "$results" <<'PY'
import sys
best = {}
noop = []
for line in open(sys.argv[1]):
    if line.startswith("- noop"):
        noop.append(int(line.split()[3]))
        continue
    where, tool, which, us, kib = line.split()
    k = (where, tool, which)
    t, d = best.get(k, (None, None))
    us, kib = int(us), int(kib)
    best[k] = (us if t is None else min(t, us), kib if d is None else max(d, kib))

def t(us):
    return f"{us / 1000:.1f} ms" if us < 1e6 else f"{us / 1e6:.2f} s"

def d(kib):
    return f"{kib} KiB" if kib < 10240 else f"{kib / 1024:.0f} MiB"

print(f"{'where':6} {'bundle':7} {'mcimg time':>11} {'mcimg disk':>11} {'umoci time':>11} "
      f"{'umoci disk':>11} {'time ratio':>11} {'disk ratio':>11}")
for where in ("tmpfs", "disk"):
    for which in ("first", "second"):
        mt, md = best[(where, "mcimg", which)]
        ut, ud = best[(where, "umoci", which)]
        print(f"{where:6} {which:7} {t(mt):>11} {d(md):>11} {t(ut):>11} {d(ud):>11} "
              f"{ut / mt:10.0f}x {ud / max(md, 1):10.0f}x")
print(f"(mcimg --version, the cost of starting the binary: {t(min(noop))})")
print("time: wall time of one bundle command (smallest of the runs); disk: du -skx of the"
      " bundle plus the store's growth (largest of the runs); ratios: umoci / mcimg")
PY
