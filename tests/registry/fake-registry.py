#!/usr/bin/python3
"""A misbehaving registry for client tests, serving an OCI image layout.

    fake-registry.py DIR LAYOUT

Listens on two free 127.0.0.1 ports, written to DIR/fake.port and
DIR/storage.port: the registry (GET /v2/, manifests by tag or digest, blobs)
and an "object storage" to which blob requests may be redirected.  Every
request appends to DIR/requests.log:

    SERVER METHOD PATH range=R auth=yes|no

Behaviour comes from DIR/faults.json, re-read on every request, so a test
can change it between runs ({} = a well-behaved anonymous registry):

  "auth": "basic"          Basic auth (testuser:testpass) on the registry
  "auth": "bearer"         Bearer tokens from /token on the same server;
                           with "scope_change": true the first token of a
                           session lacks the scope (401 insufficient_scope)
  "redirect_blobs": true   blobs answer 307 to http://localhost:STORAGE/...
  "fail": [CODE, N]        the first N blob requests answer CODE (503, 429
                           with Retry-After: 1, ...)
  "cut_after": BYTES       the first blob response stops after BYTES bytes
                           (the connection closes mid-body)
  "ignore_range": true     Range headers are ignored (always 200)
  "corrupt_blob": true     blob bodies have one byte changed
  "short_blob": true       blob bodies lack their last byte (honestly sized)
  "schema1": true          manifests are served as Docker schema 1
  "wrong_digest_header": true   Docker-Content-Digest lies
  "huge_manifest": true    manifests are 5 MiB
"""
import base64
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

state_dir, layout = sys.argv[1], sys.argv[2]
lock = threading.Lock()
counters = {"fail": 0, "cut": 0, "tokens": 0}
BASIC = "Basic " + base64.b64encode(b"testuser:testpass").decode()


last_faults = [None]


def faults():
    """The current faults; a change of the file restarts the counters."""
    try:
        with open(os.path.join(state_dir, "faults.json")) as f:
            text = f.read()
    except FileNotFoundError:
        text = "{}"
    with lock:
        if text != last_faults[0]:
            last_faults[0] = text
            for k in counters:
                counters[k] = 0
    return json.loads(text)


def log(line):
    with lock, open(os.path.join(state_dir, "requests.log"), "a") as f:
        f.write(line + "\n")


def blob_path(digest):
    algo, _, hexpart = digest.partition(":")
    path = os.path.join(layout, "blobs", algo, hexpart)
    return path if algo == "sha256" and len(hexpart) == 64 and os.path.isfile(path) else None


def resolve_tag(tag):
    with open(os.path.join(layout, "index.json")) as f:
        index = json.load(f)
    for m in index["manifests"]:
        if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag:
            return m["digest"], m["mediaType"]
    return None, None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_name = "registry"

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def error(self, status, code, message, headers=()):
        body = json.dumps({"errors": [{"code": code, "message": message}]}).encode()
        self.send(status, body, [("Content-Type", "application/json")] + list(headers))

    def do_GET(self):
        f = faults()
        auth = self.headers.get("Authorization")
        log("%s GET %s range=%s auth=%s" % (self.server_name, self.path,
                                            self.headers.get("Range", "-"), "yes" if auth else "no"))
        if self.server_name == "storage":
            return self.serve_blob(f, self.path.rsplit("/", 1)[-1], storage=True)
        if self.path.startswith("/token"):
            return self.serve_token(f)
        if not self.authorized(f, auth):
            return
        parts = self.path.split("/")
        if self.path == "/v2/":
            return self.send(200, b"{}", [("Content-Type", "application/json")])
        if len(parts) >= 5 and parts[-2] == "manifests":
            return self.serve_manifest(f, parts[-1])
        if len(parts) >= 5 and parts[-2] == "blobs":
            if f.get("redirect_blobs"):
                port = open(os.path.join(state_dir, "storage.port")).read().strip()
                return self.send(307, b"", [("Location", "http://localhost:%s/blobs/%s" % (port, parts[-1]))])
            return self.serve_blob(f, parts[-1])
        self.error(404, "NAME_UNKNOWN", "repository name not known to registry")

    def authorized(self, f, auth):
        mode = f.get("auth")
        if mode == "basic" and auth != BASIC:
            self.error(401, "UNAUTHORIZED", "authentication required",
                       [("WWW-Authenticate", 'Basic realm="fake"')])
            return False
        if mode == "bearer":
            realm = "http://127.0.0.1:%d/token" % self.server.server_address[1]
            challenge = 'Bearer realm="%s",service="fake"' % realm
            if not auth or not auth.startswith("Bearer "):
                self.error(401, "UNAUTHORIZED", "authentication required", [("WWW-Authenticate", challenge)])
                return False
            if auth == "Bearer token-1" and f.get("scope_change") and self.path != "/v2/":
                self.error(401, "UNAUTHORIZED", "insufficient scope", [(
                    "WWW-Authenticate",
                    challenge + ',error="insufficient_scope",scope="repository:other/thing:pull"')])
                return False
        return True

    def serve_token(self, f):
        with lock:
            counters["tokens"] += 1
            n = counters["tokens"]
        log("token %d query=%s" % (n, self.path.split("?", 1)[-1]))
        body = json.dumps({"token": "token-%d" % n, "expires_in": 300}).encode()
        self.send(200, body, [("Content-Type", "application/json")])

    def serve_manifest(self, f, ref):
        digest, media_type = (ref, None) if ref.startswith("sha256:") else resolve_tag(ref)
        path = blob_path(digest) if digest else None
        if path is None:
            return self.error(404, "MANIFEST_UNKNOWN", "manifest unknown")
        body = open(path, "rb").read()
        if media_type is None:
            media_type = json.loads(body).get("mediaType", "application/vnd.oci.image.manifest.v1+json")
        if f.get("schema1"):
            media_type = "application/vnd.docker.distribution.manifest.v1+prettyjws"
        if f.get("huge_manifest"):
            body = body + b" " * (5 << 20)
        header_digest = digest
        if f.get("wrong_digest_header"):
            header_digest = "sha256:" + "0" * 64
        self.send(200, body, [("Content-Type", media_type), ("Docker-Content-Digest", header_digest)])

    def serve_blob(self, f, digest, storage=False):
        path = blob_path(digest)
        if path is None:
            return self.error(404, "BLOB_UNKNOWN", "blob unknown to registry")
        with lock:
            failing = "fail" in f and counters["fail"] < f["fail"][1]
            if failing:
                counters["fail"] += 1
            cut = "cut_after" in f and counters["cut"] == 0 and not failing
            if cut:
                counters["cut"] += 1
        if failing:
            code = f["fail"][0]
            extra = [("Retry-After", "1")] if code == 429 else []
            return self.error(code, "UNAVAILABLE" if code != 429 else "TOOMANYREQUESTS",
                              "try again later", extra)
        data = open(path, "rb").read()
        if f.get("corrupt_blob"):
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        if f.get("short_blob"):
            data = data[:-1]
        start, status, headers = 0, 200, [("Content-Type", "application/octet-stream"),
                                          ("Docker-Content-Digest", digest)]
        rng = self.headers.get("Range")
        if rng and not f.get("ignore_range") and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            if start >= len(data):
                return self.send(416, b"")
            status = 206
            headers.append(("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data))))
        body = data[start:]
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if cut:
            self.wfile.write(body[:f["cut_after"]])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


class StorageHandler(Handler):
    server_name = "storage"


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that hang up on purpose (size limits) are expected


def serve(handler, port_file):
    server = QuietServer(("127.0.0.1", 0), handler)
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(port_file + ".tmp", port_file)
    return server


storage = serve(StorageHandler, os.path.join(state_dir, "storage.port"))
threading.Thread(target=storage.serve_forever, daemon=True).start()
serve(Handler, os.path.join(state_dir, "fake.port")).serve_forever()
