#!/bin/sh
# mcimg pull against a token-auth registry (TLS, bearer tokens): anonymous
# and authenticated pulls, and the failures, each one clear line naming the
# image, with a non-zero status and the store unchanged: wrong credentials,
# a missing tag, an unknown platform, a registry that is down.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq openssl sha256sum py:jwt py:cryptography
. "$abs_top_srcdir/tests/integration/mcimg-lib.sh"
reg_make_layout || reg_skip_all "cannot build the test image"
reg_start token || reg_skip_all "registry or token server did not start"
certs=$reg_dir/certs.d/$host
reg_push "$host" app --dest-cert-dir "$certs" --dest-authfile "$reg_dir/auth.json" &&
  reg_push "$host" private/app --dest-cert-dir "$certs" --dest-authfile "$reg_dir/auth.json" ||
  reg_skip_all "skopeo push failed"
P="pull --cert-dir $certs"
one_line() { [ "$(grep -c '^mcimg:' "$work/err")" = 1 ]; }

reg_ok "anonymous pull with a token" M $P "$host/app:v1"
want=$(reg_skopeo_digest --cert-dir "$certs" "docker://$host/app:v1")
reg_check "digest equals skopeo's" [ "$(tail -n1 "$work/out")" = "$want" ]
reg_ok "skopeo inspect oci:STORE:REF" skopeo inspect "oci:$store:$host/app:v1"
reg_ok "pull by digest with a token" M $P "$host/app@$want"
reg_ok "private image with --creds" M $P --creds "$(cat "$reg_dir/userpass")" --platform linux/arm64 "$host/private/app-multi:v1"
reg_ok "private image with --authfile" M $P --authfile "$reg_dir/auth.json" "$host/private/app:v1"
reg_check "store valid" store_valid

before=$(store_sum)
reg_fails "wrong credentials" "pull $host/private/app:v1: registry $host: unauthorized" \
  M $P --creds testuser:wrong "$host/private/app:v1"
reg_check "one line, no password in it" sh -c "[ \$(grep -c '^mcimg:' '$work/err') = 1 ] && ! grep -q wrong '$work/err'"
reg_fails "anonymous pull of a private image" "pull $host/private/app:v2: registry $host: unauthorized" \
  M $P "$host/private/app:v2"
reg_fails "missing tag" "mcimg: pull $host/app:nope: registry $host: manifest unknown (404)" \
  M $P "$host/app:nope"
reg_check "missing tag: one line" one_line
reg_fails "unknown platform" "pull $host/app-multi:v1: no image for platform linux/s390x" \
  M $P --platform linux/s390x "$host/app-multi:v1"
reg_check "unknown platform: one line" one_line
reg_fails "invalid reference" "pull: invalid reference" M $P "UPPER/Case::x"
reg_check "store unchanged by the failures" [ "$(store_sum)" = "$before" ]

reg_check "usage error exits 2" sh -c "'$mcimg' --root '$store' pull; [ \$? = 2 ]"

"$fixtures/stop.sh" "$reg_dir"
reg_fails "registry down" "pull $host/app:v1: registry $host" M $P "$host/app:v1"
reg_check "registry down: one line" one_line
reg_check "store unchanged when the registry is down" [ "$(store_sum)" = "$before" ]
reg_done
