/* WWW-Authenticate parsing, token replies and the token cache.  */
#include "imagetool/lib/registry-auth.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <yajl/yajl_tree.h>

#include "common/cleanup.h"
#include "common/xalloc.h"

#define DEFAULT_TOKEN_LIFETIME 60
#define MAX_TOKEN_MARGIN 10.0

struct mcimg_token_entry
{
  char *scope;
  char *token;
  double expires; /* monotonic seconds */
};

/* RFC 7230 tchar.  */
static bool
is_tchar (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
         || (c >= '0' && c <= '9') || (c && strchr ("!#$%&'*+-.^_`|~", c));
}

static const char *
skip_ows (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

static const char *
skip_ows_commas (const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == ',')
    p++;
  return p;
}

static size_t
token_len (const char *p)
{
  size_t n = 0;
  while (is_tchar (p[n]))
    n++;
  return n;
}

/* A quoted-string at p (p[0] == '"'): its unescaped value, or NULL when it
   is not terminated.  *end is set past the closing quote.  */
static char *
quoted_string (const char *p, const char **end)
{
  char *out = xmalloc (strlen (p) + 1), *o = out;

  for (p++; *p && *p != '"'; p++)
    {
      if (*p == '\\' && p[1])
        p++;
      *o++ = *p;
    }
  if (*p != '"')
    {
      free (out);
      return NULL;
    }
  *o = '\0';
  *end = p + 1;
  return out;
}

void
mcimg_auth_challenge_clear (mcimg_auth_challenge_t *c)
{
  free (c->realm);
  free (c->service);
  free (c->scope);
  free (c->error);
  memset (c, 0, sizeof (*c));
}

static char *
dup_or_null (const char *s)
{
  return s ? xstrdup (s) : NULL;
}

void
mcimg_auth_challenge_copy (mcimg_auth_challenge_t *dst,
                           const mcimg_auth_challenge_t *src)
{
  dst->scheme = src->scheme;
  dst->realm = dup_or_null (src->realm);
  dst->service = dup_or_null (src->service);
  dst->scope = dup_or_null (src->scope);
  dst->error = dup_or_null (src->error);
}

static void
set_param (mcimg_auth_challenge_t *c, const char *name, size_t name_len,
           char *value)
{
  char **slot = NULL;

  if (name_len == 5 && strncasecmp (name, "realm", 5) == 0)
    slot = &c->realm;
  else if (name_len == 7 && strncasecmp (name, "service", 7) == 0)
    slot = &c->service;
  else if (name_len == 5 && strncasecmp (name, "scope", 5) == 0)
    slot = &c->scope;
  else if (name_len == 5 && strncasecmp (name, "error", 5) == 0)
    slot = &c->error;
  if (slot == NULL)
    {
      free (value);
      return;
    }
  free (*slot);
  *slot = value;
}

int
mcimg_auth_challenge_parse (const char *header, mcimg_auth_challenge_t *out,
                            mc_error_t *err)
{
  mcimg_auth_challenge_t basic = { 0 }, bearer = { 0 };
  const char *p = skip_ows_commas (header);

  while (*p)
    {
      size_t slen = token_len (p);
      mcimg_auth_challenge_t *cur = NULL, ignored = { 0 };

      if (slen == 0)
        goto bad;
      if (slen == 6 && strncasecmp (p, "Bearer", 6) == 0 && !bearer.scheme)
        cur = &bearer, cur->scheme = MCIMG_AUTH_BEARER;
      else if (slen == 5 && strncasecmp (p, "Basic", 5) == 0 && !basic.scheme)
        cur = &basic, cur->scheme = MCIMG_AUTH_BASIC;
      else
        cur = &ignored;
      p = skip_ows (p + slen);

      /* Parameters until a token that is not followed by '=', which
         starts the next challenge.  */
      for (;;)
        {
          const char *name = p;
          size_t nlen = token_len (p);
          const char *q = skip_ows (p + nlen);
          char *value;

          /* No "name=": the next challenge's scheme, or the end.  */
          if (nlen == 0 || *q != '=')
            break;
          q = skip_ows (q + 1);
          if (*q == '=')
            {
              /* token68 credentials (`Negotiate YWJj==`): not ours.  */
              q += strspn (q, "=");
              p = skip_ows_commas (q);
              break;
            }
          if (*q == '"')
            {
              value = quoted_string (q, &q);
              if (value == NULL)
                goto bad;
            }
          else
            {
              size_t vlen = token_len (q);
              value = xstrndup (q, vlen);
              q += vlen;
            }
          set_param (cur, name, nlen, value);
          q = skip_ows (q);
          if (*q != ',' && *q != '\0')
            goto bad;
          p = skip_ows_commas (q);
          if (*p == '\0')
            break;
        }
      mcimg_auth_challenge_clear (&ignored);
      p = skip_ows_commas (p);
    }

  if (bearer.scheme)
    {
      if (bearer.realm == NULL || *bearer.realm == '\0')
        {
          mcimg_auth_challenge_clear (&bearer);
          mcimg_auth_challenge_clear (&basic);
          return mc_error_make (err, 0,
                                "Bearer challenge without a realm: `%s`",
                                header);
        }
      mcimg_auth_challenge_clear (&basic);
      *out = bearer;
      return 0;
    }
  if (basic.scheme)
    {
      *out = basic;
      return 0;
    }
  memset (out, 0, sizeof (*out));
  return mc_error_make (err, 0, "no supported authentication scheme in `%s`",
                        header);

bad:
  mcimg_auth_challenge_clear (&bearer);
  mcimg_auth_challenge_clear (&basic);
  return mc_error_make (err, 0, "malformed WWW-Authenticate header `%s`",
                        header);
}

int
mcimg_auth_token_parse (const char *body, size_t len, char **token,
                        long *expires_in, mc_error_t *err)
{
  static const char *token_path[] = { "token", NULL };
  static const char *access_path[] = { "access_token", NULL };
  static const char *expires_path[] = { "expires_in", NULL };
  cleanup_free char *copy = xstrndup (body, len);
  char errbuf[256];
  yajl_val root, t, e;

  root = yajl_tree_parse (copy, errbuf, sizeof errbuf);
  if (root == NULL || !YAJL_IS_OBJECT (root))
    {
      yajl_tree_free (root);
      return mc_error_make (err, 0, "token reply is not a JSON object");
    }
  /* Docker's `token` and OAuth2's `access_token` are the same thing;
     prefer `token` when both are present, as the spec says.  */
  t = yajl_tree_get (root, token_path, yajl_t_string);
  if (t == NULL || *YAJL_GET_STRING (t) == '\0')
    t = yajl_tree_get (root, access_path, yajl_t_string);
  if (t == NULL || *YAJL_GET_STRING (t) == '\0')
    {
      yajl_tree_free (root);
      return mc_error_make (err, 0, "token reply has no token");
    }
  *expires_in = DEFAULT_TOKEN_LIFETIME;
  e = yajl_tree_get (root, expires_path, yajl_t_number);
  if (e && YAJL_IS_INTEGER (e) && YAJL_GET_INTEGER (e) > 0)
    *expires_in = (long) YAJL_GET_INTEGER (e);
  *token = xstrdup (YAJL_GET_STRING (t));
  yajl_tree_free (root);
  return 0;
}

static void
entry_clear (struct mcimg_token_entry *e)
{
  free (e->scope);
  if (e->token)
    explicit_bzero (e->token, strlen (e->token));
  free (e->token);
}

const char *
mcimg_token_cache_get (mcimg_token_cache_t *c, const char *scope, double now)
{
  for (size_t i = 0; i < c->len; i++)
    if (strcmp (c->entries[i].scope, scope) == 0)
      return now < c->entries[i].expires ? c->entries[i].token : NULL;
  return NULL;
}

void
mcimg_token_cache_drop (mcimg_token_cache_t *c, const char *scope)
{
  for (size_t i = 0; i < c->len; i++)
    if (strcmp (c->entries[i].scope, scope) == 0)
      {
        entry_clear (&c->entries[i]);
        c->entries[i] = c->entries[--c->len];
        return;
      }
}

void
mcimg_token_cache_put (mcimg_token_cache_t *c, const char *scope,
                       const char *token, long expires_in, double now)
{
  double margin = expires_in / 10.0;
  struct mcimg_token_entry *e;

  if (margin > MAX_TOKEN_MARGIN)
    margin = MAX_TOKEN_MARGIN;
  mcimg_token_cache_drop (c, scope);
  c->entries = xgrow (c->entries, c->len, sizeof (*c->entries));
  e = &c->entries[c->len++];
  e->scope = xstrdup (scope);
  e->token = xstrdup (token);
  e->expires = now + expires_in - margin;
}

void
mcimg_token_cache_clear (mcimg_token_cache_t *c)
{
  for (size_t i = 0; i < c->len; i++)
    entry_clear (&c->entries[i]);
  free (c->entries);
  c->entries = NULL;
  c->len = 0;
}

char *
mcimg_auth_basic_header (const char *user, const char *pass)
{
  size_t ulen = strlen (user), plen = strlen (pass);
  size_t raw_len = ulen + 1 + plen;
  char *raw = xmalloc (raw_len + 1);
  char *out = xmalloc (sizeof "Authorization: Basic " + 4 * (raw_len / 3 + 1));

  memcpy (raw, user, ulen);
  raw[ulen] = ':';
  memcpy (raw + ulen + 1, pass, plen);
  strcpy (out, "Authorization: Basic ");
  EVP_EncodeBlock ((unsigned char *) out + strlen (out),
                   (const unsigned char *) raw, (int) raw_len);
  explicit_bzero (raw, raw_len);
  free (raw);
  return out;
}
