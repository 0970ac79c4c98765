#!/bin/sh
# mcimg bundle of a 120-layer image in overlay mode: the lowerdir option
# string of 120 layers fits the one page the kernel copies (short link
# names, relative to the store), the container sees the files of the first
# and of the last layer and a file every layer added, and unbundle removes
# the mount and DIR.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq sha256sum gzip
[ "$(id -u)" = 0 ] || reg_skip_all "needs root (overlay mounts)"
. "$abs_top_srcdir/tests/integration/mcimg-lib.sh"
minirun=$abs_top_builddir/minirun
nlayers=120

layers_cleanup() {
  "$minirun" --root "$work/minirun" delete -f l120 >/dev/null 2>&1
  grep " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null; done
  reg_cleanup
}
trap layers_cleanup EXIT

# Layer 1: busybox and /first; layers 2..120: /layers/NNN each, the last
# one also /last.  Tiny tars, gzip -1.
layout=$work/layout
l=$work/l1
mkdir -p "$l/bin" "$l/layers"
cp "${BUSYBOX:-/bin/busybox}" "$l/bin/busybox"
for t in sh cat ls wc; do ln -s busybox "$l/bin/$t"; done
echo first >"$l/first"
echo 001 >"$l/layers/001"
set -- "$l"
for i in $(seq 2 "$nlayers"); do
  n=$(printf %03d "$i")
  mkdir -p "$work/l$i/layers"
  echo "$n" >"$work/l$i/layers/$n"
  [ "$i" = "$nlayers" ] && echo last >"$work/l$i/last"
  set -- "$@" "$work/l$i"
done
mk_image "$layout" many "$@" || reg_skip_all "cannot build the $nlayers-layer image"
reg_check "the image has $nlayers layers" \
  [ "$(jq '.layers | length' "$layout/blobs/sha256/$(jq -r '.manifests[0].digest' "$layout/index.json" | cut -d: -f2)")" = "$nlayers" ]
reg_start http || reg_skip_all "registry did not start"
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$layout:many" \
  "docker://$host/many:v1" || reg_skip_all "skopeo push failed"
img=$host/many:v1
reg_ok "pull the $nlayers-layer image" M pull --quiet --tls-verify=false "$img"
reg_check "$nlayers layers unpacked in the store" [ "$(ls "$store/layers" | wc -l)" = "$nlayers" ]

b=$work/bundle
reg_ok "bundle it (overlay)" M bundle "$img" "$b" -- /bin/sh -c \
  'cat /first /last; ls /layers | wc -l'
reg_check "rootfs is an overlay" sh -c "grep -q ' $b/rootfs .* - overlay ' /proc/self/mountinfo"
# The options the kernel shows: one lowerdir entry per layer, short names.
opts=$(grep " $b/rootfs " /proc/self/mountinfo | sed 's/.* - overlay [^ ]* //')
lower=$(echo "$opts" | tr ',' '\n' | sed -n 's/^lowerdir=//p')
echo "# lowerdir: $(echo "$lower" | wc -c) bytes for $(echo "$lower" | tr ':' '\n' | grep -c .) layers; page: $(getconf PAGESIZE)"
reg_check "lowerdir has $nlayers entries" [ "$(echo "$lower" | tr ':' '\n' | grep -c .)" = "$nlayers" ]
reg_check "the whole option string fits one page" [ "$(echo "$opts" | wc -c)" -lt "$(getconf PAGESIZE)" ]
reg_check "the host sees first, last and all $nlayers files" sh -c \
  "[ \"\$(cat '$b/rootfs/first' '$b/rootfs/last')\" = 'first
last' ] && [ \$(ls '$b/rootfs/layers' | wc -l) = $nlayers ]"
reg_ok "runs under minirun" "$minirun" --root "$work/minirun" run -b "$b" l120
reg_check "the container sees the first and last layer's files" \
  [ "$(cat "$work/out")" = "first
last
$nlayers" ]
"$minirun" --root "$work/minirun" delete -f l120 >/dev/null 2>&1
reg_check "no layer file was copied up" [ ! -e "$b/upper/layers" ]
reg_ok "unbundle" M unbundle "$b"
reg_check "unmounted, DIR gone, no bundle recorded" sh -c \
  "! grep -q ' $b/' /proc/self/mountinfo && [ ! -e '$b' ] && [ \"\$('$mcimg' --root '$store' bundles | wc -l)\" = 1 ]"
reg_done
