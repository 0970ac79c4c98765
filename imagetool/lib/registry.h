/* A client for the OCI distribution API (Docker Registry HTTP API v2):
 * what `mcimg pull` needs from the network.
 *
 *     mcimg_registry_opts_t opts = { .insecure = false };
 *     mcimg_registry_t *reg;
 *     mcimg_manifest_t m = { 0 };
 *     if (mcimg_registry_new ("ghcr.io", &opts, &reg, err) < 0
 *         || mcimg_registry_get_manifest (reg, "org/app", "v1", NULL, &m, err) < 0)
 *       ...
 *
 * Transport: https with the system CA store, plus the *.crt CAs and a
 * NAME.cert + NAME.key client pair of a containers-style cert_dir (default
 * /etc/containers/certs.d/DOMAIN or /etc/docker/certs.d/DOMAIN, when they
 * exist).  `insecure` (tls_verify=false) turns certificate checks off and,
 * when https does not answer at all, falls back to plain http, as docker
 * does for insecure registries; without it http is never used, localhost
 * included (podman's rule).  The https/http choice is made once, by the
 * `GET /v2/` ping.
 *
 * Auth: the ping's 401 challenge selects Basic (credentials on every
 * request) or Bearer (tokens from the realm for `repository:NAME:pull`,
 * cached per scope until they expire, fetched anonymously or with Basic
 * credentials); a 401 with a new challenge later (another scope, an
 * expired token) gets one fresh token and one retry.  Credentials come
 * from opts.userpass, else the auth files of auth-file.h.  They are only
 * ever sent as an Authorization header built here, to the registry's own
 * origin (scheme, host and port) or the token realm: redirects are
 * followed by this code, not libcurl, and a hop to another origin (object
 * storage) gets no Authorization.  Nothing logs or reports credentials.
 *
 * Robustness: connection errors, 5xx and 429 are retried with exponential
 * backoff (opts.retries times, base 250 ms doubling, each wait at most
 * 10 s, Retry-After honoured within that bound); a blob transfer cut off
 * halfway resumes with `Range: bytes=N-` and, if the server ignores the
 * Range, the bytes already seen are skipped, so the sink sees each byte
 * once, in order.  Manifests are limited to 4 MiB, their sha256 checked
 * against Docker-Content-Digest and against a requested digest; blobs are
 * checked for size and sha256 as they stream.  Schema 1 manifests are
 * refused.
 *
 * Threads: a registry handle may be used from several threads at once; each
 * request borrows its own curl easy handle from a pool, the token cache and
 * the ping state are under a mutex, and the DNS and TLS session caches are
 * shared through a CURLSH.  The connection cache is not shared (libcurl
 * does not support sharing it between concurrent threads): each pooled
 * easy handle keeps its own connections alive.
 *
 * Errors read "registry DOMAIN: CAUSE", the cause from the registry's JSON
 * error body when there is one: "registry localhost:5000: manifest unknown
 * (404)"; the caller adds "pull REF: ".  */
#ifndef MCIMG_REGISTRY_H
#define MCIMG_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#define MCIMG_MEDIA_DOCKER_MANIFEST \
  "application/vnd.docker.distribution.manifest.v2+json"
#define MCIMG_MEDIA_DOCKER_LIST \
  "application/vnd.docker.distribution.manifest.list.v2+json"
#define MCIMG_MEDIA_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MCIMG_MEDIA_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MCIMG_MEDIA_DOCKER_SCHEMA1 \
  "application/vnd.docker.distribution.manifest.v1+json"
#define MCIMG_MEDIA_DOCKER_SCHEMA1_SIGNED \
  "application/vnd.docker.distribution.manifest.v1+prettyjws"

/* All four manifest kinds, indexes first.  */
#define MCIMG_MANIFEST_ACCEPT_ALL                                             \
  MCIMG_MEDIA_OCI_INDEX ", " MCIMG_MEDIA_DOCKER_LIST ", "                    \
  MCIMG_MEDIA_OCI_MANIFEST ", " MCIMG_MEDIA_DOCKER_MANIFEST

#define MCIMG_MANIFEST_MAX (4u << 20)

typedef struct mcimg_registry mcimg_registry_t;

typedef struct mcimg_registry_opts
{
  const char *userpass;  /* explicit "user:pass"; NULL: the auth files */
  const char *auth_file; /* read only this file; NULL: the default list */
  bool anonymous;        /* never send credentials */
  const char *cert_dir;  /* CA/client certs; NULL: the default dirs */
  bool insecure;         /* no TLS verification; http if https fails */
  int retries;           /* for transient failures: 0 = 4; < 0 = none */
  unsigned retry_base_ms;   /* first backoff; 0 = 250 */
  unsigned stall_timeout_s; /* abort a transfer idle this long; 0 = 60 */
  const char *user_agent;   /* NULL: "mcimg/VERSION" */
} mcimg_registry_opts_t;

/* `domain` as in a reference: "docker.io" (which talks to
   registry-1.docker.io), "localhost:5000", "[::1]:5000".  Credentials and
   certificates are loaded here; the network is first used by a request. */
int mcimg_registry_new (const char *domain, const mcimg_registry_opts_t *opts,
                        mcimg_registry_t **out, mc_error_t *err);
void mcimg_registry_free (mcimg_registry_t *reg);

typedef struct mcimg_manifest
{
  char *body;       /* NUL-terminated for convenience; len excludes it */
  size_t len;
  char *media_type; /* Content-Type without parameters, or the body's
                       mediaType when the server sent a generic type */
  char *digest;     /* "sha256:…" of body, verified */
} mcimg_manifest_t;

/* GET /v2/REPO/manifests/REF (REF a tag or a digest).  `accept` is an
   Accept header value, NULL for MCIMG_MANIFEST_ACCEPT_ALL.  */
int mcimg_registry_get_manifest (mcimg_registry_t *reg, const char *repo,
                                 const char *ref, const char *accept,
                                 mcimg_manifest_t *out, mc_error_t *err);
void mcimg_manifest_clear (mcimg_manifest_t *m);

/* Receives a blob's bytes in order; a negative return (with *err set)
   aborts the download and is returned by get_blob.  */
typedef int (*mcimg_write_cb) (void *data, const void *buf, size_t len,
                               mc_error_t *err);

typedef struct mcimg_blob_fetch
{
  const char *digest; /* "sha256:…" */
  int64_t size;       /* from the descriptor; -1 when unknown */
  mcimg_write_cb write;
  void *data;
  /* Resume: the caller already has the first `offset` bytes and gets only
     the rest.  The sha256 of the whole blob is still checked when
     `prefix_fd` >= 0: the first `offset` bytes are read from it (pread,
     from 0) to seed the hash.  With prefix_fd < 0 only the size is
     checked and the caller must verify the digest.  Ignored when offset
     is 0.  */
  uint64_t offset;
  int prefix_fd;
} mcimg_blob_fetch_t;

/* GET /v2/REPO/blobs/DIGEST, streamed to f->write.  A size or digest
   mismatch is an error naming the blob, never retried.  */
int mcimg_registry_get_blob (mcimg_registry_t *reg, const char *repo,
                             const mcimg_blob_fetch_t *f, mc_error_t *err);

/* The domain the handle was made for.  */
const char *mcimg_registry_domain (const mcimg_registry_t *reg);

#endif
