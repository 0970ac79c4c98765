#!/bin/sh
# The registry client against docker-registry over https with a private CA:
# verification on by default, the CA from a containers-style cert dir, and
# tls_verify=false (--insecure) for when the CA is not known.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq openssl sha256sum
reg_make_layout || reg_skip_all "cannot build the test image"
reg_start tls || reg_skip_all "docker-registry did not start"
certs=$reg_dir/certs.d/$host
reg_push "$host" app --dest-cert-dir "$certs" || reg_skip_all "skopeo push failed"
F="$fetch --retry-base-ms 50"
want=$(reg_skopeo_digest --cert-dir "$certs" "docker://$host/app:v1")

reg_fails "unknown CA is refused" "SSL certificate problem" $F manifest "$host/app:v1"
reg_ok "CA from --cert-dir" $F --cert-dir "$certs" manifest "$host/app:v1"
reg_check "digest equals skopeo's" [ "$(cut -d' ' -f1 "$work/out")" = "$want" ]
reg_ok "--insecure skips verification" $F --insecure manifest "$host/app:v1"
reg_check "insecure: same digest" [ "$(cut -d' ' -f1 "$work/out")" = "$want" ]
mkdir -p "$work/blobs"
reg_ok "pull over TLS, 2 jobs" $F --cert-dir "$certs" --jobs 2 --out "$work/blobs" pull "$host/app:v1"
reg_check "blobs verified" reg_blobs_verified "$work/blobs" 3
reg_ok "multi-arch over TLS" $F --cert-dir "$certs" --platform linux/arm64 pull "$host/app-multi:v1"
reg_check "arm64 chosen" grep -qx "platform linux/arm64" "$work/out"
mkdir -p "$work/empty-certs"
reg_fails "an empty cert dir adds nothing" "SSL certificate problem" \
  $F --cert-dir "$work/empty-certs" manifest "$host/app:v1"
reg_fails "a missing cert dir is an error" "open certificate directory" \
  $F --cert-dir "$work/nonexistent" manifest "$host/app:v1"
reg_done
