#!/bin/sh
# mcimg pull into a store on a full disk (a 2 MiB tmpfs): one clear line
# naming the image and ENOSPC, a non-zero status, and nothing half-written
# (no index.json entry, no incomplete layer directory, nothing in tmp/ but
# the resumable *.partial blobs); after the tmpfs is enlarged, the same
# pull completes.  Needs root (mount).
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq sha256sum gzip
. "$abs_top_srcdir/tests/integration/mcimg-lib.sh"
[ "$(id -u)" = 0 ] || reg_skip_all "not root (mount -t tmpfs)"
tiny=$work/tiny
mkdir -p "$tiny"
mount -t tmpfs -o size=2m mcimg-diskfull "$tiny" 2>/dev/null || reg_skip_all "cannot mount a tmpfs"
trap 'umount "$tiny" 2>/dev/null || umount -l "$tiny"; reg_cleanup' EXIT
store=$tiny/store

# Two layers: small text, then 3 MiB of random bytes (bigger than the disk).
# And an image whose blob fits (3 MiB of text, gzip'ed to a few KiB) but
# whose unpacked tree does not: the disk fills while unpacking.
mkdir -p "$work/l1/etc" "$work/l2/data" "$work/l3/data"
echo hello >"$work/l1/etc/hello"
head -c $((3 * 1024 * 1024)) /dev/urandom >"$work/l2/data/random.bin"
yes 'mcimg disk full test' | head -c $((3 * 1024 * 1024)) >"$work/l3/data/text"
layout=$work/layout
mk_image "$layout" big "$work/l1" "$work/l2"
mk_image "$layout" text "$work/l1" "$work/l3"
reg_start http || reg_skip_all "registry did not start"
for t in big text; do
  skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$layout:$t" \
    "docker://$host/$t:v1" || reg_skip_all "skopeo push failed"
done
P="pull --tls-verify=false"

# Nothing half-written: index.json does not name the image, every layer
# directory is complete (link + diff, no unpacker leftovers), and tmp/
# holds only resumable partial blobs.
not_half_written() {
  if [ -f "$store/index.json" ]; then
    ! jq -e --arg n "$host/$1:v1" \
      '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $n)' \
      "$store/index.json" >/dev/null || return 1
  fi
  for l in "$store"/layers/*; do
    [ -e "$l" ] || continue
    [ -f "$l/link" ] && [ -d "$l/diff" ] || return 1
    [ -z "$(ls -A "$l" | grep -v '^link$\|^diff$')" ] || return 1
  done
  for t in "$store"/tmp/* "$store"/tmp/.[!.]*; do
    [ -e "$t" ] || continue
    case "$t" in *.partial) [ -f "$t" ] || return 1 ;; *) return 1 ;; esac
  done
  # No stray temporary files next to index.json or in blobs/.
  [ -z "$(ls -A "$store" | grep -v '^\(oci-layout\|index.json\|blobs\|layers\|l\|tmp\|locks\)$')" ]
}

reg_fails "pull into a full disk fails" "mcimg: pull $host/big:v1: " M $P "$host/big:v1"
grep "^mcimg:" "$work/err" | sed "s/^/# /"
reg_check "the line names the image and ENOSPC" \
  grep -q "^mcimg: pull $host/big:v1: .*No space left on device" "$work/err"
reg_check "one error line" [ "$(grep -c '^mcimg:' "$work/err")" = 1 ]
reg_check "nothing half-written" not_half_written big
reg_check "no image listed" sh -c "! '$mcimg' --root '$store' images | grep -q big"

reg_fails "full while unpacking: fails" "mcimg: pull $host/text:v1: " M $P "$host/text:v1"
grep "^mcimg:" "$work/err" | sed "s/^/# /"
reg_check "the line names the image and ENOSPC" \
  grep -q "^mcimg: pull $host/text:v1: .*No space left on device" "$work/err"
reg_check "one error line" [ "$(grep -c '^mcimg:' "$work/err")" = 1 ]
reg_check "nothing half-written" not_half_written text
reg_check "no partially unpacked tree left" sh -c "! ls '$store'/layers/*/diff/data/text"

mount -o remount,size=200m "$tiny"
reg_ok "the same pull completes on a bigger disk" M $P "$host/big:v1"
reg_ok "and the other" M $P "$host/text:v1"
reg_check "no partial blob left" sh -c "[ -z \"\$(ls -A '$store/tmp')\" ]"
reg_check "store valid" store_valid
reg_check "random data unpacked" sh -c "cmp '$work/l2/data/random.bin' '$store'/layers/*/diff/data/random.bin"
reg_check "text unpacked" sh -c "cmp '$work/l3/data/text' '$store'/layers/*/diff/data/text"
reg_done
