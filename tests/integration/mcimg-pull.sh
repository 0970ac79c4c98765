#!/bin/sh
# mcimg pull against a plain-http docker-registry: the store is the OCI
# layout skopeo would write, layers are unpacked (whiteouts as 0/0 char
# devices), platform choice, by digest, nothing fetched twice, concurrent
# pulls, a pull killed with SIGKILL completed by the next, a tampered blob.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq sha256sum gzip
. "$abs_top_srcdir/tests/integration/mcimg-lib.sh"
reg_make_layout || reg_skip_all "cannot build the test image"
mkdir -p "$work/wh1/etc" "$work/wh1/opq" "$work/wh2/etc" "$work/wh2/opq"
echo gone >"$work/wh1/etc/gone"
echo old >"$work/wh1/opq/old"
: >"$work/wh2/etc/.wh.gone"
: >"$work/wh2/opq/.wh..wh..opq"
echo new >"$work/wh2/opq/new"
mk_image "$layout" whiteouts "$work/wh1" "$work/wh2"
reg_start http || reg_skip_all "registry did not start"
reg_push "$host" app --dest-tls-verify=false || reg_skip_all "skopeo push failed"
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$layout:whiteouts" \
  "docker://$host/wh:v1" || reg_skip_all "skopeo push failed"
P="pull --tls-verify=false"
blob_gets() { grep -c "GET /v2/$1/blobs/" "$reg_dir/registry.log"; }

reg_ok "pull by tag" M $P "$host/app:v1"
want=$(reg_skopeo_digest --tls-verify=false "docker://$host/app:v1")
reg_check "prints the manifest digest" [ "$(tail -n1 "$work/out")" = "$want" ]
reg_check "one line per layer event" grep -q "^pulling layer sha256:[0-9a-f]\{12\}… (" "$work/err"
reg_check "index.json names the full reference" \
  [ "$(jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]' "$store/index.json")" = "$host/app:v1" ]
reg_ok "skopeo inspect oci:STORE:REF" skopeo inspect "oci:$store:$host/app:v1"
reg_check "skopeo sees the same digest" [ "$(jq -r .Digest "$work/out")" = "$want" ]
skopeo copy --quiet --insecure-policy --src-tls-verify=false "docker://$host/app:v1" "oci:$work/skopeo:v1"
reg_check "same blobs as skopeo copy to oci:" \
  [ "$(ls "$work/skopeo/blobs/sha256" | sort)" = "$(ls "$store/blobs/sha256" | sort)" ]
if command -v umoci >/dev/null 2>&1; then
  reg_ok "umoci reads the store" umoci stat --image "$store:$host/app:v1"
fi
reg_check "busybox unpacked" sh -c "ls '$store'/layers/*/diff/bin/busybox"
reg_check "random data unpacked" sh -c "ls '$store'/layers/*/diff/data/random.bin"
reg_check "l/ links resolve to layer trees" sh -c "for l in '$store'/l/*; do [ -d \"\$l\" ] || exit 1; done; [ \$(ls '$store/l' | wc -l) = 2 ]"
reg_check "link files name the l/ entries" sh -c "for d in '$store'/layers/*; do [ -L '$store'/l/\$(cat \"\$d/link\") ] || exit 1; done"
reg_check "tmp/ is empty" [ -z "$(ls "$store/tmp")" ]

gets=$(blob_gets app)
reg_ok "second pull" M $P "$host/app:v1"
reg_check "second pull fetched no blob" [ "$(blob_gets app)" = "$gets" ]
reg_check "second pull says so" grep -q "already exists" "$work/err"
reg_ok "pull --quiet" M $P --quiet "$host/app:v1"
reg_check "--quiet prints only the digest" sh -c "[ \"\$(cat '$work/out')\" = '$want' ] && [ ! -s '$work/err' ]"

# A Docker schema2 image: stored as pulled, plus the OCI form index.json
# names (skopeo's oci: transport follows OCI media types only).
skopeo copy --quiet --insecure-policy --dest-tls-verify=false --format v2s2 \
  "oci:$layout:single" "docker://$host/dockerfmt:v1"
dwant=$(reg_skopeo_digest --tls-verify=false "docker://$host/dockerfmt:v1")
reg_ok "pull a Docker schema2 image" M $P "$host/dockerfmt:v1"
reg_check "prints the registry's digest" [ "$(tail -n1 "$work/out")" = "$dwant" ]
reg_check "the Docker manifest is stored as pulled" [ -f "$store/blobs/sha256/${dwant#sha256:}" ]
reg_ok "skopeo inspects its OCI form" skopeo inspect "oci:$store:$host/dockerfmt:v1"
reg_check "same layers as in the registry" sh -c "[ \"\$(jq -c .Layers '$work/out')\" = \"\$(skopeo inspect --tls-verify=false 'docker://$host/dockerfmt:v1' | jq -c .Layers)\" ]"
reg_check "the entry records the source digest" sh -c "jq -e --arg d '$dwant' '.manifests[] | select(.annotations[\"dev.mcimg.source.manifest.digest\"] == \$d) | .mediaType == \"application/vnd.oci.image.manifest.v1+json\"' '$store/index.json'"

reg_ok "prune keeps the Docker manifest" M prune
reg_check "it is still there" [ -f "$store/blobs/sha256/${dwant#sha256:}" ]

reg_ok "pull by digest" M $P "$host/app@$want"
reg_check "by-digest name stored" [ "$(jq --arg n "$host/app@$want" '[.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $n)] | length' "$store/index.json")" = 1 ]

arm=$(skopeo inspect --raw --tls-verify=false "docker://$host/app-multi:v1" |
  jq -r '.manifests[] | select(.platform.architecture == "arm64") | .digest')
reg_ok "pull --platform linux/arm64 from an index" M $P --platform linux/arm64 "$host/app-multi:v1"
reg_check "the arm64 manifest is stored" [ "$(tail -n1 "$work/out")" = "$arm" ]
reg_check "its layers are the arm64 ones" sh -c "grep -qx linux/arm64 '$store'/layers/*/diff/etc/mcimg-arch"
reg_ok "skopeo inspects the multi-arch entry" skopeo inspect "oci:$store:$host/app-multi:v1"

reg_ok "pull an image with whiteouts" M $P "$host/wh:v1"
wh=$(ls -d "$store"/layers/*/diff/etc/gone | while read -r f; do [ -c "$f" ] && echo "$f"; done | head -n1)
reg_check "whiteout is a character device" [ -n "$wh" ]
reg_check "whiteout is 0:0" [ "$(stat -c %t:%T "$wh" 2>/dev/null)" = 0:0 ]
reg_check "opaque dir marked" "$python" -c '
import glob, os, sys
sys.exit(0 if any(os.getxattr(d, "trusted.overlay.opaque") == b"y"
                  for d in glob.glob(sys.argv[1] + "/layers/*/diff/opq")
                  if os.path.exists(d + "/new")) else 1)' "$store"

# Two pulls of a new image at once: both succeed, one copy of each layer.
reg_check "two concurrent pulls both succeed" sh -c "
  '$mcimg' --root '$store' $P --jobs 2 '$host/app-multi:v1' --platform linux/arm/v7 >/dev/null 2>'$work/c1' & p1=\$!
  '$mcimg' --root '$store' $P --jobs 1 '$host/app-multi:v1' --platform linux/arm/v7 >/dev/null 2>'$work/c2' & p2=\$!
  wait \$p1 && wait \$p2"
reg_check "one unpacked copy per layer" [ "$(ls "$store/l" | wc -l)" = "$(ls "$store/layers" | wc -l)" ]
reg_check "no leftovers in tmp/" [ -z "$(ls "$store/tmp")" ]
reg_check "store valid after concurrent pulls" store_valid

# A tampered layer: rejected, nothing stored, index.json unchanged.
mkdir -p "$work/tampered" && head -c 100000 /dev/urandom >"$work/tampered/x"
mk_image "$layout" tampered "$work/tampered"
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$layout:tampered" "docker://$host/tampered:v1"
tl=$(jq -r '.layers[0].digest' "$layout/blobs/sha256/$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "tampered") | .digest' "$layout/index.json" | cut -d: -f2)")
f=$(reg_blob_file "$reg_dir" "$tl")
printf 'X' | dd of="$f" bs=1 seek=100 conv=notrunc 2>/dev/null
before=$(store_sum)
reg_fails "a tampered blob is rejected" "pull $host/tampered:v1: layer $tl" M $P "$host/tampered:v1"
reg_check "one error line" [ "$(grep -c '^mcimg:' "$work/err")" = 1 ]
reg_check "tampered blob not stored, store unchanged" [ "$(store_sum)" = "$before" ]
reg_check "no partial blob kept" [ ! -e "$store/tmp/${tl#sha256:}.partial" ]

# A layer whose blob is genuine but not a tar: the unpacker gives up early
# while the download goes on; its error is the one reported.
head -c $((8 * 1024 * 1024)) /dev/urandom >"$work/notar"
mk_image "$layout" notar "$work/notar"
rm -f "$work/notar"
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$layout:notar" "docker://$host/notar:v1"
before=$(store_sum)
reg_fails "a layer that is not a tar is rejected" "pull $host/notar:v1: layer sha256:" M $P "$host/notar:v1"
reg_check "the unpacker's error, not a broken pipe" sh -c "! grep -q 'feed the unpacker' '$work/err'"
reg_check "store unchanged" [ "$(store_sum)" = "$before" ]
reg_check "no partial kept" [ -z "$(ls "$store/tmp")" ]

# SIGKILL in the middle of a 50 MB layer, through a 20 MB/s proxy.
mkdir -p "$work/big"
head -c $((50 * 1024 * 1024)) /dev/urandom >"$work/big/random.bin"
mk_image "$layout" big "$work/big" "$work/wh2"
rm -rf "$work/big"
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$layout:big" "docker://$host/big:v1"
slow=$(slow_proxy "$reg_dir" "$host" 20000000)
"$mcimg" --root "$store" $P --jobs 1 "$slow/big:v1" >"$work/kill.out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  sz=$(stat -c %s "$store"/tmp/*.partial 2>/dev/null | sort -n | tail -n1)
  [ "${sz:-0}" -gt 10000000 ] && break
  sleep 0.1
done
kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
reg_check "killed while a partial blob was on disk" [ "${sz:-0}" -gt 10000000 ]
reg_check "store valid after SIGKILL" store_valid
reg_check "big image not in index.json after the kill" sh -c "! grep -q '$slow/big:v1' '$store/index.json'"
reg_ok "the next pull completes it" M $P "$slow/big:v1"
fetched=$(sed -n 's/.* layers fetched (\([0-9]*\) bytes).*/\1/p' "$work/err")
reg_check "resumed: fetched less than the big layer" [ "${fetched:-99999999999}" -lt $((50 * 1024 * 1024)) ]
reg_check "big layer unpacked, tmp/ empty" sh -c "ls '$store'/layers/*/diff/random.bin >/dev/null && [ -z \"\$(ls '$store/tmp')\" ]"
reg_check "store valid after the resumed pull" store_valid

# The connection dies mid-layer (the proxy is stopped) and the retries
# fail: the pull fails, the partial blob stays, and the next pull (here
# straight from the registry) resumes it.
mkdir -p "$work/big2"
head -c $((30 * 1024 * 1024)) /dev/urandom >"$work/big2/random.bin"
mk_image "$layout" big2 "$work/big2"
rm -rf "$work/big2"
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$layout:big2" "docker://$host/big2:v1"
slow=$(slow_proxy "$reg_dir" "$host" 10000000)
proxy_pid=$(tail -n1 "$reg_dir/pids")
"$mcimg" --root "$store" $P --jobs 1 "$slow/big2:v1" >"$work/cut.out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  sz=$(stat -c %s "$store"/tmp/*.partial 2>/dev/null | sort -n | tail -n1)
  [ "${sz:-0}" -gt 5000000 ] && break
  sleep 0.1
done
kill "$proxy_pid"
wait "$pid"
reg_check "a pull whose connection dies fails" [ $? != 0 ]
reg_check "its error names the image" grep -q "^mcimg: pull $slow/big2:v1: layer sha256:" "$work/cut.out"
reg_check "the partial blob is kept" [ -n "$(find "$store/tmp" -name '*.partial' -size +4M)" ]
reg_ok "the next pull resumes it" M $P "$host/big2:v1"
fetched=$(sed -n 's/.* layers fetched (\([0-9]*\) bytes).*/\1/p' "$work/err")
reg_check "fetched only the rest" [ "${fetched:-99999999999}" -lt $((26 * 1024 * 1024)) ]
reg_check "store valid after the resume" store_valid
reg_done
