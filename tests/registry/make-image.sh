#!/bin/sh
# Build a small OCI image layout from busybox-static and generated content.
#
#   make-image.sh LAYOUT TAG ARCH...
#
# One ARCH (amd64, arm64, arm/v7, ...): LAYOUT:TAG is a single image.
# Several: LAYOUT:TAG is an image index with one linux/ARCH entry each
# (push it with `skopeo copy --all`).  Each image has two gzip layers:
#   1. busybox (the host's static binary: the arm64 image is a label, not a
#      real arm64 build) and /etc/mcimg-arch naming ARCH;
#   2. /data/random.bin, $MAKE_IMAGE_RANDOM_KIB (default 1024) KiB of
#      random bytes, so that blobs are big enough for Range tests.
# Needs: tar, gzip, sha256sum, jq, busybox-static.
set -eu
layout=${1:?usage: make-image.sh LAYOUT TAG ARCH...}
tag=${2:?usage: make-image.sh LAYOUT TAG ARCH...}
shift 2
[ $# -gt 0 ] || { echo "make-image.sh: no architecture" >&2; exit 2; }
busybox=${BUSYBOX:-/bin/busybox}
random_kib=${MAKE_IMAGE_RANDOM_KIB:-1024}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
blobs=$layout/blobs/sha256
mkdir -p "$blobs"
[ -f "$layout/oci-layout" ] || echo '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
[ -f "$layout/index.json" ] || echo '{"schemaVersion":2,"manifests":[]}' >"$layout/index.json"

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }

# Store FILE as a blob; print "DIGEST SIZE".
put_blob() {
  d=$(sha "$1")
  cp "$1" "$blobs/$d"
  echo "sha256:$d $(size "$1")"
}

# Tar + gzip a directory reproducibly; print "DIGEST SIZE DIFF_ID".
put_layer() {
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$1" -cf "$work/layer.tar" .
  diff_id=sha256:$(sha "$work/layer.tar")
  gzip -n -c "$work/layer.tar" >"$work/layer.tar.gz"
  echo "$(put_blob "$work/layer.tar.gz") $diff_id"
}

# Build one image for ARCH; print the manifest descriptor as JSON.
build_image() {
  arch=$1 os_arch=${1%%/*} variant=
  case "$1" in */*) variant=${1#*/} ;; esac
  root=$work/root-$(echo "$arch" | tr / -)
  rm -rf "$root" && mkdir -p "$root/bin" "$root/etc" "$root/data"
  cp "$busybox" "$root/bin/busybox"
  ln -s busybox "$root/bin/sh"
  echo "linux/$arch" >"$root/etc/mcimg-arch"
  set -- $(put_layer "$root")
  l1_digest=$1 l1_size=$2 l1_diff=$3
  rm -rf "$root" && mkdir -p "$root/data"
  head -c "$((random_kib * 1024))" /dev/urandom >"$root/data/random.bin"
  set -- $(put_layer "$root")
  l2_digest=$1 l2_size=$2 l2_diff=$3

  jq -n -c --arg arch "$os_arch" --arg variant "$variant" \
     --arg d1 "$l1_diff" --arg d2 "$l2_diff" '
    {architecture: $arch, os: "linux",
     config: {Cmd: ["/bin/sh"], Env: ["PATH=/bin"]},
     rootfs: {type: "layers", diff_ids: [$d1, $d2]}}
    + (if $variant != "" then {variant: $variant} else {} end)' >"$work/config.json"
  set -- $(put_blob "$work/config.json")
  c_digest=$1 c_size=$2

  jq -n -c --arg cd "$c_digest" --argjson cs "$c_size" \
     --arg l1 "$l1_digest" --argjson s1 "$l1_size" \
     --arg l2 "$l2_digest" --argjson s2 "$l2_size" '
    {schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
     config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
     layers: [
       {mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $l1, size: $s1},
       {mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $l2, size: $s2}]}' \
     >"$work/manifest.json"
  set -- $(put_blob "$work/manifest.json")
  jq -n -c --arg d "$1" --argjson s "$2" --arg arch "$os_arch" --arg variant "$variant" '
    {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
     platform: ({architecture: $arch, os: "linux"}
                + (if $variant != "" then {variant: $variant} else {} end))}'
}

descs=$work/descs
: >"$descs"
for arch in "$@"; do
  build_image "$arch" >>"$descs"
done

if [ $# -eq 1 ]; then
  top=$(jq -c 'del(.platform)' "$descs")
else
  jq -s -c '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
             manifests: .}' "$descs" >"$work/index-blob.json"
  set -- $(put_blob "$work/index-blob.json")
  top=$(jq -n -c --arg d "$1" --argjson s "$2" \
        '{mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s}')
fi
# Register LAYOUT:TAG in index.json, replacing an older TAG.
jq -c --argjson top "$top" --arg tag "$tag" '
  .manifests |= (map(select(.annotations["org.opencontainers.image.ref.name"] != $tag))
                 + [$top + {annotations: {"org.opencontainers.image.ref.name": $tag}}])' \
  "$layout/index.json" >"$work/index.json"
mv "$work/index.json" "$layout/index.json"
