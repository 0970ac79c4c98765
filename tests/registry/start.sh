#!/bin/sh
# Start a throw-away registry (Debian's docker-registry, distribution 2.8)
# on a free loopback port, in one of four modes:
#
#   http   plain http, no auth
#   tls    https with a CA made here (DIR/ca.crt), no auth
#   basic  https + htpasswd (bcrypt) basic auth
#   token  https + bearer tokens from tests/registry/token-server.py
#          (anonymous: pull, except repositories under private/;
#           the test user: pull and push everywhere)
#
#   start.sh MODE DIR     prints HOST:PORT (always 127.0.0.1)
#
# DIR (created if needed) receives:
#   host            127.0.0.1:PORT
#   pids            the PIDs started here, one a line (stop.sh reads it)
#   storage/        the registry's storage (blobs under
#                   storage/docker/registry/v2/blobs/sha256/XX/HEX/data)
#   certs.d/HOST/   ca.crt, a containers-style cert dir (tls, basic, token)
#   auth.json       credentials of the test user for HOST (basic, token),
#                   for skopeo --authfile and mcimg's auth-file lookup
#   userpass        "testuser:testpass" (basic, token)
#   token.log       one line per token request (token)
#   registry.log, token-server.log
#
# Typical use, with cleanup even on failure:
#   dir=$(mktemp -d); trap 'tests/registry/stop.sh "$dir"; rm -rf "$dir"' EXIT
#   host=$(tests/registry/start.sh basic "$dir")
set -eu
mode=${1:?usage: start.sh http|tls|basic|token DIR}
dir=${2:?usage: start.sh MODE DIR}
here=$(cd "$(dirname "$0")" && pwd)
registry_bin=${DOCKER_REGISTRY:-/usr/bin/docker-registry}
python=${PYTHON:-/usr/bin/python3}
user=testuser pass=testpass

case "$mode" in http|tls|basic|token) ;; *) echo "start.sh: unknown mode $mode" >&2; exit 2 ;; esac
for tool in "$registry_bin" openssl "$python"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "start.sh: $tool not found" >&2; exit 1; }
done
mkdir -p "$dir/storage"
dir=$(cd "$dir" && pwd)
: >"$dir/pids"

free_port() {
  "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# A CA and a server certificate for 127.0.0.1 / localhost / ::1.
make_certs() {
  [ -f "$dir/server.crt" ] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=mcimg test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$dir/server.key" -out "$dir/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 2 -extfile "$dir/server.ext" -out "$dir/server.crt" >/dev/null 2>&1
}

# The token signing key and its self-signed certificate (the registry's
# rootcertbundle; tokens carry it in x5c).
make_token_key() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=mcimg test token issuer" -keyout "$dir/token.key" -out "$dir/token.crt" \
    >/dev/null 2>&1
}

write_config() {
  port=$1
  {
    printf 'version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: false\n'
    printf 'storage:\n  filesystem:\n    rootdirectory: %s/storage\n  delete:\n    enabled: true\n' "$dir"
    printf 'http:\n  addr: 127.0.0.1:%s\n  secret: mcimg-test-secret\n' "$port"
    if [ "$mode" != http ]; then
      printf '  tls:\n    certificate: %s/server.crt\n    key: %s/server.key\n' "$dir" "$dir"
    fi
    case "$mode" in
      basic) printf 'auth:\n  htpasswd:\n    realm: mcimg-test\n    path: %s/htpasswd\n' "$dir" ;;
      token)
        printf 'auth:\n  token:\n    realm: http://127.0.0.1:%s/token\n' "$(cat "$dir/token.port")"
        printf '    service: mcimg-test-registry\n    issuer: mcimg-test-issuer\n'
        printf '    rootcertbundle: %s/token.crt\n' "$dir" ;;
    esac
  } >"$dir/config.yml"
}

write_auth() {
  host=$1
  printf '%s:%s' "$user" "$pass" >"$dir/userpass"
  b64=$(printf '%s:%s' "$user" "$pass" | base64 -w0)
  printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$host" "$b64" >"$dir/auth.json"
  chmod 600 "$dir/userpass" "$dir/auth.json"
}

# Wait until something answers on the port, or the process dies.
wait_ready() {
  pid=$1 url=$2
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 1
    if "$python" - "$url" <<'EOF' 2>/dev/null; then return 0; fi
import ssl, sys, urllib.request, urllib.error
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
try:
    urllib.request.urlopen(sys.argv[1], timeout=1, context=ctx)
except urllib.error.HTTPError:
    pass
EOF
    sleep 0.1
  done
  return 1
}

[ "$mode" = http ] || make_certs
if [ "$mode" = basic ]; then
  command -v htpasswd >/dev/null 2>&1 || { echo "start.sh: htpasswd not found (apache2-utils)" >&2; exit 1; }
  # distribution only accepts bcrypt entries.
  htpasswd -Bbn "$user" "$pass" >"$dir/htpasswd"
fi
if [ "$mode" = token ]; then
  make_token_key
  rm -f "$dir/token.port"
  TOKEN_USERS="$user:$pass" "$python" "$here/token-server.py" "$dir" \
    >"$dir/token-server.log" 2>&1 &
  echo $! >>"$dir/pids"
  for _ in $(seq 1 100); do [ -s "$dir/token.port" ] && break; sleep 0.1; done
  [ -s "$dir/token.port" ] || { echo "start.sh: token server did not start" >&2; cat "$dir/token-server.log" >&2; exit 1; }
fi

scheme=https
[ "$mode" = http ] && scheme=http
# The free port may be taken between the probe and the bind: try again.
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  write_config "$port"
  "$registry_bin" serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  pid=$!
  if wait_ready "$pid" "$scheme://127.0.0.1:$port/v2/"; then
    echo "$pid" >>"$dir/pids"
    break
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ "$attempt" = 5 ]; then
    echo "start.sh: docker-registry did not start:" >&2
    tail -5 "$dir/registry.log" >&2
    exit 1
  fi
done

host=127.0.0.1:$port
echo "$host" >"$dir/host"
if [ "$mode" != http ]; then
  mkdir -p "$dir/certs.d/$host"
  cp "$dir/ca.crt" "$dir/certs.d/$host/ca.crt"
fi
case "$mode" in basic|token) write_auth "$host" ;; esac
echo "$host"
