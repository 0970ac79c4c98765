#!/bin/sh
# mcimg save / load of oci-archives: a round trip through the store, what
# skopeo reads and writes, and a tampered archive refused without a trace.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq sha256sum tar
. "$abs_top_srcdir/tests/integration/mcimg-lib.sh"
reg_make_layout || reg_skip_all "cannot build the test image"
reg_start http || reg_skip_all "registry did not start"
reg_push "$host" app --dest-tls-verify=false || reg_skip_all "skopeo push failed"

reg_ok "pull" M pull --quiet --tls-verify=false "$host/app:v1"
digest=$(cat "$work/out")
reg_ok "save" M save -o "$work/app.tar" "$host/app:v1"
reg_ok "skopeo reads the archive" skopeo inspect "oci-archive:$work/app.tar:$host/app:v1"
reg_check "with the same digest" [ "$(jq -r .Digest "$work/out")" = "$digest" ]
reg_fails "save a missing image" "save \`nope\`: image \`nope\` not in the store" M save -o "$work/x.tar" nope
reg_check "nothing written for it" [ ! -e "$work/x.tar" ]

reg_ok "rmi" M rmi "$host/app:v1"
reg_ok "prune" M prune
reg_check "store empty" [ -z "$(find "$store/blobs/sha256" "$store/layers" -mindepth 1)" ]
reg_ok "load" M load -i "$work/app.tar"
reg_check "prints the name" grep -qx "loaded $host/app:v1" "$work/out"
reg_check "same manifest digest" sh -c "[ \"\$(jq -r '.manifests[0].digest' '$store/index.json')\" = '$digest' ]"
reg_check "layers unpacked" sh -c "ls '$store'/layers/*/diff/bin/busybox '$store'/layers/*/diff/data/random.bin"
reg_check "store valid after load" store_valid
reg_check "no staging left" [ -z "$(ls "$store/tmp")" ]
reg_ok "load again (nothing new)" M load -i "$work/app.tar"

skopeo copy --quiet --insecure-policy --src-tls-verify=false --override-arch arm64 \
  "docker://$host/app-multi:v1" "oci-archive:$work/sk.tar:example.com/sk:v2"
reg_ok "load an archive written by skopeo" M load -i "$work/sk.tar"
reg_check "its name" grep -qx "loaded example.com/sk:v2" "$work/out"
reg_check "arm64 layers unpacked" sh -c "grep -qx linux/arm64 '$store'/layers/*/diff/etc/mcimg-arch"
reg_check "store valid" store_valid

# docker-archive both ways.
reg_ok "save --format docker-archive" M save --format docker-archive -o "$work/app-docker.tar" "$host/app:v1"
reg_ok "skopeo reads the docker-archive" skopeo inspect "docker-archive:$work/app-docker.tar"
reg_check "two layers, amd64" sh -c "jq -e '(.Layers | length) == 2 and .Architecture == \"amd64\"' '$work/out'"
config=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "'"$host/app:v1"'") | .digest' "$store/index.json")
config=$(jq -r .config.digest "$store/blobs/sha256/${config#sha256:}")
M rmi "$host/app:v1" && M prune 2>/dev/null
reg_ok "load our docker-archive" M load -i "$work/app-docker.tar"
reg_check "its name" grep -qx "loaded $host/app:v1" "$work/out"
reg_check "the same config" sh -c "M() { '$mcimg' --root '$store' \"\$@\"; }; [ \"\$(M inspect '$host/app:v1' | jq -r '.manifest.config.digest')\" = '$config' ]"
reg_check "layers unpacked from it" sh -c "ls '$store'/layers/*/diff/bin/busybox"
skopeo copy --quiet --insecure-policy --src-tls-verify=false \
  "docker://$host/app:v1" "docker-archive:$work/sk-docker.tar:example.com/dk:v3"
reg_ok "load a docker-archive written by skopeo" M load -i "$work/sk-docker.tar"
reg_check "its name" grep -qx "loaded example.com/dk:v3" "$work/out"
reg_ok "skopeo reads the imported image from the store" skopeo inspect "oci:$store:example.com/dk:v3"
reg_check "store valid after docker-archive loads" store_valid

mkdir -p "$work/t" && tar -C "$work/t" -xf "$work/sk.tar"
big=$(ls -S "$work/t/blobs/sha256" | head -n1)
printf 'X' | dd of="$work/t/blobs/sha256/$big" bs=1 seek=200 conv=notrunc 2>/dev/null
tar -C "$work/t" -cf "$work/bad.tar" .
M rmi example.com/sk:v2 && M prune 2>/dev/null
before=$(store_sum)
reg_fails "a tampered archive is refused" "blob sha256:$big: digest mismatch" M load -i "$work/bad.tar"
reg_check "one error line" [ "$(grep -c '^mcimg:' "$work/err")" = 1 ]
reg_check "store unchanged" [ "$(store_sum)" = "$before" ]
reg_check "no staging left after the failure" [ -z "$(ls "$store/tmp")" ]
reg_fails "not an archive" "load \`$work/app.tar.nope\`" M load -i "$work/app.tar.nope"
reg_done
