#!/bin/bash
# mcimg pull against skopeo copy + umoci unpack, from a loopback registry:
#   tests/bench/pull-bench.sh [RUNS]          (default 3 runs, best kept)
# The image: five gzip layers, ~300 MB uncompressed in all, generated here
# (half random bytes, half compressible text, in files of 4 KiB to 1 MiB).
# Each tool pulls into a fresh directory on tmpfs (/dev/shm) and on disk
# (/var/tmp).  mcimg verifies, stores and unpacks every layer (overlay
# form, fsync'ed); skopeo copies the blobs to an OCI layout and umoci unpacks
# them into one flat rootfs.  MCIMG selects the binary (default
# build/ci/mcimg, else /tmp/build-store/mcimg).  Reports, never asserts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
runs=${1:-3}
mcimg=${MCIMG:-}
for m in "$mcimg" "$src/build/ci/mcimg" /tmp/build-store/mcimg; do
  [ -n "$m" ] && [ -x "$m" ] && { mcimg=$m; break; }
done
[ -x "$mcimg" ] || { echo "pull-bench: no mcimg binary (set MCIMG)" >&2; exit 1; }
for tool in skopeo umoci jq gzip python3 /usr/bin/docker-registry; do
  command -v "$tool" >/dev/null || { echo "pull-bench: $tool not found" >&2; exit 1; }
done

work=$(mktemp -d /var/tmp/pull-bench.XXXXXX)
shm=$(mktemp -d /dev/shm/pull-bench.XXXXXX)
trap '"$src/tests/registry/stop.sh" "$work/reg"; rm -rf "$work" "$shm"' EXIT
trap 'exit 1' INT TERM HUP

# ---- the image ----
layout=$work/layout
mkdir -p "$layout/blobs/sha256"
echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
layers='[]' diffs='[]'
for l in 1 2 3 4 5; do
  root=$work/root
  rm -rf "$root" && mkdir -p "$root"
  python3 - "$root" "$l" <<'PY'
import os, random, sys
root, seed = sys.argv[1], int(sys.argv[2])
rnd = random.Random(seed)
words = [b"layer", b"image", b"registry", b"overlay", b"digest", b"blob", b"tar"]
total, n = 0, 0
while total < 60 * 1000 * 1000:
    size = rnd.choice([4096, 16384, 65536, 262144, 1048576])
    d = os.path.join(root, "d%03d" % (n % 200))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d" % n), "wb") as f:
        if n % 2:
            f.write(os.urandom(size))
        else:
            f.write((b" ".join(rnd.choice(words) for _ in range(size // 6)) + b"\n")[:size])
    total += size
    n += 1
PY
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/l.tar" .
  diff=sha256:$(sha256sum "$work/l.tar" | cut -d' ' -f1)
  gzip -1 -n -c "$work/l.tar" >"$work/l.tgz"
  hex=$(sha256sum "$work/l.tgz" | cut -d' ' -f1)
  mv "$work/l.tgz" "$layout/blobs/sha256/$hex"
  layers=$(jq -c --arg d "sha256:$hex" --argjson s "$(stat -c %s "$layout/blobs/sha256/$hex")" \
    '. + [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $d, size: $s}]' <<<"$layers")
  diffs=$(jq -c --arg d "$diff" '. + [$d]' <<<"$diffs")
done
rm -rf "$work/root" "$work/l.tar"
jq -n -c --argjson d "$diffs" '{architecture: "amd64", os: "linux",
  rootfs: {type: "layers", diff_ids: $d}}' >"$work/c.json"
chex=$(sha256sum "$work/c.json" | cut -d' ' -f1)
jq -n -c --arg cd "sha256:$chex" --argjson cs "$(stat -c %s "$work/c.json")" --argjson l "$layers" \
  '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
    layers: $l}' >"$work/m.json"
mv "$work/c.json" "$layout/blobs/sha256/$chex"
mhex=$(sha256sum "$work/m.json" | cut -d' ' -f1)
jq -n -c --arg d "sha256:$mhex" --argjson s "$(stat -c %s "$work/m.json")" \
  '{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json",
    digest: $d, size: $s, annotations: {"org.opencontainers.image.ref.name": "bench"}}]}' \
  >"$layout/index.json"
mv "$work/m.json" "$layout/blobs/sha256/$mhex"
compressed=$(jq '[.[].size] | add' <<<"$layers")

host=$("$src/tests/registry/start.sh" http "$work/reg")
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$layout:bench" "docker://$host/bench:v1"
ref=$host/bench:v1

now() { date +%s.%N; }
# best_of CMD...: the smallest wall time of $runs runs, each after `reset`.
best_of() {
  best=
  for _ in $(seq 1 "$runs"); do
    reset
    t0=$(now); "$@" >/dev/null 2>&1 || { echo "pull-bench: failed: $*" >&2; exit 1; }; t1=$(now)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  printf '%.2f' "$best"
}
mcimg_pull() { "$mcimg" --root "$dir/store" pull --quiet --tls-verify=false "$ref"; }
skopeo_umoci() {
  skopeo copy --quiet --insecure-policy --src-tls-verify=false "docker://$ref" "oci:$dir/oci:v1" &&
    umoci unpack --image "$dir/oci:v1" "$dir/bundle"
}
reset() { rm -rf "$dir/store" "$dir/oci" "$dir/bundle"; }

printf 'image: 5 layers, %s MB compressed, ~300 MB unpacked; best of %s runs\n' \
  "$((compressed / 1000000))" "$runs"
printf '%-8s %12s %18s %8s\n' where mcimg skopeo+umoci 'speedup'
for where in tmpfs disk; do
  case $where in tmpfs) dir=$shm ;; disk) dir=$work/run ;; esac
  mkdir -p "$dir"
  a=$(best_of mcimg_pull)
  b=$(best_of skopeo_umoci)
  printf '%-8s %11ss %17ss %7.2fx\n' "$where" "$a" "$b" "$(echo "$b / $a" | bc -l)"
done
