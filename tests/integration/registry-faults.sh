#!/bin/sh
# The registry client against a misbehaving registry (tests/registry/
# fake-registry.py): redirects to another origin without Authorization,
# retries of 5xx/429, resume after a cut connection, servers that ignore
# Range, corrupt or short blobs, schema 1, lying digests, huge manifests and
# a token scope change in the middle of a session.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require jq sha256sum
reg_make_layout || reg_skip_all "cannot build the test image"
reg_start fake || reg_skip_all "fake registry did not start"
F="$fetch --insecure --retry-base-ms 50"
manifest_digest=$(jq -r '.manifests[0].digest' "$layout/index.json")
manifest=$layout/blobs/sha256/${manifest_digest#sha256:}
layer=$(jq -r '.layers[1].digest' "$manifest")
size=$(jq -r '.layers[1].size' "$manifest")
faults() { echo "$1" >"$reg_dir/faults.json"; : >"$reg_dir/requests.log"; }
requests() { grep -c "$1" "$reg_dir/requests.log"; }
blob() { $F --size "$size" --out "$work/blob" blob "$host/x/app" "$layer"; }

faults '{"auth":"basic","redirect_blobs":true}'
MCIMG_TEST_USERPASS=testuser:testpass reg_ok "blob through a redirect" blob
reg_check "redirected blob is intact" [ "sha256:$(sha256sum "$work/blob" | cut -d' ' -f1)" = "$layer" ]
reg_check "registry got Authorization" grep -q '^registry GET /v2/x/app/blobs/.* auth=yes' "$reg_dir/requests.log"
reg_check "storage (another origin) got none" grep -q '^storage GET .* auth=no' "$reg_dir/requests.log"
reg_check "storage never saw Authorization" sh -c "! grep -q '^storage .*auth=yes' '$reg_dir/requests.log'"

faults '{"fail":[503,2]}'
reg_ok "two 503s are retried" blob
reg_check "three blob requests" [ "$(requests 'blobs/')" = 3 ]
faults '{"fail":[429,1]}'
reg_ok "429 is retried (Retry-After)" blob
faults '{"fail":[503,10]}'
reg_fails "retries are bounded" "unavailable: try again later (503)" $F --retries 2 --out "$work/blob" blob "$host/x/app" "$layer"
reg_check "1 + 2 attempts" [ "$(requests 'blobs/')" = 3 ]
faults '{"fail":[404,1]}'
reg_fails "404 is not retried" "try again later (404)" blob
reg_check "a single attempt" [ "$(requests 'blobs/')" = 1 ]

faults '{"cut_after":200000}'
reg_ok "cut connection resumes" blob
reg_check "resumed with Range from the cut" grep -q 'range=bytes=200000-' "$reg_dir/requests.log"
reg_check "resumed blob is intact" [ "sha256:$(sha256sum "$work/blob" | cut -d' ' -f1)" = "$layer" ]
faults '{"cut_after":200000,"ignore_range":true}'
reg_ok "resume when the server ignores Range" blob
reg_check "blob still intact" [ "sha256:$(sha256sum "$work/blob" | cut -d' ' -f1)" = "$layer" ]

faults '{"corrupt_blob":true}'
reg_fails "corrupt blob" "blob $layer: digest mismatch" blob
faults '{"short_blob":true}'
reg_fails "short blob" "blob $layer: size mismatch: got $((size - 1)) bytes, expected $size" blob

faults '{"schema1":true}'
reg_fails "schema 1 refused" "is Docker schema 1" $F manifest "$host/x/app:single"
faults '{"wrong_digest_header":true}'
reg_fails "Docker-Content-Digest checked" "digest mismatch: Docker-Content-Digest is" $F manifest "$host/x/app:single"
faults '{"huge_manifest":true}'
reg_fails "manifest size bounded" "reply larger than 4194304 bytes" $F manifest "$host/x/app:single"
faults '{}'
reg_ok "manifest by digest" $F manifest "$host/x/app@$manifest_digest"

faults '{"auth":"bearer","scope_change":true}'
reg_ok "new challenge mid-session: one new token" $F --jobs 2 pull "$host/x/app:single"
reg_check "two token requests in all" [ "$(requests '^token ')" = 2 ]
reg_check "second token asked for both scopes" grep -q '^token 2 .*scope=repository%3Ax%2Fapp%3Apull&scope=repository%3Aother%2Fthing%3Apull' "$reg_dir/requests.log"
reg_done
