/* Shared by registry.c (session: ping, auth, retries), registry-fetch.c
 * (manifests and blobs) and registry-http.c (one HTTP exchange with
 * libcurl).  Not a public interface.  */
#ifndef MCIMG_REGISTRY_INTERNAL_H
#define MCIMG_REGISTRY_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <curl/curl.h>

#include "imagetool/lib/auth-file.h"
#include "imagetool/lib/registry-auth.h"
#include "imagetool/lib/registry.h"

#define REG_POOL_MAX 8
#define REG_ERROR_BODY_MAX (64u << 10)

struct mcimg_registry
{
  char *domain; /* as in references, for messages and credentials */
  char *host;   /* host[:port] to connect to */
  bool insecure;
  int retries;
  unsigned retry_base_ms;
  unsigned stall_timeout_s;
  char *user_agent;

  mcimg_credentials_t creds; /* username NULL: anonymous */

  /* TLS material from cert_dir.  */
  char *ca_blob; /* system bundle + cert_dir CAs, or NULL for the default */
  size_t ca_blob_len;
  char *client_cert, *client_key;

  CURLSH *share;
  pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];

  /* `lock` guards everything below; `auth_lock` serialises the ping and
     token fetches (network I/O is never done under `lock`).  */
  pthread_mutex_t lock;
  pthread_mutex_t auth_lock;
  CURL *pool[REG_POOL_MAX];
  size_t pool_len;
  char *base_url; /* "https://host" once pinged */
  mcimg_auth_challenge_t challenge;
  mcimg_token_cache_t tokens;
};

/* One HTTP request/response, with no retry, redirect or auth logic.  */
typedef struct reg_exchange
{
  const char *method; /* "GET" or "HEAD" */
  const char *url;
  const char *accept;        /* Accept value or NULL */
  const char *authorization; /* whole header line or NULL */
  uint64_t range_from;       /* > 0: Range: bytes=N- */

  /* 2xx body: streamed to `write` (after dropping `range_from` bytes when
     the server answered 200 to a Range request), or buffered in the
     response up to `max_body` bytes when write is NULL.  Other bodies are
     kept (64 KiB at most) for error messages.  */
  mcimg_write_cb write;
  void *data;
  size_t max_body;
  uint64_t delivered; /* bytes given to `write`, over all attempts */
} reg_exchange_t;

typedef struct reg_response
{
  long status; /* 0 when no HTTP response arrived */
  char *content_type;
  char *docker_digest;
  char *www_authenticate; /* all such headers, joined with ", " */
  char *location;         /* absolute redirect target */
  char *content_range;
  long retry_after; /* seconds, -1 when absent */
  char *body;
  size_t body_len;
  bool transient; /* a failed exchange that is worth retrying */
} reg_response_t;

void reg_response_clear (reg_response_t *r);

/* Borrow / return a curl easy handle.  */
CURL *reg_handle_get (mcimg_registry_t *reg);
void reg_handle_put (mcimg_registry_t *reg, CURL *h);

/* Perform one exchange.  Returns 0 when an HTTP response arrived (any
   status), < 0 otherwise, with r->transient telling whether to retry.  */
int reg_http_exchange (mcimg_registry_t *reg, CURL *h, reg_exchange_t *x,
                       reg_response_t *r, mc_error_t *err);

/* "manifest unknown (404)", from the JSON error body when there is one.  */
char *reg_http_error_message (const reg_response_t *r);

/* Whether two absolute URLs have the same scheme, host and port.  */
bool reg_same_origin (const char *a, const char *b);

/* TLS material and the share: set up / torn down with the handle.  */
int reg_http_init (mcimg_registry_t *reg, const char *cert_dir,
                   mc_error_t *err);
void reg_http_fini (mcimg_registry_t *reg);

/* A request to the registry: ping, auth, redirects and retries included.
   `path` starts with "/v2/".  Returns 0 with the final response (any
   status but a retried one), < 0 on failure.  */
int reg_request (mcimg_registry_t *reg, const char *path, const char *scope,
                 reg_exchange_t *x, reg_response_t *r, mc_error_t *err);

/* "repository:NAME:pull" (caller frees).  */
char *reg_pull_scope (const char *repo);

#endif
