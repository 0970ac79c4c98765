#!/usr/bin/python3
"""A token server for docker-registry's `auth: token` mode, for tests only.

    token-server.py DIR

Listens on a free 127.0.0.1 port (written to DIR/token.port) and answers
GET /token?service=S&scope=repository:NAME:ACTIONS[&scope=...] with
{"token", "access_token", "expires_in", "issued_at"}.  Tokens are ES256 JWTs
signed with DIR/token.key whose certificate DIR/token.crt travels in the x5c
header (the registry trusts it through `rootcertbundle`).

Access policy: a request with a valid Basic user (TOKEN_USERS="user:pass")
gets what it asks for; wrong credentials get 401; anonymous requests get
`pull` on every repository except those under private/.

Each request appends one line to DIR/token.log:
    account=NAME auth=ok|anonymous|bad scope=SCOPE[ SCOPE...]
(no secrets).  TOKEN_EXPIRES sets expires_in (default 300).
"""
import base64
import datetime
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization

ISSUER = "mcimg-test-issuer"
SERVICE = "mcimg-test-registry"

state_dir = sys.argv[1]
with open(os.path.join(state_dir, "token.key"), "rb") as f:
    signing_key = serialization.load_pem_private_key(f.read(), password=None)
with open(os.path.join(state_dir, "token.crt"), "rb") as f:
    cert = x509.load_pem_x509_certificate(f.read())
# x5c: standard base64 (not url-safe) of the DER certificate.
x5c = [base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()]
users = dict(u.split(":", 1) for u in os.environ.get("TOKEN_USERS", "").split() if ":" in u)
expires_in = int(os.environ.get("TOKEN_EXPIRES", "300"))
log_lock = threading.Lock()


def log(line):
    with log_lock, open(os.path.join(state_dir, "token.log"), "a") as f:
        f.write(line + "\n")


def check_basic(header):
    """(account, verdict) for an Authorization header."""
    if not header:
        return None, "anonymous"
    try:
        kind, value = header.split(" ", 1)
        user, password = base64.b64decode(value).decode().split(":", 1)
    except Exception:
        return None, "bad"
    if kind.lower() != "basic" or users.get(user) != password:
        return user, "bad"
    return user, "ok"


def grant(scope, authenticated):
    parts = scope.split(":")
    if len(parts) < 3 or parts[0] != "repository":
        return None
    name, actions = ":".join(parts[1:-1]), parts[-1].split(",")
    if not authenticated:
        if name.startswith("private/"):
            return None
        actions = [a for a in actions if a == "pull"]
    return {"type": "repository", "name": name, "actions": actions}


class Handler(BaseHTTPRequestHandler):
    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="mcimg-test-token"')
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path != "/token":
            return self.reply(404, {"errors": [{"code": "NOT_FOUND", "message": "no such endpoint"}]})
        query = urllib.parse.parse_qs(url.query)
        scopes = query.get("scope", [])
        account, verdict = check_basic(self.headers.get("Authorization"))
        log("account=%s auth=%s scope=%s" % (account or "-", verdict, " ".join(scopes) or "-"))
        if verdict == "bad":
            return self.reply(401, {"errors": [{"code": "UNAUTHORIZED", "message": "authentication required"}]})
        if query.get("service", [None])[0] != SERVICE:
            return self.reply(400, {"errors": [{"code": "DENIED", "message": "unknown service"}]})
        access = [g for g in (grant(s, verdict == "ok") for s in scopes) if g]
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": account or "",
            "aud": SERVICE,  # a plain string: distribution 2.8 rejects a list
            "exp": now + expires_in,
            "nbf": now - 10,
            "iat": now,
            "jti": base64.b16encode(os.urandom(8)).decode(),
            "access": access,
        }
        token = jwt.encode(claims, signing_key, algorithm="ES256", headers={"x5c": x5c})
        issued = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
        self.reply(200, {
            "token": token,
            "access_token": token,
            "expires_in": expires_in,
            "issued_at": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        })

    def log_message(self, fmt, *args):
        sys.stderr.write("token-server: " + (fmt % args) + "\n")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
port_file = os.path.join(state_dir, "token.port")
with open(port_file + ".tmp", "w") as f:
    f.write("%d\n" % server.server_address[1])
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
