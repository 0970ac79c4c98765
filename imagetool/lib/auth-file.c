/* Credentials from auth files, and login/logout; see auth-file.h.  */
#include "imagetool/lib/auth-file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/reference.h"

#define AUTH_FILE_MAX (4u << 20)

static void
wipe_free (char *s)
{
  if (s)
    {
      explicit_bzero (s, strlen (s));
      free (s);
    }
}

void
mcimg_credentials_clear (mcimg_credentials_t *c)
{
  wipe_free (c->username);
  wipe_free (c->password);
  c->username = c->password = NULL;
}

int
mcimg_credentials_parse (const char *userpass, mcimg_credentials_t *out,
                         mc_error_t *err)
{
  const char *colon = strchr (userpass, ':');

  if (colon == NULL || colon == userpass)
    return mc_error_make (err, 0,
                          "credentials must be USERNAME:PASSWORD "
                          "with a non-empty username");
  out->username = xstrndup (userpass, colon - userpass);
  out->password = xstrdup (colon + 1);
  return 0;
}

char *
mcimg_auth_key_normalize (const char *key)
{
  char *k;
  size_t n;

  if (strncmp (key, "https://", 8) == 0 || strncmp (key, "http://", 7) == 0)
    {
      /* An URL-style key names a whole registry: keep the host only.  */
      const char *host = strstr (key, "://") + 3;
      k = xstrndup (host, strcspn (host, "/"));
    }
  else
    k = xstrdup (key);
  n = strlen (k);
  while (n > 0 && k[n - 1] == '/')
    k[--n] = '\0';

  static const char *hub_aliases[] = { "index.docker.io",
                                       "registry-1.docker.io" };
  for (size_t i = 0; i < 2; i++)
    {
      size_t alen = strlen (hub_aliases[i]);
      if (strncmp (k, hub_aliases[i], alen) == 0
          && (k[alen] == '\0' || k[alen] == '/'))
        {
          char *rest = k + alen;
          /* index.docker.io/v1 is the old Hub API path, not a namespace. */
          if (strcmp (rest, "/v1") == 0)
            rest = "";
          char *nk = xasprintf ("%s%s", MCIMG_DOCKER_HUB_DOMAIN, rest);
          free (k);
          return nk;
        }
    }
  return k;
}

/* How well `key` matches registry/repo: its length, or 0 for no match.  */
static size_t
key_match (const char *key, const char *registry, const char *repo)
{
  size_t rlen = strlen (registry), klen = strlen (key);

  if (strcmp (key, registry) == 0)
    return klen;
  if (repo == NULL || klen <= rlen || strncmp (key, registry, rlen) != 0
      || key[rlen] != '/')
    return 0;
  /* A namespace key: a prefix of the repository at a '/' boundary.  */
  const char *ns = key + rlen + 1;
  size_t nslen = strlen (ns);
  if (strncmp (repo, ns, nslen) == 0
      && (repo[nslen] == '\0' || repo[nslen] == '/'))
    return klen;
  return 0;
}

static int
decode_auth (const char *b64, const char *what, const char *key,
             mcimg_credentials_t *out, mc_error_t *err)
{
  size_t len = strlen (b64);
  cleanup_free unsigned char *raw = xmalloc (len + 1);
  int n;

  n = len ? EVP_DecodeBlock (raw, (const unsigned char *) b64, (int) len) : -1;
  if (n < 0 || len % 4 != 0)
    return mc_error_make (err, 0, "%s: entry `%s`: `auth` is not base64",
                          what, key);
  /* EVP_DecodeBlock counts the padding as zero bytes.  */
  for (size_t i = len; i > 0 && b64[i - 1] == '='; i--)
    n--;
  raw[n] = '\0';
  if (memchr (raw, '\0', n) != NULL
      || mcimg_credentials_parse ((char *) raw, out, err) < 0)
    {
      explicit_bzero (raw, len);
      mc_error_release (err);
      return mc_error_make (err, 0,
                            "%s: entry `%s`: `auth` is not base64 of "
                            "USERNAME:PASSWORD", what, key);
    }
  explicit_bzero (raw, len);
  return 0;
}

int
mcimg_auth_json_lookup (const char *json, size_t len, const char *what,
                        const char *registry_in, const char *repo,
                        mcimg_credentials_t *out, mc_error_t *err)
{
  static const char *auths_path[] = { "auths", NULL };
  static const char *auth_path[] = { "auth", NULL };
  cleanup_free char *copy = xstrndup (json, len);
  cleanup_free char *registry = mcimg_auth_key_normalize (registry_in);
  char errbuf[256];
  yajl_val root, auths, best = NULL;
  const char *best_key = NULL;
  size_t best_len = 0;
  int ret;

  root = yajl_tree_parse (copy, errbuf, sizeof errbuf);
  if (root == NULL)
    return mc_error_make (err, 0, "%s: invalid JSON: %s", what,
                          strtok (errbuf, "\n"));
  if (!YAJL_IS_OBJECT (root))
    {
      yajl_tree_free (root);
      return mc_error_make (err, 0, "%s: not a JSON object", what);
    }
  auths = yajl_tree_get (root, auths_path, yajl_t_any);
  if (auths && !YAJL_IS_OBJECT (auths))
    {
      yajl_tree_free (root);
      return mc_error_make (err, 0, "%s: `auths` is not an object", what);
    }
  for (size_t i = 0; auths && i < auths->u.object.len; i++)
    {
      cleanup_free char *k = mcimg_auth_key_normalize (auths->u.object.keys[i]);
      size_t m = key_match (k, registry, repo);
      if (m > best_len)
        {
          best_len = m;
          best = auths->u.object.values[i];
          best_key = auths->u.object.keys[i];
        }
    }
  if (best == NULL)
    {
      yajl_tree_free (root);
      return 0;
    }
  yajl_val auth = yajl_tree_get (best, auth_path, yajl_t_string);
  if (auth == NULL || *YAJL_GET_STRING (auth) == '\0')
    {
      /* An entry without "auth" (identitytoken only, or a credsStore
         placeholder) gives nothing usable: anonymous.  */
      yajl_tree_free (root);
      return 0;
    }
  ret = decode_auth (YAJL_GET_STRING (auth), what, best_key, out, err);
  yajl_tree_free (root);
  return ret < 0 ? ret : 1;
}

/* The auth files in search order; NULL entries are skipped.  */
static void
auth_file_candidates (char *paths[4])
{
  const char *env, *home = getenv ("HOME");

  memset (paths, 0, 4 * sizeof (char *));
  if ((env = getenv ("REGISTRY_AUTH_FILE")) && *env)
    paths[0] = xstrdup (env);
  if ((env = getenv ("XDG_RUNTIME_DIR")) && *env)
    paths[1] = xasprintf ("%s/containers/auth.json", env);
  if ((env = getenv ("XDG_CONFIG_HOME")) && *env)
    paths[2] = xasprintf ("%s/containers/auth.json", env);
  else if (home && *home)
    paths[2] = xasprintf ("%s/.config/containers/auth.json", home);
  if ((env = getenv ("DOCKER_CONFIG")) && *env)
    paths[3] = xasprintf ("%s/config.json", env);
  else if (home && *home)
    paths[3] = xasprintf ("%s/.docker/config.json", home);
}

static int
lookup_file (const char *path, bool missing_ok, const char *registry,
             const char *repo, mcimg_credentials_t *out, mc_error_t *err)
{
  cleanup_free char *data = NULL;
  size_t len;
  int ret;

  if (mc_read_file_at (AT_FDCWD, path, AUTH_FILE_MAX, &data, &len, err) < 0)
    {
      if ((*err)->status == ENOENT && missing_ok)
        {
          mc_error_release (err);
          return 0;
        }
      return -1;
    }
  ret = mcimg_auth_json_lookup (data, len, path, registry, repo, out, err);
  explicit_bzero (data, len);
  return ret;
}

int
mcimg_credentials_find (const char *file, const char *registry,
                        const char *repo, mcimg_credentials_t *out,
                        mc_error_t *err)
{
  char *paths[4];
  int ret = 0;

  if (file)
    return lookup_file (file, false, registry, repo, out, err);
  auth_file_candidates (paths);
  for (size_t i = 0; i < 4; i++)
    {
      if (paths[i] && ret == 0)
        ret = lookup_file (paths[i], true, registry, repo, out, err);
      free (paths[i]);
    }
  return ret;
}

char *
mcimg_auth_file_default_path (void)
{
  const char *env, *home = getenv ("HOME");

  if ((env = getenv ("REGISTRY_AUTH_FILE")) && *env)
    return xstrdup (env);
  if ((env = getenv ("XDG_RUNTIME_DIR")) && *env)
    return xasprintf ("%s/containers/auth.json", env);
  return xasprintf ("%s/.docker/config.json", home && *home ? home : "/root");
}

/* Re-emit a parsed JSON value unchanged.  */
static void
gen_value (yajl_gen g, yajl_val v)
{
  if (YAJL_IS_STRING (v))
    yajl_gen_string (g, (const unsigned char *) v->u.string,
                     strlen (v->u.string));
  else if (YAJL_IS_NUMBER (v))
    yajl_gen_number (g, v->u.number.r, strlen (v->u.number.r));
  else if (YAJL_IS_TRUE (v) || YAJL_IS_FALSE (v))
    yajl_gen_bool (g, YAJL_IS_TRUE (v));
  else if (YAJL_IS_OBJECT (v))
    {
      yajl_gen_map_open (g);
      for (size_t i = 0; i < v->u.object.len; i++)
        {
          const char *k = v->u.object.keys[i];
          yajl_gen_string (g, (const unsigned char *) k, strlen (k));
          gen_value (g, v->u.object.values[i]);
        }
      yajl_gen_map_close (g);
    }
  else if (YAJL_IS_ARRAY (v))
    {
      yajl_gen_array_open (g);
      for (size_t i = 0; i < v->u.array.len; i++)
        gen_value (g, v->u.array.values[i]);
      yajl_gen_array_close (g);
    }
  else
    yajl_gen_null (g);
}

static void
gen_str (yajl_gen g, const char *s)
{
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

/* Emit the "auths" map without `registry`'s entries, plus the new one.  */
static bool
gen_auths (yajl_gen g, yajl_val auths, const char *registry,
           const char *new_auth)
{
  bool removed = false;

  yajl_gen_map_open (g);
  for (size_t i = 0; auths && i < auths->u.object.len; i++)
    {
      cleanup_free char *k = mcimg_auth_key_normalize (auths->u.object.keys[i]);
      if (strcmp (k, registry) == 0)
        {
          removed = true;
          continue;
        }
      gen_str (g, auths->u.object.keys[i]);
      gen_value (g, auths->u.object.values[i]);
    }
  if (new_auth)
    {
      gen_str (g, registry);
      yajl_gen_map_open (g);
      gen_str (g, "auth");
      gen_str (g, new_auth);
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
  return removed;
}

/* Rewrite `file` with registry's entry replaced by new_auth (NULL:
   removed).  */
static int
update_auth_file (const char *file_in, const char *registry_in,
                  const char *new_auth, mc_error_t *err)
{
  cleanup_free char *file = file_in ? xstrdup (file_in)
                                    : mcimg_auth_file_default_path ();
  cleanup_free char *registry = mcimg_auth_key_normalize (registry_in);
  cleanup_free char *data = NULL;
  cleanup_free char *dir = NULL;
  yajl_val root = NULL, auths = NULL;
  char errbuf[256];
  size_t len;
  bool removed;
  const unsigned char *out;
  size_t out_len;
  int ret;

  if (mc_read_file_at (AT_FDCWD, file, AUTH_FILE_MAX, &data, &len, err) < 0)
    {
      if ((*err)->status != ENOENT)
        return -1;
      mc_error_release (err);
    }
  else
    {
      root = yajl_tree_parse (data, errbuf, sizeof errbuf);
      if (root == NULL || !YAJL_IS_OBJECT (root))
        {
          yajl_tree_free (root);
          return mc_error_make (err, 0, "%s: not a JSON object", file);
        }
      for (size_t i = 0; i < root->u.object.len; i++)
        if (strcmp (root->u.object.keys[i], "auths") == 0
            && YAJL_IS_OBJECT (root->u.object.values[i]))
          auths = root->u.object.values[i];
    }

  yajl_gen g = yajl_gen_alloc (NULL);
  yajl_gen_config (g, yajl_gen_beautify, 1);
  yajl_gen_config (g, yajl_gen_indent_string, "\t");
  yajl_gen_map_open (g);
  gen_str (g, "auths");
  removed = gen_auths (g, auths, registry, new_auth);
  for (size_t i = 0; root && i < root->u.object.len; i++)
    if (strcmp (root->u.object.keys[i], "auths") != 0)
      {
        gen_str (g, root->u.object.keys[i]);
        gen_value (g, root->u.object.values[i]);
      }
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &out, &out_len);
  yajl_tree_free (root);
  if (data)
    explicit_bzero (data, len);

  if (new_auth == NULL && !removed)
    {
      yajl_gen_free (g);
      return mc_error_make (err, 0, "not logged in to %s (in %s)", registry,
                            file);
    }
  dir = xstrdup (file);
  ret = mc_mkdir_p (dirname (dir), 0700, err);
  if (ret >= 0)
    ret = mc_write_file_atomic_at (AT_FDCWD, file, out, out_len, 0600, 1,
                                   err);
  explicit_bzero ((void *) out, out_len);
  yajl_gen_free (g);
  return ret;
}

int
mcimg_login (const char *file, const char *registry,
             const mcimg_credentials_t *creds, mc_error_t *err)
{
  size_t ulen = strlen (creds->username), plen = strlen (creds->password);
  size_t raw_len = ulen + 1 + plen;
  char *raw, *b64;
  int ret;

  if (ulen == 0 || strchr (creds->username, ':'))
    return mc_error_make (err, 0, "login %s: invalid username", registry);
  raw = xmalloc (raw_len + 1);
  b64 = xmalloc (4 * (raw_len / 3 + 1) + 1);
  memcpy (raw, creds->username, ulen);
  raw[ulen] = ':';
  memcpy (raw + ulen + 1, creds->password, plen);
  EVP_EncodeBlock ((unsigned char *) b64, (unsigned char *) raw,
                   (int) raw_len);
  ret = update_auth_file (file, registry, b64, err);
  wipe_free (b64);
  explicit_bzero (raw, raw_len);
  free (raw);
  if (ret < 0)
    return mc_error_prefix (err, "login %s", registry);
  return 0;
}

int
mcimg_logout (const char *file, const char *registry, mc_error_t *err)
{
  if (update_auth_file (file, registry, NULL, err) < 0)
    return mc_error_prefix (err, "logout %s", registry);
  return 0;
}
