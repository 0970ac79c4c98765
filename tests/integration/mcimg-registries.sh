#!/bin/sh
# mcimg pull with a registries configuration (--registries-conf FILE,
# $MCIMG_REGISTRIES_CONF): an insecure registry pulled over plain http
# without flags, --tls-verify overriding the file, mirrors tried first (the
# registry itself stopped or without the image), per-host credentials and
# certDir for a mirror, a blocked registry, malformed files.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq sha256sum gzip openssl htpasswd
. "$abs_top_srcdir/tests/integration/mcimg-lib.sh"
reg_make_layout || reg_skip_all "cannot build the test image"

# A: plain http, empty.  B: plain http, holds app:v1.  C: https + basic
# auth, holds app:v1.
reg_start http || reg_skip_all "registry did not start"
a=$host a_dir=$reg_dir
# Registered for the cleanup here, not in the $(...) subshell.
b_dir=$work/mirror-b c_dir=$work/mirror-c
reg_dirs="$reg_dirs $b_dir $c_dir"
start_other() { mkdir -p "$work/$1" && "$fixtures/start.sh" "$2" "$work/$1"; }
b=$(start_other mirror-b http) || reg_skip_all "registry did not start"
c=$(start_other mirror-c basic) || reg_skip_all "registry did not start"
reg_push "$b" app --dest-tls-verify=false &&
  reg_push "$c" app --dest-cert-dir "$c_dir/certs.d/$c" --dest-authfile "$c_dir/auth.json" ||
  reg_skip_all "skopeo push failed"
want=$(reg_skopeo_digest --tls-verify=false "docker://$b/app:v1")
conf=$work/registries.json
name_in_index() {
  jq -e --arg n "$1" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $n)' \
    "$store/index.json" >/dev/null
}
gets() { grep -c "GET /v2/$2/manifests/" "$1/registry.log"; }

# ---- insecure ----
echo '{}' >"$work/empty.json"
reg_fails "http registry, empty configuration: no http" "pull $b/app:v1: registry $b" \
  M pull --registries-conf "$work/empty.json" "$b/app:v1"
printf '{"registries": {"%s": {"insecure": true}}}\n' "$b" >"$conf"
reg_ok "insecure in the file: plain http without flags" M pull --registries-conf "$conf" "$b/app:v1"
reg_check "digest as skopeo's" [ "$(tail -n1 "$work/out")" = "$want" ]
reg_ok "MCIMG_REGISTRIES_CONF" env MCIMG_REGISTRIES_CONF="$conf" "$mcimg" --root "$store" pull "$b/app-multi:v1"
reg_fails "--tls-verify=true wins over the file" "pull $b/app:v1: registry $b" \
  M pull --registries-conf "$conf" --tls-verify=true "$b/app:v1"

# ---- mirrors ----
printf '{"registries": {"%s": {"insecure": true, "mirrors": ["%s"]}, "%s": {"insecure": true}}}\n' \
  "$a" "$b" "$b" >"$conf"
b_before=$(gets "$b_dir" app)
reg_ok "a mirror holding the image is used first" M pull --registries-conf "$conf" "$a/app:v1"
reg_check "says so" grep -q "pulling from mirror $b" "$work/err"
reg_check "stored under the reference's name" name_in_index "$a/app:v1"
reg_check "the mirror served the manifest" [ "$(gets "$b_dir" app)" -gt "$b_before" ]
reg_check "the registry itself was not asked" [ "$(gets "$a_dir" app)" = 0 ]
"$fixtures/stop.sh" "$a_dir"
reg_ok "by digest from the mirror, registry stopped" M pull --registries-conf "$conf" "$a/app@$want"
reg_check "stored by digest" name_in_index "$a/app@$want"
# A mirror without the image: the registry is the next source (here: down).
printf '{"registries": {"%s": {"insecure": true, "mirrors": ["%s"]}, "%s": {"insecure": true}}}\n' \
  "$a" "$b" "$b" >"$conf"
reg_fails "mirror without the image, registry down: the registry's error" \
  "mcimg: pull $a/nothing:v1: registry $a" M pull --registries-conf "$conf" "$a/nothing:v1"
reg_check "the mirror's miss is noted" grep -q "mirror $b: .*manifest unknown" "$work/err"
reg_check "one error line" [ "$(grep -c '^mcimg:' "$work/err")" = 1 ]

# A basic-auth mirror over TLS: its certDir from the file, its credentials
# from the auth file for its own host; --creds (for the registry) are not
# sent to it.
printf '{"registries": {"%s": {"mirrors": ["%s"]}, "%s": {"certDir": "%s"}}}\n' \
  "$a" "$c" "$c" "$c_dir/certs.d/$c" >"$conf"
reg_ok "TLS mirror with its own certDir and credentials" \
  M pull --registries-conf "$conf" --authfile "$c_dir/auth.json" --creds testuser:wrong "$a/app-multi:v1"
reg_check "pulled from that mirror" grep -q "pulling from mirror $c" "$work/err"
reg_fails "no credentials for the mirror: unauthorized, then the registry" "mcimg: pull $a/app:v1: registry $a" \
  M pull --registries-conf "$conf" --authfile "$work/empty.json" "$a/app:v1"
reg_check "the mirror's refusal is noted" grep -q "mirror $c: .*unauthorized" "$work/err"

# ---- blocked ----
printf '{"registries": {"%s": {"insecure": true, "blocked": true}}}\n' "$b" >"$conf"
before=$(store_sum) b_before=$(gets "$b_dir" app)
reg_fails "blocked registry refused" "mcimg: pull $b/app:v1: registry $b is blocked by $conf" \
  M pull --registries-conf "$conf" "$b/app:v1"
reg_check "blocked: one line" [ "$(grep -c . "$work/err")" = 1 ]
reg_check "blocked: nothing asked" [ "$(gets "$b_dir" app)" = "$b_before" ]
reg_check "store unchanged" [ "$(store_sum)" = "$before" ]

# ---- malformed ----
printf '{"registries": {"%s": {"insecure": "yes"}}}\n' "$b" >"$conf"
reg_fails "wrong type: the JSON path" "mcimg: $conf: .registries[\"$b\"].insecure: expected a boolean" \
  M pull --registries-conf "$conf" "$b/app:v1"
printf '{"registries": {"%s": {"mirrors": "%s"}}}\n' "$a" "$b" >"$conf"
reg_fails "mirrors not a list: the JSON path" ".registries[\"$a\"].mirrors: expected an array" \
  M pull --registries-conf "$conf" "$a/app:v1"
printf '{"registries": {"%s": {"mirrors": ["http://x/"]}}}\n' "$a" >"$conf"
reg_fails "mirror not a domain" ".registries[\"$a\"].mirrors[0]: \`http://x/\` is not a registry domain" \
  M pull --registries-conf "$conf" "$a/app:v1"
printf '{"registries": ' >"$conf"
reg_fails "not JSON" "mcimg: $conf:" M pull --registries-conf "$conf" "$b/app:v1"
reg_fails "a named file must exist" "registries configuration" \
  M pull --registries-conf "$work/missing.json" "$b/app:v1"
reg_check "store unchanged by the failures" [ "$(store_sum)" = "$before" ]
reg_done
