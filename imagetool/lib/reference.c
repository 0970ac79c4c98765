/* Image reference parsing and normalisation; grammar in reference.h.  */
#include "imagetool/lib/reference.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/xalloc.h"

#define TAG_MAX 128
#define SHA256_HEX_LEN 64

static bool
is_lower_alnum (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool
is_word (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
         || (c >= '0' && c <= '9') || c == '_';
}

static bool
is_lower_hex (char c)
{
  return (c >= 'a' && c <= 'f') || (c >= '0' && c <= '9');
}

static bool
has_upper (const char *s, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if (s[i] >= 'A' && s[i] <= 'Z')
      return true;
  return false;
}

/* [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*  */
bool
mcimg_reference_component_valid (const char *s, size_t len)
{
  size_t i = 0;

  if (len == 0 || !is_lower_alnum (s[0]))
    return false;
  while (i < len)
    {
      if (is_lower_alnum (s[i]))
        {
          i++;
          continue;
        }
      size_t sep = i;
      while (i < len && !is_lower_alnum (s[i]))
        i++;
      size_t n = i - sep;
      bool dashes = strspn (s + sep, "-") >= n;
      bool ok = (n == 1 && (s[sep] == '.' || s[sep] == '_'))
                || (n == 2 && s[sep] == '_' && s[sep + 1] == '_') || dashes;
      /* A separator must be followed by more alphanumerics.  */
      if (!ok || i == len)
        return false;
    }
  return true;
}

bool
mcimg_reference_tag_valid (const char *s)
{
  size_t len = strlen (s);

  if (len == 0 || len > TAG_MAX || !is_word (s[0]))
    return false;
  for (size_t i = 1; i < len; i++)
    if (!is_word (s[i]) && s[i] != '.' && s[i] != '-')
      return false;
  return true;
}

int
mcimg_digest_validate (const char *digest, mc_error_t *err)
{
  const char *colon = strchr (digest, ':');

  if (colon == NULL || colon == digest)
    return mc_error_make (err, 0, "invalid digest `%s`: expected ALGORITHM:HEX",
                          digest);
  if (strncmp (digest, "sha256:", 7) != 0)
    return mc_error_make (err, 0,
                          "invalid digest `%s`: unsupported algorithm `%.*s` "
                          "(only sha256)",
                          digest, (int) (colon - digest), digest);
  const char *hex = colon + 1;
  size_t n = strlen (hex);
  if (n != SHA256_HEX_LEN)
    return mc_error_make (err, 0,
                          "invalid digest `%s`: sha256 needs 64 hex digits, "
                          "not %zu", digest, n);
  for (size_t i = 0; i < n; i++)
    if (!is_lower_hex (hex[i]))
      return mc_error_make (err, 0,
                            "invalid digest `%s`: not lowercase hex", digest);
  return 0;
}

/* A DNS label: [A-Za-z0-9] ( [A-Za-z0-9-]* [A-Za-z0-9] )?  */
static bool
label_valid (const char *s, size_t len)
{
  if (len == 0 || s[0] == '-' || s[len - 1] == '-')
    return false;
  for (size_t i = 0; i < len; i++)
    if (!is_word (s[i]) && s[i] != '-')
      return false;
  return memchr (s, '_', len) == NULL;
}

/* Domain: host[:port] where host is dot-separated labels or [IPv6].
   Returns NULL when valid, else what is wrong.  */
static const char *
domain_problem (const char *d, size_t len)
{
  const char *port = NULL;
  size_t host_len;

  if (d[0] == '[')
    {
      const char *close = memchr (d, ']', len);
      char addr[INET6_ADDRSTRLEN + 1];
      struct in6_addr in6;
      size_t alen;

      if (close == NULL)
        return "unterminated IPv6 address in registry";
      alen = close - d - 1;
      if (alen == 0 || alen >= sizeof addr)
        return "invalid IPv6 address in registry";
      memcpy (addr, d + 1, alen);
      addr[alen] = '\0';
      if (inet_pton (AF_INET6, addr, &in6) != 1)
        return "invalid IPv6 address in registry";
      host_len = close - d + 1;
      if (host_len < len && d[host_len] != ':')
        return "invalid registry host";
    }
  else
    {
      const char *colon = memchr (d, ':', len);
      host_len = colon ? (size_t) (colon - d) : len;
      for (size_t start = 0, i = 0; i <= host_len; i++)
        if (i == host_len || d[i] == '.')
          {
            if (!label_valid (d + start, i - start))
              return "invalid registry host";
            start = i + 1;
          }
    }
  if (host_len < len)
    {
      port = d + host_len + 1;
      size_t plen = len - host_len - 1;
      unsigned long v = 0;

      if (plen == 0 || plen > 5 || strspn (port, "0123456789") < plen)
        return "invalid registry port";
      for (size_t i = 0; i < plen; i++)
        v = v * 10 + (port[i] - '0');
      if (v == 0 || v > 65535)
        return "invalid registry port";
    }
  return NULL;
}

static bool
looks_like_domain (const char *s, size_t len)
{
  return memchr (s, '.', len) || memchr (s, ':', len)
         || (len == 9 && memcmp (s, "localhost", 9) == 0) || has_upper (s, len);
}

static bool
is_hex64 (const char *s, size_t len)
{
  if (len != SHA256_HEX_LEN)
    return false;
  for (size_t i = 0; i < len; i++)
    if (!is_lower_hex (s[i]))
      return false;
  return true;
}

/* Check the repository path; NULL when valid, else a message to free.  */
static char *
path_problem (const char *path)
{
  size_t len = strlen (path);

  if (has_upper (path, len))
    return xstrdup ("repository name must be lowercase");
  for (size_t start = 0, i = 0; i <= len; i++)
    if (i == len || path[i] == '/')
      {
        if (i == start)
          return xstrdup ("repository name has an empty path component");
        if (!mcimg_reference_component_valid (path + start, i - start))
          return xasprintf ("invalid repository name component `%.*s`",
                            (int) (i - start), path + start);
        start = i + 1;
      }
  return NULL;
}

void
mcimg_reference_free (mcimg_reference_t *ref)
{
  if (ref == NULL)
    return;
  free (ref->domain);
  free (ref->path);
  free (ref->tag);
  free (ref->digest);
  free (ref);
}

#define BAD_REF(fmt, ...) \
  mc_error_make (err, 0, "invalid reference `%s`: " fmt, s, ##__VA_ARGS__)

int
mcimg_reference_parse (const char *s, mcimg_reference_t **out, mc_error_t *err)
{
  cleanup_reference mcimg_reference_t *ref = xzalloc (sizeof (*ref));
  cleanup_free char *name = NULL;
  cleanup_free char *problem = NULL;
  const char *at, *slash, *colon, *why;
  size_t name_len;

  if (*s == '\0')
    return mc_error_make (err, 0, "invalid reference: empty");

  at = strchr (s, '@');
  name_len = at ? (size_t) (at - s) : strlen (s);
  if (at)
    {
      cleanup_error mc_error_t derr = NULL;
      if (at[1] == '\0')
        return BAD_REF ("empty digest after `@`");
      if (mcimg_digest_validate (at + 1, &derr) < 0)
        return BAD_REF ("%s", derr->msg);
      ref->digest = xstrdup (at + 1);
    }

  /* The tag is after the last ':' that follows the last '/', so a port in
     the domain (`localhost:5000/app`) is never taken for a tag.  */
  name = xstrndup (s, name_len);
  slash = strrchr (name, '/');
  colon = strrchr (slash ? slash : name, ':');
  if (colon)
    {
      if (!mcimg_reference_tag_valid (colon + 1))
        return BAD_REF ("invalid tag `%s`", colon + 1);
      ref->tag = xstrdup (colon + 1);
      name[colon - name] = '\0';
    }
  if (name[0] == '\0')
    return BAD_REF ("repository name is empty");
  if (is_hex64 (name, strlen (name)))
    return BAD_REF ("a 64-character hex string is not a repository name");

  slash = strchr (name, '/');
  if (slash && looks_like_domain (name, slash - name))
    {
      if ((why = domain_problem (name, slash - name)))
        return BAD_REF ("%s `%.*s`", why, (int) (slash - name), name);
      ref->domain = xstrndup (name, slash - name);
      ref->path = xstrdup (slash + 1);
      if (strcmp (ref->domain, "index.docker.io") == 0)
        {
          free (ref->domain);
          ref->domain = xstrdup (MCIMG_DOCKER_HUB_DOMAIN);
        }
    }
  else
    {
      ref->domain = xstrdup (MCIMG_DOCKER_HUB_DOMAIN);
      ref->path = xstrdup (name);
    }
  if ((problem = path_problem (ref->path)))
    return BAD_REF ("%s", problem);
  if (strcmp (ref->domain, MCIMG_DOCKER_HUB_DOMAIN) == 0
      && strchr (ref->path, '/') == NULL)
    {
      char *p = xasprintf ("library/%s", ref->path);
      free (ref->path);
      ref->path = p;
    }
  if (strlen (ref->domain) + 1 + strlen (ref->path) > MCIMG_NAME_MAX)
    return BAD_REF ("repository name is longer than %d characters",
                    MCIMG_NAME_MAX);
  if (ref->tag == NULL && ref->digest == NULL)
    ref->tag = xstrdup ("latest");
  *out = steal_ptr (&ref);
  return 0;
}

char *
mcimg_reference_string (const mcimg_reference_t *ref)
{
  return xasprintf ("%s/%s%s%s%s%s", ref->domain, ref->path,
                    ref->tag ? ":" : "", ref->tag ? ref->tag : "",
                    ref->digest ? "@" : "", ref->digest ? ref->digest : "");
}

const char *
mcimg_reference_object (const mcimg_reference_t *ref)
{
  return ref->digest ? ref->digest : ref->tag;
}

const char *
mcimg_registry_api_host (const char *domain)
{
  if (strcmp (domain, MCIMG_DOCKER_HUB_DOMAIN) == 0)
    return MCIMG_DOCKER_HUB_API_HOST;
  return domain;
}
