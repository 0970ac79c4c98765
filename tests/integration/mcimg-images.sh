#!/bin/sh
# mcimg images, inspect, tag, rmi, login/logout, --version and --help on a
# store filled by pulls from a plain-http registry.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq sha256sum
. "$abs_top_srcdir/tests/integration/mcimg-lib.sh"
reg_make_layout || reg_skip_all "cannot build the test image"
reg_start http || reg_skip_all "registry did not start"
reg_push "$host" app --dest-tls-verify=false || reg_skip_all "skopeo push failed"

reg_ok "--version" "$mcimg" --version
reg_check "version line" grep -q "^mcimg version [0-9]" "$work/out"
reg_check "commit line" grep -q "^commit: " "$work/out"
reg_ok "--help lists the commands" "$mcimg" --help
reg_check "help names pull and rmi" sh -c "grep -q '^  pull ' '$work/out' && grep -q '^  rmi ' '$work/out'"
reg_ok "pull --help" "$mcimg" pull --help
reg_check "pull --help names --platform" grep -q -- "--platform" "$work/out"
reg_check "unknown command exits 2" sh -c "'$mcimg' frobnicate; [ \$? = 2 ]"

if command -v script >/dev/null 2>&1; then
  reg_ok "pull on a terminal" script -qec "'$mcimg' --root '$work/tty' pull --tls-verify=false '$host/app:v1'" /dev/null
  reg_check "live lines redrawn in place" grep -q "$(printf '\033')\[2Ksha256:" "$work/out"
  reg_check "bytes, total and rate" grep -q " / 1.0 MB .*B/s" "$work/out"
  reg_check "a summary" grep -q "^fetched .* in .*s (" "$work/out"
fi
reg_ok "images on an empty store" M images
reg_check "only the header" [ "$(wc -l <"$work/out")" = 1 ]
reg_ok "MCIMG_ROOT names the store" env MCIMG_ROOT="$store" "$mcimg" pull --quiet --tls-verify=false "$host/app:v1"
digest=$(cat "$work/out")
reg_ok "images" M images
reg_check "table lists the image" grep -q "^$host/app:v1 .*${digest%"${digest#sha256:????????????}"}" "$work/out"
reg_ok "images --format json" M images --format json
reg_check "json: name, digest, size, created" sh -c "jq -e --arg n '$host/app:v1' --arg d '$digest' \
  '.[0] | .name == \$n and .digest == \$d and .size > 1000 and has(\"created\")' '$work/out'"
reg_fails "bad format" "unknown format" M images --format yaml

reg_ok "inspect" M inspect "$host/app:v1"
reg_check "inspect: manifest and config" sh -c "jq -e '.manifest.schemaVersion == 2 and .config.rootfs.type == \"layers\"' '$work/out'"
reg_ok "inspect by digest prefix" M inspect "$(echo "$digest" | cut -c8-19)"
reg_fails "inspect a missing image" "image \`nope\` not in the store" M inspect nope

reg_ok "tag" M tag "$host/app:v1" local/app:copy
reg_check "the tag points at the same manifest" sh -c "jq -e --arg d '$digest' \
  '[.manifests[] | select(.annotations[\"org.opencontainers.image.ref.name\"] == \"docker.io/local/app:copy\") | .digest] == [\$d]' '$store/index.json'"
reg_ok "skopeo reads the new name" skopeo inspect "oci:$store:docker.io/local/app:copy"
reg_ok "inspect the new name" M inspect local/app:copy
reg_fails "tag a missing image" "not in the store" M tag nope:1 x:1
reg_ok "rmi" M rmi local/app:copy
reg_check "name gone, the other kept" sh -c "[ \$(jq '.manifests | length' '$store/index.json') = 1 ]"
reg_check "blobs kept" [ -f "$store/blobs/sha256/${digest#sha256:}" ]
reg_fails "rmi twice" "rmi \`local/app:copy\`: image \`local/app:copy\` not in the store" M rmi local/app:copy
reg_ok "pull a second image" M pull --tls-verify=false --platform linux/arm64 "$host/app-multi:v1"
reg_ok "prune with both images named" M prune
reg_check "prune removed nothing in use" sh -c "[ \$(ls '$store/layers' | wc -l) = 4 ] && [ \$(ls '$store/l' | wc -l) = 4 ]"
reg_check "store valid after prune" store_valid
reg_ok "rmi by full name" M rmi "$host/app:v1"
reg_ok "prune after rmi" M prune
reg_check "app:v1's layers removed" [ "$(ls "$store/layers" | wc -l)" = 2 ]
reg_check "its l/ links removed" [ "$(ls "$store/l" | wc -l)" = 2 ]
reg_check "its manifest removed" [ ! -e "$store/blobs/sha256/${digest#sha256:}" ]
reg_check "the other image still valid" store_valid
reg_ok "rmi the other" M rmi "$host/app-multi:v1"
reg_check "index empty" [ "$(jq '.manifests | length' "$store/index.json")" = 0 ]
: >"$store/tmp/$(printf '%064d' 0).partial"
reg_ok "prune an unused store" M prune
reg_check "blobs, layers, links and partials all gone" \
  [ -z "$(find "$store/blobs/sha256" "$store/layers" "$store/l" "$store/tmp" -mindepth 1)" ]

auth=$work/auth.json
reg_ok "login --password-stdin" sh -c "echo s3cret | '$mcimg' login --authfile '$auth' -u bob --password-stdin example.com:5000"
reg_check "auth file holds the entry" sh -c "jq -e '.auths[\"example.com:5000\"].auth' '$auth'"
reg_check "auth file mode 0600" [ "$(stat -c %a "$auth")" = 600 ]
reg_ok "logout" "$mcimg" logout --authfile "$auth" example.com:5000
reg_fails "logout twice" "not logged in" "$mcimg" logout --authfile "$auth" example.com:5000
reg_done
