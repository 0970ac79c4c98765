#!/bin/sh
# The registry client against docker-registry with bearer-token auth (a JWT
# token server from tests/registry): anonymous and authenticated tokens, the
# token cache (one token per pull, however many blobs), one retry on 401.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq openssl sha256sum py:jwt py:cryptography
reg_make_layout || reg_skip_all "cannot build the test image"
reg_start token || reg_skip_all "registry or token server did not start"
certs=$reg_dir/certs.d/$host
reg_push "$host" app --dest-cert-dir "$certs" --dest-authfile "$reg_dir/auth.json" &&
  reg_push "$host" private/app --dest-cert-dir "$certs" --dest-authfile "$reg_dir/auth.json" ||
  reg_skip_all "skopeo push failed"
F="$fetch --retry-base-ms 50 --cert-dir $certs"
want=$(reg_skopeo_digest --cert-dir "$certs" --authfile "$reg_dir/auth.json" "docker://$host/app:v1")
unset MCIMG_TEST_USERPASS
tokens() { grep -c "$1" "$reg_dir/token.log"; }

: >"$reg_dir/token.log"
mkdir -p "$work/blobs"
reg_ok "anonymous pull of a public repository" $F --jobs 3 --out "$work/blobs" pull "$host/app:v1"
reg_check "manifest digest equals skopeo's" grep -qx "manifest $want" "$work/out"
reg_check "blobs verified" reg_blobs_verified "$work/blobs" 3
reg_check "one token for manifest + 3 blobs on 3 threads" [ "$(tokens 'auth=anonymous scope=repository:app:pull$')" = 1 ]
reg_check "tokens asked for pull only" sh -c "! grep -q push '$reg_dir/token.log'"

: >"$reg_dir/token.log"
reg_fails "anonymous pull of a private repository" "registry $host: unauthorized: authentication required (401)" \
  $F manifest "$host/private/app:v1"
reg_check "exactly one token retry after the 401" [ "$(tokens 'auth=anonymous')" = 2 ]

: >"$reg_dir/token.log"
MCIMG_TEST_USERPASS=$(cat "$reg_dir/userpass") \
  reg_ok "authenticated pull of a private multi-arch image" $F --jobs 2 --platform linux/arm64 pull "$host/private/app-multi:v1"
reg_check "arm64 chosen" grep -qx "platform linux/arm64" "$work/out"
reg_check "one authenticated token" [ "$(tokens 'account=testuser auth=ok')" = 1 ]
MCIMG_TEST_USERPASS=testuser:nope \
  reg_fails "wrong password at the token server" "unauthorized: authentication required (token server" \
  $F manifest "$host/private/app:v1"
reg_check "the password is not in the message" sh -c "! grep -q nope '$work/err'"
reg_ok "credentials from an auth file" $F --auth-file "$reg_dir/auth.json" manifest "$host/private/app:v1"
digest=$(cut -d' ' -f1 "$work/out")
reg_ok "by digest with a token" $F --auth-file "$reg_dir/auth.json" manifest "$host/private/app@$digest"
reg_fails "unknown tag with a valid token" "manifest unknown (404)" $F manifest "$host/app:nope"
reg_done
