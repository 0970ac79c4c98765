/* One HTTP exchange with libcurl, TLS material and registry error bodies.
 * Policy (auth, retries, redirects) lives in registry.c.  */
#include "imagetool/lib/registry-internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <yajl/yajl_tree.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"

#define CONNECT_TIMEOUT_S 30L
#define CA_FILE_MAX (8u << 20)
#define DEFAULT_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt"

void
reg_response_clear (reg_response_t *r)
{
  free (r->content_type);
  free (r->docker_digest);
  free (r->www_authenticate);
  free (r->location);
  free (r->content_range);
  free (r->body);
  memset (r, 0, sizeof (*r));
  r->retry_after = -1;
}

/* ---- share and handle pool ---------------------------------------- */

static void
share_lock (CURL *h, curl_lock_data data, curl_lock_access access, void *p)
{
  mcimg_registry_t *reg = p;
  pthread_mutex_lock (&reg->share_locks[data]);
}

static void
share_unlock (CURL *h, curl_lock_data data, void *p)
{
  mcimg_registry_t *reg = p;
  pthread_mutex_unlock (&reg->share_locks[data]);
}

CURL *
reg_handle_get (mcimg_registry_t *reg)
{
  CURL *h = NULL;

  pthread_mutex_lock (&reg->lock);
  if (reg->pool_len > 0)
    h = reg->pool[--reg->pool_len];
  pthread_mutex_unlock (&reg->lock);
  if (h == NULL && (h = curl_easy_init ()) == NULL)
    xoom ();
  return h;
}

void
reg_handle_put (mcimg_registry_t *reg, CURL *h)
{
  pthread_mutex_lock (&reg->lock);
  if (reg->pool_len < REG_POOL_MAX)
    {
      reg->pool[reg->pool_len++] = h;
      h = NULL;
    }
  pthread_mutex_unlock (&reg->lock);
  if (h)
    curl_easy_cleanup (h);
}

/* ---- TLS material --------------------------------------------------- */

static bool
has_suffix (const char *s, const char *suffix)
{
  size_t n = strlen (s), m = strlen (suffix);
  return n >= m && strcmp (s + n - m, suffix) == 0;
}

static void
append_file (char **buf, size_t *len, const char *path)
{
  cleanup_free char *data = NULL;
  cleanup_error mc_error_t ignored = NULL;
  size_t n;

  if (mc_read_file_at (AT_FDCWD, path, CA_FILE_MAX, &data, &n, &ignored) < 0)
    return;
  *buf = xrealloc (*buf, *len + n + 2);
  memcpy (*buf + *len, data, n);
  *len += n;
  (*buf)[(*len)++] = '\n';
  (*buf)[*len] = '\0';
}

/* containers-certs.d(5): *.crt are extra CAs, NAME.cert + NAME.key a client
   certificate.  The CAs are added to the system bundle in one in-memory
   blob, because CURLOPT_CAINFO_BLOB replaces CURLOPT_CAINFO.  */
static int
load_cert_dir (mcimg_registry_t *reg, const char *dir, mc_error_t *err)
{
  cleanup_dir DIR *d = opendir (dir);
  struct dirent *de;
  char *cas = NULL;
  size_t cas_len = 0;

  if (d == NULL)
    return mc_error_make (err, errno, "open certificate directory `%s`", dir);
  while ((de = readdir (d)))
    {
      cleanup_free char *path = xasprintf ("%s/%s", dir, de->d_name);
      if (has_suffix (de->d_name, ".crt"))
        append_file (&cas, &cas_len, path);
      else if (has_suffix (de->d_name, ".cert") && reg->client_cert == NULL)
        {
          size_t base = strlen (path) - strlen (".cert");
          char *key = xasprintf ("%.*s.key", (int) base, path);
          if (access (key, R_OK) < 0)
            {
              mc_error_make (err, errno,
                             "client certificate `%s` without its key `%s`",
                             path, key);
              free (key);
              free (cas);
              return -1;
            }
          reg->client_cert = xstrdup (path);
          reg->client_key = key;
        }
    }
  if (cas)
    {
      const char *bundle = getenv ("CURL_CA_BUNDLE");
      char *all = NULL;
      size_t all_len = 0;

      append_file (&all, &all_len,
                   bundle && *bundle ? bundle : DEFAULT_CA_BUNDLE);
      all = xrealloc (all, all_len + cas_len + 1);
      memcpy (all + all_len, cas, cas_len + 1);
      reg->ca_blob = all;
      reg->ca_blob_len = all_len + cas_len;
      free (cas);
    }
  return 0;
}

int
reg_http_init (mcimg_registry_t *reg, const char *cert_dir, mc_error_t *err)
{
  for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
    pthread_mutex_init (&reg->share_locks[i], NULL);
  reg->share = curl_share_init ();
  if (reg->share == NULL)
    xoom ();
  curl_share_setopt (reg->share, CURLSHOPT_LOCKFUNC, share_lock);
  curl_share_setopt (reg->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
  curl_share_setopt (reg->share, CURLSHOPT_USERDATA, reg);
  curl_share_setopt (reg->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt (reg->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);

  if (cert_dir)
    return load_cert_dir (reg, cert_dir, err);
  /* The containers and docker default places, when they exist.  */
  const char *roots[] = { "/etc/containers/certs.d", "/etc/docker/certs.d" };
  for (size_t i = 0; i < 2; i++)
    {
      cleanup_free char *dir = xasprintf ("%s/%s", roots[i], reg->domain);
      struct stat st;
      if (stat (dir, &st) == 0 && S_ISDIR (st.st_mode))
        return load_cert_dir (reg, dir, err);
    }
  return 0;
}

void
reg_http_fini (mcimg_registry_t *reg)
{
  for (size_t i = 0; i < reg->pool_len; i++)
    curl_easy_cleanup (reg->pool[i]);
  reg->pool_len = 0;
  if (reg->share)
    curl_share_cleanup (reg->share);
  for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
    pthread_mutex_destroy (&reg->share_locks[i]);
  free (reg->ca_blob);
  free (reg->client_cert);
  free (reg->client_key);
}

/* ---- one exchange --------------------------------------------------- */

struct exchange_state
{
  reg_exchange_t *x;
  reg_response_t *r;
  uint64_t to_skip;   /* bytes of a 200 reply to a Range request to drop */
  bool range_checked;
  mc_error_t sink_err; /* set when our sink refused the data */
};

static char *
header_value (const char *line, size_t len, const char *name)
{
  size_t n = strlen (name);

  if (len <= n || strncasecmp (line, name, n) != 0 || line[n] != ':')
    return NULL;
  const char *v = line + n + 1;
  const char *end = line + len;
  while (v < end && (*v == ' ' || *v == '\t'))
    v++;
  while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
    end--;
  return xstrndup (v, end - v);
}

static void
set_header (char **slot, char *value)
{
  free (*slot);
  *slot = value;
}

static size_t
on_header (char *buf, size_t size, size_t nitems, void *p)
{
  struct exchange_state *s = p;
  reg_response_t *r = s->r;
  size_t len = size * nitems;
  char *v;

  if (len > 5 && strncmp (buf, "HTTP/", 5) == 0)
    {
      /* A new response (after 100 Continue, say): forget the last one. */
      const char *sp = memchr (buf, ' ', len);
      reg_response_clear (r);
      r->status = sp ? strtol (sp + 1, NULL, 10) : 0;
      return len;
    }
  if ((v = header_value (buf, len, "Content-Type")))
    set_header (&r->content_type, v);
  else if ((v = header_value (buf, len, "Docker-Content-Digest")))
    set_header (&r->docker_digest, v);
  else if ((v = header_value (buf, len, "Content-Range")))
    set_header (&r->content_range, v);
  else if ((v = header_value (buf, len, "Retry-After")))
    {
      char *end;
      long secs = strtol (v, &end, 10);
      /* Only the delay-seconds form; an HTTP date is ignored.  */
      r->retry_after = (end != v && *end == '\0' && secs >= 0) ? secs : -1;
      free (v);
    }
  else if ((v = header_value (buf, len, "WWW-Authenticate")))
    {
      if (r->www_authenticate)
        {
          char *joined = xasprintf ("%s, %s", r->www_authenticate, v);
          free (v);
          v = joined;
        }
      set_header (&r->www_authenticate, v);
    }
  return len;
}

static void
buffer_append (reg_response_t *r, const char *buf, size_t n)
{
  r->body = xrealloc (r->body, r->body_len + n + 1);
  memcpy (r->body + r->body_len, buf, n);
  r->body_len += n;
  r->body[r->body_len] = '\0';
}

static size_t
on_body (char *buf, size_t size, size_t nmemb, void *p)
{
  struct exchange_state *s = p;
  reg_exchange_t *x = s->x;
  reg_response_t *r = s->r;
  size_t n = size * nmemb;

  if (r->status < 200 || r->status > 299)
    {
      if (r->body_len < REG_ERROR_BODY_MAX)
        buffer_append (r, buf,
                       n < REG_ERROR_BODY_MAX - r->body_len
                           ? n : REG_ERROR_BODY_MAX - r->body_len);
      return n;
    }
  if (x->write == NULL)
    {
      if (r->body_len + n > x->max_body)
        {
          mc_error_make (&s->sink_err, 0, "GET %s: reply larger than %zu bytes",
                         x->url, x->max_body);
          return 0;
        }
      buffer_append (r, buf, n);
      return n;
    }
  /* A partial reply must start where we asked.  */
  if (r->status == 206 && !s->range_checked)
    {
      unsigned long long start = ~0ull;
      if (r->content_range == NULL
          || sscanf (r->content_range, "bytes %llu-", &start) != 1
          || start != x->range_from)
        {
          mc_error_make (&s->sink_err, 0,
                         "GET %s: asked for bytes from %llu, got Content-Range "
                         "`%s`", x->url, (unsigned long long) x->range_from,
                         r->content_range ? r->content_range : "");
          return 0;
        }
      s->range_checked = true;
    }
  /* The server sent the whole blob although we asked for a range: skip
     what the sink already has.  */
  size_t skip = 0;
  if (r->status == 200 && s->to_skip > 0)
    {
      skip = s->to_skip < n ? (size_t) s->to_skip : n;
      s->to_skip -= skip;
    }
  if (n > skip)
    {
      if (x->write (x->data, buf + skip, n - skip, &s->sink_err) < 0)
        return 0;
      x->delivered += n - skip;
    }
  return n;
}

static bool
is_transient_curl_error (CURLcode c)
{
  switch (c)
    {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
    }
}

static void
set_tls_options (mcimg_registry_t *reg, CURL *h)
{
  if (reg->insecure)
    {
      curl_easy_setopt (h, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt (h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
  if (reg->ca_blob)
    {
      struct curl_blob blob = { .data = reg->ca_blob,
                                .len = reg->ca_blob_len,
                                .flags = CURL_BLOB_NOCOPY };
      curl_easy_setopt (h, CURLOPT_CAINFO_BLOB, &blob);
    }
  if (reg->client_cert)
    {
      curl_easy_setopt (h, CURLOPT_SSLCERT, reg->client_cert);
      curl_easy_setopt (h, CURLOPT_SSLKEY, reg->client_key);
    }
}

/* The exchange's request headers.  The Authorization line is only ever
   set here, from x->authorization, which the caller gives only for the
   origin it belongs to.  */
static struct curl_slist *
request_headers (const reg_exchange_t *x)
{
  struct curl_slist *list = NULL;
  char buf[64];

#define ADD(line)                                  \
  do                                               \
    {                                              \
      struct curl_slist *l = curl_slist_append (list, line); \
      if (l == NULL)                               \
        xoom ();                                   \
      list = l;                                    \
    }                                              \
  while (0)

  if (x->accept)
    {
      cleanup_free char *a = xasprintf ("Accept: %s", x->accept);
      ADD (a);
    }
  if (x->authorization)
    ADD (x->authorization);
  if (x->range_from > 0)
    {
      snprintf (buf, sizeof buf, "Range: bytes=%llu-",
                (unsigned long long) x->range_from);
      ADD (buf);
    }
  return list;
#undef ADD
}

int
reg_http_exchange (mcimg_registry_t *reg, CURL *h, reg_exchange_t *x,
                   reg_response_t *r, mc_error_t *err)
{
  struct exchange_state s = { .x = x, .r = r, .to_skip = x->range_from };
  char errbuf[CURL_ERROR_SIZE] = "";
  struct curl_slist *headers = request_headers (x);
  CURLcode c;
  char *redirect = NULL;

  reg_response_clear (r);
  curl_easy_reset (h);
  curl_easy_setopt (h, CURLOPT_URL, x->url);
  curl_easy_setopt (h, CURLOPT_NOSIGNAL, 1L);
  /* Redirects are followed by registry.c, which decides per origin whether
     Authorization goes along; libcurl must not follow or re-send auth. */
  curl_easy_setopt (h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (h, CURLOPT_UNRESTRICTED_AUTH, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt (h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt (h, CURLOPT_PROTOCOLS,
                    (long) (CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt (h, CURLOPT_SHARE, reg->share);
  curl_easy_setopt (h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (h, CURLOPT_USERAGENT, reg->user_agent);
  curl_easy_setopt (h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt (h, CURLOPT_HEADERDATA, &s);
  curl_easy_setopt (h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt (h, CURLOPT_WRITEDATA, &s);
  curl_easy_setopt (h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
  curl_easy_setopt (h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt (h, CURLOPT_LOW_SPEED_TIME, (long) reg->stall_timeout_s);
  if (strcmp (x->method, "HEAD") == 0)
    curl_easy_setopt (h, CURLOPT_NOBODY, 1L);
  set_tls_options (reg, h);

  c = curl_easy_perform (h);
  curl_slist_free_all (headers);
  if (s.sink_err)
    {
      mc_error_release (err);
      *err = s.sink_err;
      r->transient = false;
      return -1;
    }
  if (c != CURLE_OK)
    {
      r->transient = is_transient_curl_error (c);
      /* The error buffer says more than curl_easy_strerror, when set.  */
      return mc_error_make (err, 0, "%s %s: %s", x->method, x->url,
                            *errbuf ? errbuf : curl_easy_strerror (c));
    }
  curl_easy_getinfo (h, CURLINFO_RESPONSE_CODE, &r->status);
  if (curl_easy_getinfo (h, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK
      && redirect)
    r->location = xstrdup (redirect);
  return 0;
}

/* ---- messages ------------------------------------------------------- */

static const char *
status_text (long status)
{
  switch (status)
    {
    case 400: return "bad request";
    case 401: return "unauthorized";
    case 403: return "denied";
    case 404: return "not found";
    case 405: return "method not allowed";
    case 416: return "range not satisfiable";
    case 429: return "too many requests";
    case 500: return "internal server error";
    case 502: return "bad gateway";
    case 503: return "service unavailable";
    case 504: return "gateway timeout";
    default: return "unexpected HTTP status";
    }
}

/* MANIFEST_UNKNOWN -> "manifest unknown".  */
static char *
code_words (const char *code)
{
  char *w = xstrdup (code);
  for (char *p = w; *p; p++)
    *p = *p == '_' ? ' ' : (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p;
  return w;
}

/* {"errors":[{"code":…,"message":…}]} as "code words: message; …".  */
static char *
json_errors (const reg_response_t *r)
{
  static const char *errors_path[] = { "errors", NULL };
  static const char *code_path[] = { "code", NULL };
  static const char *message_path[] = { "message", NULL };
  cleanup_free char *copy = NULL;
  char errbuf[128];
  char *out = NULL;
  yajl_val root, errors;

  if (r->body == NULL || r->body_len == 0)
    return NULL;
  copy = xstrndup (r->body, r->body_len);
  root = yajl_tree_parse (copy, errbuf, sizeof errbuf);
  errors = root ? yajl_tree_get (root, errors_path, yajl_t_array) : NULL;
  for (size_t i = 0; errors && i < errors->u.array.len; i++)
    {
      yajl_val e = errors->u.array.values[i];
      yajl_val code = yajl_tree_get (e, code_path, yajl_t_string);
      yajl_val msg = yajl_tree_get (e, message_path, yajl_t_string);
      const char *m = msg ? YAJL_GET_STRING (msg) : "";
      cleanup_free char *words = code ? code_words (YAJL_GET_STRING (code))
                                      : NULL;
      cleanup_free char *one = NULL;

      if (words && strncasecmp (m, words, strlen (words)) != 0)
        one = *m ? xasprintf ("%s: %s", words, m) : xstrdup (words);
      else
        one = xstrdup (*m ? m : "error");
      char *next = out ? xasprintf ("%s; %s", out, one) : xstrdup (one);
      free (out);
      out = next;
    }
  yajl_tree_free (root);
  return out;
}

char *
reg_http_error_message (const reg_response_t *r)
{
  cleanup_free char *from_body = json_errors (r);

  if (from_body)
    return xasprintf ("%s (%ld)", from_body, r->status);
  if (r->status == 401)
    return xasprintf ("unauthorized: authentication required (401)");
  return xasprintf ("%s (%ld)", status_text (r->status), r->status);
}

bool
reg_same_origin (const char *a, const char *b)
{
  CURLU *ua = curl_url (), *ub = curl_url ();
  const CURLUPart parts[] = { CURLUPART_SCHEME, CURLUPART_HOST,
                              CURLUPART_PORT };
  bool same = ua && ub && curl_url_set (ua, CURLUPART_URL, a, 0) == CURLUE_OK
              && curl_url_set (ub, CURLUPART_URL, b, 0) == CURLUE_OK;

  for (size_t i = 0; same && i < 3; i++)
    {
      char *pa = NULL, *pb = NULL;
      unsigned flags = parts[i] == CURLUPART_PORT ? CURLU_DEFAULT_PORT : 0;
      same = curl_url_get (ua, parts[i], &pa, flags) == CURLUE_OK
             && curl_url_get (ub, parts[i], &pb, flags) == CURLUE_OK
             && strcasecmp (pa, pb) == 0;
      curl_free (pa);
      curl_free (pb);
    }
  curl_url_cleanup (ua);
  curl_url_cleanup (ub);
  return same;
}
