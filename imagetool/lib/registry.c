/* Registry sessions: the handle, the /v2/ ping, authentication (Basic and
 * Bearer tokens), redirects and retries.  See registry.h.  */
#include "imagetool/lib/registry-internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "imagetool/lib/reference.h"

#define DEFAULT_RETRIES 4
#define DEFAULT_RETRY_BASE_MS 250u
#define RETRY_MAX_MS 10000u
#define DEFAULT_STALL_TIMEOUT_S 60u
#define MAX_REDIRECTS 10
#define TOKEN_REPLY_MAX (1u << 20)

const char *
mcimg_registry_domain (const mcimg_registry_t *reg)
{
  return reg->domain;
}

static double
monotonic_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
sleep_ms (unsigned ms)
{
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

char *
reg_pull_scope (const char *repo)
{
  return xasprintf ("repository:%s:pull", repo);
}

static void
global_init (void)
{
  curl_global_init (CURL_GLOBAL_DEFAULT);
}

int
mcimg_registry_new (const char *domain, const mcimg_registry_opts_t *opts,
                    mcimg_registry_t **out, mc_error_t *err)
{
  static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
  static const mcimg_registry_opts_t defaults = { 0 };
  mcimg_registry_t *reg;

  if (opts == NULL)
    opts = &defaults;
  /* curl_global_init is not thread-safe; do it once, before any handle. */
  pthread_once (&curl_once, global_init);

  reg = xzalloc (sizeof (*reg));
  reg->domain = xstrdup (domain);
  reg->host = xstrdup (mcimg_registry_api_host (domain));
  reg->insecure = opts->insecure;
  reg->retries = opts->retries == 0 ? DEFAULT_RETRIES
                 : opts->retries < 0 ? 0 : opts->retries;
  reg->retry_base_ms = opts->retry_base_ms ? opts->retry_base_ms
                                           : DEFAULT_RETRY_BASE_MS;
  reg->stall_timeout_s = opts->stall_timeout_s ? opts->stall_timeout_s
                                               : DEFAULT_STALL_TIMEOUT_S;
  reg->user_agent = xstrdup (opts->user_agent ? opts->user_agent
                                              : "mcimg/" PACKAGE_VERSION);
  pthread_mutex_init (&reg->lock, NULL);
  pthread_mutex_init (&reg->auth_lock, NULL);

  if (!opts->anonymous)
    {
      int r = 0;
      if (opts->userpass)
        r = mcimg_credentials_parse (opts->userpass, &reg->creds, err);
      else
        r = mcimg_credentials_find (opts->auth_file, domain, NULL,
                                    &reg->creds, err);
      if (r < 0)
        {
          mcimg_registry_free (reg);
          return mc_error_prefix (err, "registry %s", domain);
        }
    }
  if (reg_http_init (reg, opts->cert_dir, err) < 0)
    {
      mcimg_registry_free (reg);
      return mc_error_prefix (err, "registry %s", domain);
    }
  *out = reg;
  return 0;
}

void
mcimg_registry_free (mcimg_registry_t *reg)
{
  if (reg == NULL)
    return;
  reg_http_fini (reg);
  mcimg_credentials_clear (&reg->creds);
  mcimg_auth_challenge_clear (&reg->challenge);
  mcimg_token_cache_clear (&reg->tokens);
  pthread_mutex_destroy (&reg->lock);
  pthread_mutex_destroy (&reg->auth_lock);
  free (reg->domain);
  free (reg->host);
  free (reg->user_agent);
  free (reg->base_url);
  free (reg);
}

/* ---- retries and redirects ----------------------------------------- */

static unsigned
backoff_ms (const mcimg_registry_t *reg, int attempt, long retry_after)
{
  unsigned ms = reg->retry_base_ms;

  for (int i = 0; i < attempt && ms < RETRY_MAX_MS; i++)
    ms *= 2;
  if (retry_after > 0 && (unsigned long) retry_after * 1000 > ms)
    ms = retry_after * 1000 > RETRY_MAX_MS ? RETRY_MAX_MS
                                           : (unsigned) retry_after * 1000;
  return ms < RETRY_MAX_MS ? ms : RETRY_MAX_MS;
}

static bool
is_redirect (long status)
{
  return status == 301 || status == 302 || status == 303 || status == 307
         || status == 308;
}

/* One attempt: the request and the redirects it leads to.  x->authorization
   is sent only to URLs of the same origin as `auth_origin`.  */
static int
exchange_following_redirects (mcimg_registry_t *reg, CURL *h,
                              reg_exchange_t *x, const char *auth_origin,
                              reg_response_t *r, mc_error_t *err)
{
  const char *auth = x->authorization;
  const char *first_url = x->url;
  cleanup_free char *url = xstrdup (x->url);
  int ret = 0;

  for (int hop = 0;; hop++)
    {
      x->url = url;
      x->authorization = auth_origin && reg_same_origin (url, auth_origin)
                             ? auth : NULL;
      ret = reg_http_exchange (reg, h, x, r, err);
      if (ret < 0 || !is_redirect (r->status) || r->location == NULL)
        break;
      if (hop == MAX_REDIRECTS)
        {
          ret = mc_error_make (err, 0, "GET %s: more than %d redirects",
                               first_url, MAX_REDIRECTS);
          break;
        }
      free (url);
      url = steal_ptr (&r->location);
    }
  x->url = first_url;
  x->authorization = auth;
  return ret;
}

/* The attempt loop: transient failures (connection errors, 5xx, 429) are
   retried with backoff.  A streamed body resumes where it stopped.  */
static int
exchange_with_retries (mcimg_registry_t *reg, reg_exchange_t *x,
                       const char *auth_origin, int retries,
                       reg_response_t *r, mc_error_t *err)
{
  CURL *h = reg_handle_get (reg);
  uint64_t start = x->range_from;
  int ret;

  for (int attempt = 0;; attempt++)
    {
      bool transient;

      if (x->write)
        x->range_from = start + x->delivered;
      mc_error_release (err);
      ret = exchange_following_redirects (reg, h, x, auth_origin, r, err);
      transient = ret < 0 ? r->transient
                          : (r->status >= 500 || r->status == 429);
      if (!transient || attempt >= retries)
        break;
      sleep_ms (backoff_ms (reg, attempt, ret < 0 ? -1 : r->retry_after));
    }
  x->range_from = start;
  reg_handle_put (reg, h);
  return ret;
}

/* ---- ping and auth --------------------------------------------------- */

/* GET /v2/ once per handle: picks https or (insecure only) http and learns
   the auth challenge.  Called with auth_lock held.  */
static int
ping_locked (mcimg_registry_t *reg, mc_error_t *err)
{
  static const char *schemes[] = { "https", "http" };
  cleanup_free char *first_error = NULL;
  reg_response_t r = { .retry_after = -1 };
  mcimg_auth_challenge_t challenge = { 0 };
  int ret = -1;
  size_t i;

  if (reg->base_url)
    return 0;
  for (i = 0; i < (reg->insecure ? 2u : 1u); i++)
    {
      cleanup_free char *url = xasprintf ("%s://%s/v2/", schemes[i],
                                          reg->host);
      reg_exchange_t x = { .method = "GET", .url = url,
                           .max_body = REG_ERROR_BODY_MAX };
      /* An insecure registry that does not speak https at all should not
         cost a round of retries before http is tried.  */
      int retries = reg->insecure && i == 0 ? 0 : reg->retries;

      ret = exchange_with_retries (reg, &x, NULL, retries, &r, err);
      if (ret == 0)
        break;
      if (i == 0 && reg->insecure)
        {
          first_error = mc_error_string (*err);
          mc_error_release (err);
        }
    }
  if (ret < 0)
    {
      if (first_error)
        mc_error_prefix (err, "%s; then", first_error);
      reg_response_clear (&r);
      return -1;
    }
  if (r.status == 401)
    {
      if (r.www_authenticate == NULL)
        ret = mc_error_make (err, 0, "/v2/ answered 401 without a challenge");
      else
        ret = mcimg_auth_challenge_parse (r.www_authenticate, &challenge,
                                          err);
    }
  else if (r.status < 200 || r.status > 299)
    {
      cleanup_free char *msg = reg_http_error_message (&r);
      ret = mc_error_make (err, 0, "not a registry: GET /v2/: %s", msg);
    }
  reg_response_clear (&r);
  if (ret < 0)
    return ret;
  pthread_mutex_lock (&reg->lock);
  reg->base_url = xasprintf ("%s://%s", schemes[i], reg->host);
  mcimg_auth_challenge_clear (&reg->challenge);
  reg->challenge = challenge;
  pthread_mutex_unlock (&reg->lock);
  return 0;
}

static char *
url_escape (const char *s)
{
  char *e = curl_easy_escape (NULL, s, 0);
  char *out;

  if (e == NULL)
    xoom ();
  out = xstrdup (e);
  curl_free (e);
  return out;
}

/* Ask the realm for a token covering `scope` (and `extra_scope`, the one a
   401 challenge named, if different).  Called with auth_lock held.  */
static int
fetch_token_locked (mcimg_registry_t *reg, const mcimg_auth_challenge_t *ch,
                    const char *scope, const char *extra_scope,
                    mc_error_t *err)
{
  cleanup_free char *url = xasprintf ("%s%c", ch->realm,
                                      strchr (ch->realm, '?') ? '&' : '?');
  cleanup_free char *token = NULL;
  cleanup_free char *basic = NULL;
  reg_response_t r = { .retry_after = -1 };
  long expires_in;
  const char *params[][2] = {
    { "service", ch->service },
    { "scope", scope },
    { "scope", extra_scope && strcmp (extra_scope, scope) ? extra_scope
                                                          : NULL },
    { "account", reg->creds.username },
  };

  for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
    if (params[i][1])
      {
        cleanup_free char *v = url_escape (params[i][1]);
        char *next = xasprintf ("%s%s=%s&", url, params[i][0], v);
        free (url);
        url = next;
      }
  url[strlen (url) - 1] = '\0';
  if (reg->creds.username)
    basic = mcimg_auth_basic_header (reg->creds.username,
                                     reg->creds.password);

  reg_exchange_t x = { .method = "GET", .url = url, .authorization = basic,
                       .accept = "application/json",
                       .max_body = TOKEN_REPLY_MAX };
  int ret = exchange_with_retries (reg, &x, ch->realm, reg->retries, &r,
                                   err);
  if (basic)
    explicit_bzero (basic, strlen (basic));
  if (ret < 0)
    return mc_error_prefix (err, "token server");
  if (r.status == 401 || r.status == 403)
    ret = mc_error_make (err, 0,
                         "unauthorized: authentication required (token "
                         "server `%s` answered %ld)", ch->realm, r.status);
  else if (r.status != 200)
    {
      cleanup_free char *msg = reg_http_error_message (&r);
      ret = mc_error_make (err, 0, "token server `%s`: %s", ch->realm, msg);
    }
  else if (mcimg_auth_token_parse (r.body, r.body_len, &token, &expires_in,
                                   err) < 0)
    ret = mc_error_prefix (err, "token server `%s`", ch->realm);
  reg_response_clear (&r);
  if (ret < 0)
    return ret;
  pthread_mutex_lock (&reg->lock);
  mcimg_token_cache_put (&reg->tokens, scope, token, expires_in,
                         monotonic_now ());
  pthread_mutex_unlock (&reg->lock);
  explicit_bzero (token, strlen (token));
  return 0;
}

/* The Authorization header line for a request needing `scope` (NULL for
   none), or NULL for an anonymous request.  */
static int
authorization_for (mcimg_registry_t *reg, const char *scope,
                   const char *extra_scope, char **out, mc_error_t *err)
{
  mcimg_auth_challenge_t ch = { 0 };
  const char *cached;
  int ret = 0;

  *out = NULL;
  pthread_mutex_lock (&reg->auth_lock);
  pthread_mutex_lock (&reg->lock);
  mcimg_auth_challenge_copy (&ch, &reg->challenge);
  pthread_mutex_unlock (&reg->lock);

  if (ch.scheme == MCIMG_AUTH_BASIC && reg->creds.username)
    *out = mcimg_auth_basic_header (reg->creds.username, reg->creds.password);
  else if (ch.scheme == MCIMG_AUTH_BEARER && scope)
    {
      pthread_mutex_lock (&reg->lock);
      cached = mcimg_token_cache_get (&reg->tokens, scope, monotonic_now ());
      pthread_mutex_unlock (&reg->lock);
      if (cached == NULL)
        ret = fetch_token_locked (reg, &ch, scope, extra_scope, err);
      if (ret == 0)
        {
          pthread_mutex_lock (&reg->lock);
          cached = mcimg_token_cache_get (&reg->tokens, scope,
                                          monotonic_now ());
          if (cached)
            *out = xasprintf ("Authorization: Bearer %s", cached);
          pthread_mutex_unlock (&reg->lock);
        }
    }
  pthread_mutex_unlock (&reg->auth_lock);
  mcimg_auth_challenge_clear (&ch);
  return ret;
}

/* A 401 to an authenticated or anonymous request: adopt the new challenge
   and forget the token for `scope`.  Returns 1 when a retry makes sense. */
static int
handle_unauthorized (mcimg_registry_t *reg, const reg_response_t *r,
                     const char *scope, char **extra_scope, mc_error_t *err)
{
  mcimg_auth_challenge_t ch = { 0 };
  bool retry;

  if (r->www_authenticate == NULL)
    return 0;
  if (mcimg_auth_challenge_parse (r->www_authenticate, &ch, err) < 0)
    return -1;
  pthread_mutex_lock (&reg->lock);
  if (scope)
    mcimg_token_cache_drop (&reg->tokens, scope);
  mcimg_auth_challenge_clear (&reg->challenge);
  mcimg_auth_challenge_copy (&reg->challenge, &ch);
  pthread_mutex_unlock (&reg->lock);
  /* Basic without credentials cannot do better the second time.  */
  retry = ch.scheme == MCIMG_AUTH_BEARER || reg->creds.username != NULL;
  if (ch.scope)
    *extra_scope = steal_ptr (&ch.scope);
  mcimg_auth_challenge_clear (&ch);
  return retry ? 1 : 0;
}

int
reg_request (mcimg_registry_t *reg, const char *path, const char *scope,
             reg_exchange_t *x, reg_response_t *r, mc_error_t *err)
{
  cleanup_free char *url = NULL;
  cleanup_free char *extra_scope = NULL;
  int ret;

  pthread_mutex_lock (&reg->auth_lock);
  ret = ping_locked (reg, err);
  pthread_mutex_unlock (&reg->auth_lock);
  if (ret < 0)
    return mc_error_prefix (err, "registry %s", reg->domain);
  url = xasprintf ("%s%s", reg->base_url, path);
  x->url = url;

  for (int auth_round = 0;; auth_round++)
    {
      cleanup_free char *auth = NULL;

      ret = authorization_for (reg, scope, extra_scope, &auth, err);
      if (ret < 0)
        break;
      x->authorization = auth;
      ret = exchange_with_retries (reg, x, reg->base_url, reg->retries, r,
                                   err);
      x->authorization = NULL;
      if (auth)
        explicit_bzero (auth, strlen (auth));
      if (ret < 0 || r->status != 401 || auth_round > 0)
        break;
      ret = handle_unauthorized (reg, r, scope, &extra_scope, err);
      if (ret <= 0)
        break;
    }
  x->url = NULL;
  if (ret < 0)
    return mc_error_prefix (err, "registry %s", reg->domain);
  return 0;
}
