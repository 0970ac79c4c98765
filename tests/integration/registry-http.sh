#!/bin/sh
# The registry client against docker-registry over plain http: manifests by
# tag and digest (same digest as skopeo), blobs verified, platform choice in
# a multi-arch index, Range resume, tampered blobs, error messages.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq openssl sha256sum
reg_make_layout || reg_skip_all "cannot build the test image"
reg_start http || reg_skip_all "docker-registry did not start"
reg_push "$host" app --dest-tls-verify=false || reg_skip_all "skopeo push failed"
F="$fetch --insecure --retry-base-ms 50"

# Manifests
want=$(reg_skopeo_digest --tls-verify=false "docker://$host/app:v1")
reg_ok "manifest by tag" $F --out "$work/m1" manifest "$host/app:v1"
got=$(cut -d' ' -f1 "$work/out")
reg_check "manifest digest equals skopeo's" [ "$got" = "$want" ]
reg_check "media type is OCI manifest" grep -q ' application/vnd.oci.image.manifest.v1+json ' "$work/out"
skopeo inspect --raw --tls-verify=false "docker://$host/app:v1" >"$work/m-skopeo"
reg_check "manifest body equals skopeo's" cmp "$work/m1" "$work/m-skopeo"
reg_ok "manifest by digest" $F manifest "$host/app@$want"
reg_check "by digest: same digest" [ "$(cut -d' ' -f1 "$work/out")" = "$want" ]
reg_ok "manifest by tag and digest" $F manifest "$host/app:v1@$want"
reg_fails "unknown tag: one clear line" \
  "manifest $host/app:nope: registry $host: manifest unknown (404)" $F manifest "$host/app:nope"
reg_fails "unknown digest" "manifest unknown (404)" \
  $F manifest "$host/app@sha256:0000000000000000000000000000000000000000000000000000000000000000"
reg_fails "invalid reference" "invalid reference \`$host/App\`: repository name must be lowercase" \
  $F manifest "$host/App"
reg_fails "https only without --insecure" "wrong version number" $fetch manifest "$host/app:v1"

# Blobs
mkdir -p "$work/blobs"
reg_ok "pull single image, 3 jobs" $F --jobs 3 --out "$work/blobs" pull "$host/app:v1"
reg_check "pull printed 2 layers" [ "$(grep -c '^layer ' "$work/out")" = 2 ]
reg_check "config and layers verified on disk" reg_blobs_verified "$work/blobs" 3
layer=$(jq -r '.layers[1].digest' "$work/m1")
size=$(jq -r '.layers[1].size' "$work/m1")
reg_fails "unknown blob" "blob unknown to registry (404)" \
  $F blob "$host/app" "sha256:1111111111111111111111111111111111111111111111111111111111111111"
reg_fails "wrong expected size" "size mismatch" $F --size 10 --out "$work/x" blob "$host/app" "$layer"

# Range resume from an offset: the first half is already there.
half=$((size / 2))
head -c "$half" "$work/blobs/$layer" >"$work/partial"
reg_ok "resume a blob from the middle" $F --size "$size" --offset "$half" --out "$work/partial" blob "$host/app" "$layer"
reg_check "resumed file is the blob" cmp "$work/partial" "$work/blobs/$layer"
reg_check "registry answered 206" grep -q '" 206 ' "$reg_dir/registry.log"
head -c "$half" "$work/blobs/$layer" >"$work/partial2"
printf 'X' | dd of="$work/partial2" bs=1 seek=10 conv=notrunc 2>/dev/null
reg_fails "resume over a corrupt prefix is caught" "digest mismatch" \
  $F --size "$size" --offset "$half" --out "$work/partial2" blob "$host/app" "$layer"
cp "$work/blobs/$layer" "$work/complete"
reg_ok "resume at the end only checks" $F --size "$size" --offset "$size" --out "$work/complete" blob "$host/app" "$layer"

# Platforms
index=$(reg_skopeo_digest --tls-verify=false "docker://$host/app-multi:v1")
skopeo inspect --raw --tls-verify=false "docker://$host/app-multi:v1" >"$work/index.json"
arm64=$(jq -r '.manifests[] | select(.platform.architecture == "arm64") | .digest' "$work/index.json")
reg_ok "multi-arch pull for linux/arm64" $F --platform linux/arm64 pull "$host/app-multi:v1"
reg_check "index digest reported" grep -qx "index $index" "$work/out"
reg_check "arm64 entry chosen" grep -qx "manifest $arm64" "$work/out"
reg_ok "arm64/v8 is arm64" $F --platform linux/arm64/v8 pull "$host/app-multi:v1"
reg_check "arm64/v8 chose the arm64 entry" grep -qx "manifest $arm64" "$work/out"
armv7=$(jq -r '.manifests[] | select(.platform.variant == "v7") | .digest' "$work/index.json")
reg_ok "armhf means arm/v7" $F --platform linux/armhf pull "$host/app-multi:v1"
reg_check "arm/v7 entry chosen" grep -qx "manifest $armv7" "$work/out"
case "$(uname -m)" in
  x86_64) hostarch=amd64 ;; aarch64) hostarch=arm64 ;; *) hostarch= ;;
esac
if [ -n "$hostarch" ]; then
  hostentry=$(jq -r --arg a "$hostarch" '.manifests[] | select(.platform.architecture == $a) | .digest' "$work/index.json")
  reg_ok "host platform by default" $F --jobs 2 pull "$host/app-multi:v1"
  reg_check "host entry chosen" grep -qx "manifest $hostentry" "$work/out"
fi
reg_fails "arm/v6 cannot run v7" "no image for platform linux/arm/v6 (the index has: linux/amd64, linux/arm64, linux/arm/v7)" \
  $F --platform linux/arm/v6 pull "$host/app-multi:v1"

# Tampering with the registry's storage is detected and names the blob.
data=$(reg_blob_file "$reg_dir" "$layer")
reg_check "blob storage file found" [ -f "$data" ]
printf 'Z' | dd of="$data" bs=1 seek=100 conv=notrunc 2>/dev/null
reg_fails "tampered blob rejected" "blob $layer: digest mismatch" $F pull "$host/app:v1"

# Connection refused: curl's message, after bounded retries.
"$fixtures/stop.sh" "$reg_dir"
reg_fails "registry down" "Couldn't connect to server" $F --retries 1 manifest "$host/app:v1"
reg_done
