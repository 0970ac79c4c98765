# Shared by tests/integration/mcimg-*.sh (sourced after
# tests/registry/lib.sh): the mcimg binary, images with chosen layer
# contents, and a rate-limiting proxy to interrupt pulls reliably.
mcimg=$abs_top_builddir/mcimg
[ -x "$mcimg" ] || reg_skip_all "no $mcimg"
store=$work/store
M() { "$mcimg" --root "$store" "$@"; }

# mk_image LAYOUT TAG DIR...: an amd64 OCI image whose layers are the DIRs
# (gzip -1, reproducible tars: a file `.wh.NAME` is a whiteout).  A regular
# file instead of a DIR is taken as the layer's uncompressed stream as is.
mk_image() {
  lay=$1 tg=$2; shift 2
  mkdir -p "$lay/blobs/sha256"
  [ -f "$lay/oci-layout" ] || echo '{"imageLayoutVersion":"1.0.0"}' >"$lay/oci-layout"
  [ -f "$lay/index.json" ] || echo '{"schemaVersion":2,"manifests":[]}' >"$lay/index.json"
  layers='[]' diffs='[]'
  for d in "$@"; do
    if [ -f "$d" ]; then
      cp "$d" "$work/mk.tar"
    else
      tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$d" -cf "$work/mk.tar" .
    fi
    diff=sha256:$(sha256sum "$work/mk.tar" | cut -d' ' -f1)
    gzip -1 -n -c "$work/mk.tar" >"$work/mk.tar.gz"
    hex=$(sha256sum "$work/mk.tar.gz" | cut -d' ' -f1)
    mv "$work/mk.tar.gz" "$lay/blobs/sha256/$hex"
    layers=$(echo "$layers" | jq -c --arg d "sha256:$hex" --argjson s "$(stat -c %s "$lay/blobs/sha256/$hex")" \
      '. + [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $d, size: $s}]')
    diffs=$(echo "$diffs" | jq -c --arg d "$diff" '. + [$d]')
  done
  rm -f "$work/mk.tar"
  jq -n -c --argjson diffs "$diffs" '{architecture: "amd64", os: "linux",
     created: "2026-01-02T03:04:05Z", config: {Cmd: ["/bin/sh"]},
     rootfs: {type: "layers", diff_ids: $diffs}}' >"$work/mk.json"
  chex=$(sha256sum "$work/mk.json" | cut -d' ' -f1)
  csize=$(stat -c %s "$work/mk.json")
  mv "$work/mk.json" "$lay/blobs/sha256/$chex"
  jq -n -c --arg cd "sha256:$chex" --argjson cs "$csize" --argjson layers "$layers" '
    {schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
     config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
     layers: $layers}' >"$work/mk.json"
  mhex=$(sha256sum "$work/mk.json" | cut -d' ' -f1)
  msize=$(stat -c %s "$work/mk.json")
  mv "$work/mk.json" "$lay/blobs/sha256/$mhex"
  jq -c --arg d "sha256:$mhex" --argjson s "$msize" --arg tag "$tg" '
    .manifests |= (map(select(.annotations["org.opencontainers.image.ref.name"] != $tag))
      + [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
          annotations: {"org.opencontainers.image.ref.name": $tag}}])' \
    "$lay/index.json" >"$work/mk-index.json" && mv "$work/mk-index.json" "$lay/index.json"
}

# slow_proxy DIR UPSTREAM BYTES_PER_SEC: a TCP proxy to UPSTREAM limited to
# that rate towards the client; prints 127.0.0.1:PORT.  Its PID goes to
# DIR/pids, so the registry's stop.sh ends it too.
slow_proxy() {
  rm -f "$1/proxy.port"
  "$python" -c '
import socket, sys, threading, time
d, up, rate = sys.argv[1], sys.argv[2], int(sys.argv[3])
host, port = up.rsplit(":", 1)
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", 0)); ls.listen(16)
open(d + "/proxy.port", "w").write(str(ls.getsockname()[1]))
def pump(a, b, limit):
    try:
        while True:
            data = a.recv(65536)
            if not data: break
            b.sendall(data)
            if limit: time.sleep(len(data) / rate)
    except OSError: pass
    for s in (a, b):
        try: s.shutdown(socket.SHUT_RDWR)
        except OSError: pass
while True:
    c, _ = ls.accept()
    u = socket.create_connection((host, int(port)))
    threading.Thread(target=pump, args=(c, u, False), daemon=True).start()
    threading.Thread(target=pump, args=(u, c, True), daemon=True).start()
' "$1" "$2" "$3" >"$1/proxy.log" 2>&1 &
  echo $! >>"$1/pids"
  for _ in $(seq 1 50); do [ -s "$1/proxy.port" ] && break; sleep 0.1; done
  echo "127.0.0.1:$(cat "$1/proxy.port")"
}

# The store is a valid OCI layout: every blob has its digest, and skopeo
# reads every name of index.json.
store_valid() {
  for f in "$store"/blobs/sha256/*; do
    [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$(basename "$f")" ] || return 1
  done
  for n in $(jq -r '.manifests[].annotations["org.opencontainers.image.ref.name"]' "$store/index.json"); do
    skopeo inspect "oci:$store:$n" >/dev/null || return 1
  done
}

store_sum() { cat "$store/index.json" && ls "$store/blobs/sha256" "$store/layers"; }
