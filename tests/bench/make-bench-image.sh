#!/bin/bash
# The benchmark image of pull-bench.sh and bundle-bench.sh:
#   tests/bench/make-bench-image.sh LAYOUT TAG     prints the compressed size
# Five gzip (level 1) layers, ~300 MB uncompressed in all (~60 MB each):
# files of 4 KiB to 1 MiB in 200 directories per layer (layer N's under
# /lN, so the merged tree is ~300 MB too), half random bytes, half
# compressible text.  Written as an OCI layout with LAYOUT:TAG its only name.
set -euo pipefail
layout=${1:?usage: make-bench-image.sh LAYOUT TAG}
tag=${2:?usage: make-bench-image.sh LAYOUT TAG}
scratch=$(mktemp -d "${TMPDIR:-/var/tmp}/bench-image.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$layout/blobs/sha256"
echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
layers='[]' diffs='[]'
for l in 1 2 3 4 5; do
  root=$scratch/root
  rm -rf "$root" && mkdir -p "$root"
  python3 - "$root" "$l" <<'PY'
import os, random, sys
root, seed = sys.argv[1], int(sys.argv[2])
rnd = random.Random(seed)
words = [b"layer", b"image", b"registry", b"overlay", b"digest", b"blob", b"tar"]
total, n = 0, 0
while total < 60 * 1000 * 1000:
    size = rnd.choice([4096, 16384, 65536, 262144, 1048576])
    d = os.path.join(root, "l%d" % seed, "d%03d" % (n % 200))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d" % n), "wb") as f:
        if n % 2:
            f.write(os.urandom(size))
        else:
            f.write((b" ".join(rnd.choice(words) for _ in range(size // 6)) + b"\n")[:size])
    total += size
    n += 1
PY
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$scratch/l.tar" .
  diff=sha256:$(sha256sum "$scratch/l.tar" | cut -d' ' -f1)
  gzip -1 -n -c "$scratch/l.tar" >"$scratch/l.tgz"
  hex=$(sha256sum "$scratch/l.tgz" | cut -d' ' -f1)
  mv "$scratch/l.tgz" "$layout/blobs/sha256/$hex"
  layers=$(jq -c --arg d "sha256:$hex" --argjson s "$(stat -c %s "$layout/blobs/sha256/$hex")" \
    '. + [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $d, size: $s}]' <<<"$layers")
  diffs=$(jq -c --arg d "$diff" '. + [$d]' <<<"$diffs")
done
jq -n -c --argjson d "$diffs" '{architecture: "amd64", os: "linux",
  config: {Cmd: ["/bin/sh"]}, rootfs: {type: "layers", diff_ids: $d}}' >"$scratch/c.json"
chex=$(sha256sum "$scratch/c.json" | cut -d' ' -f1)
jq -n -c --arg cd "sha256:$chex" --argjson cs "$(stat -c %s "$scratch/c.json")" --argjson l "$layers" \
  '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
    layers: $l}' >"$scratch/m.json"
mv "$scratch/c.json" "$layout/blobs/sha256/$chex"
mhex=$(sha256sum "$scratch/m.json" | cut -d' ' -f1)
jq -n -c --arg d "sha256:$mhex" --argjson s "$(stat -c %s "$scratch/m.json")" --arg tag "$tag" \
  '{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json",
    digest: $d, size: $s, annotations: {"org.opencontainers.image.ref.name": $tag}}]}' \
  >"$layout/index.json"
mv "$scratch/m.json" "$layout/blobs/sha256/$mhex"
jq '[.[].size] | add' <<<"$layers"
