#!/bin/sh
# The registry client against docker-registry with htpasswd basic auth over
# TLS: credentials from the environment (never argv), from an auth file, and
# through login/logout; wrong or missing credentials fail cleanly and no
# message shows the password.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq openssl htpasswd sha256sum
reg_make_layout || reg_skip_all "cannot build the test image"
reg_start basic || reg_skip_all "docker-registry did not start"
certs=$reg_dir/certs.d/$host
reg_push "$host" app --dest-cert-dir "$certs" --dest-authfile "$reg_dir/auth.json" ||
  reg_skip_all "skopeo push failed"
F="$fetch --retry-base-ms 50 --cert-dir $certs"
want=$(reg_skopeo_digest --cert-dir "$certs" --authfile "$reg_dir/auth.json" "docker://$host/app:v1")
# Keep the developer's own auth files out of this.
export HOME="$work/home" XDG_RUNTIME_DIR="$work/run"
unset REGISTRY_AUTH_FILE DOCKER_CONFIG XDG_CONFIG_HOME MCIMG_TEST_USERPASS
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"

reg_fails "anonymous is refused" "registry $host: unauthorized: authentication required (401)" \
  $F manifest "$host/app:v1"
MCIMG_TEST_USERPASS=$(cat "$reg_dir/userpass")
export MCIMG_TEST_USERPASS
mkdir -p "$work/blobs"
reg_ok "explicit user:pass" $F --jobs 2 --out "$work/blobs" pull "$host/app:v1"
reg_check "manifest digest equals skopeo's" grep -qx "manifest $want" "$work/out"
reg_check "blobs verified" reg_blobs_verified "$work/blobs" 3
MCIMG_TEST_USERPASS=testuser:wrongpass
reg_fails "wrong password" "unauthorized: authentication required" $F manifest "$host/app:v1"
reg_check "the password is not in the message" sh -c "! grep -q wrongpass '$work/err'"
unset MCIMG_TEST_USERPASS
reg_ok "credentials from an auth file" $F --auth-file "$reg_dir/auth.json" manifest "$host/app:v1"
reg_check "auth file: same digest" [ "$(cut -d' ' -f1 "$work/out")" = "$want" ]

# login stores into $XDG_RUNTIME_DIR/containers/auth.json (mode 0600).
printf '%s\n' "$(cut -d: -f2- "$reg_dir/userpass")" >"$work/pw"
reg_ok "login" sh -c "'$fetch' login '$host' testuser <'$work/pw'"
reg_check "auth.json written" [ -f "$XDG_RUNTIME_DIR/containers/auth.json" ]
reg_check "auth.json is 0600" [ "$(stat -c %a "$XDG_RUNTIME_DIR/containers/auth.json")" = 600 ]
reg_check "password not stored in clear" sh -c "! grep -q testpass '$XDG_RUNTIME_DIR/containers/auth.json'"
reg_ok "pull after login" $F manifest "$host/app:v1"
reg_ok "logout" $fetch logout "$host"
reg_fails "refused after logout" "unauthorized" $F manifest "$host/app:v1"
reg_fails "logout twice" "not logged in to $host" $fetch logout "$host"
# Without a runtime dir, login goes to ~/.docker/config.json, which is read too.
reg_ok "login without XDG_RUNTIME_DIR" env -u XDG_RUNTIME_DIR sh -c "'$fetch' login '$host' testuser <'$work/pw'"
reg_check "docker config written" [ -f "$HOME/.docker/config.json" ]
reg_ok "docker config is used" $F manifest "$host/app:v1"
reg_done
