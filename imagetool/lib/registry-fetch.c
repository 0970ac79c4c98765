/* Manifests and blobs: the requests, size limits and digest checks.  */
#include "imagetool/lib/registry-internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <yajl/yajl_tree.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "imagetool/lib/reference.h"

#define PREFIX_CHUNK (64u << 10)

static EVP_MD_CTX *
sha256_new (void)
{
  EVP_MD_CTX *md = EVP_MD_CTX_new ();

  if (md == NULL || EVP_DigestInit_ex (md, EVP_sha256 (), NULL) != 1)
    xoom ();
  return md;
}

/* "sha256:<hex>" of what `md` has seen; frees md.  */
static char *
sha256_finish (EVP_MD_CTX *md)
{
  unsigned char sum[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  char *out = xmalloc (sizeof "sha256:" + 2 * 32);
  char *p;

  EVP_DigestFinal_ex (md, sum, &n);
  EVP_MD_CTX_free (md);
  p = stpcpy (out, "sha256:");
  for (unsigned int i = 0; i < n; i++)
    p += sprintf (p, "%02x", sum[i]);
  return out;
}

/* Repository paths and tags end up in URLs: check them first.  */
static int
check_repo_and_ref (const char *repo, const char *ref, mc_error_t *err)
{
  size_t len = strlen (repo);

  for (size_t start = 0, i = 0; i <= len; i++)
    if (i == len || repo[i] == '/')
      {
        if (!mcimg_reference_component_valid (repo + start, i - start))
          return mc_error_make (err, 0, "invalid repository name `%s`", repo);
        start = i + 1;
      }
  if (ref && strchr (ref, ':'))
    return mcimg_digest_validate (ref, err);
  if (ref && !mcimg_reference_tag_valid (ref))
    return mc_error_make (err, 0, "invalid tag `%s`", ref);
  return 0;
}

void
mcimg_manifest_clear (mcimg_manifest_t *m)
{
  free (m->body);
  free (m->media_type);
  free (m->digest);
  memset (m, 0, sizeof (*m));
}

static bool
is_manifest_type (const char *t)
{
  return strcmp (t, MCIMG_MEDIA_OCI_INDEX) == 0
         || strcmp (t, MCIMG_MEDIA_OCI_MANIFEST) == 0
         || strcmp (t, MCIMG_MEDIA_DOCKER_LIST) == 0
         || strcmp (t, MCIMG_MEDIA_DOCKER_MANIFEST) == 0;
}

static bool
is_schema1 (const char *t)
{
  return strcmp (t, MCIMG_MEDIA_DOCKER_SCHEMA1) == 0
         || strcmp (t, MCIMG_MEDIA_DOCKER_SCHEMA1_SIGNED) == 0;
}

/* The media type: Content-Type without parameters, unless it is generic
   (application/json, text/plain, none), then the body's mediaType, or
   schema 1 when the body says schemaVersion 1.  */
static char *
manifest_media_type (const reg_response_t *r)
{
  static const char *media_path[] = { "mediaType", NULL };
  static const char *version_path[] = { "schemaVersion", NULL };
  cleanup_free char *ct = NULL;
  char errbuf[128];
  char *out = NULL;

  if (r->content_type)
    {
      ct = xstrndup (r->content_type, strcspn (r->content_type, "; \t"));
      if (is_manifest_type (ct) || is_schema1 (ct))
        return steal_ptr (&ct);
    }
  yajl_val root = yajl_tree_parse (r->body, errbuf, sizeof errbuf);
  yajl_val mt = root ? yajl_tree_get (root, media_path, yajl_t_string) : NULL;
  yajl_val sv = root ? yajl_tree_get (root, version_path, yajl_t_number)
                     : NULL;
  if (mt)
    out = xstrdup (YAJL_GET_STRING (mt));
  else if (sv && YAJL_IS_INTEGER (sv) && YAJL_GET_INTEGER (sv) == 1)
    out = xstrdup (MCIMG_MEDIA_DOCKER_SCHEMA1);
  yajl_tree_free (root);
  if (out == NULL)
    out = ct ? steal_ptr (&ct) : xstrdup ("application/octet-stream");
  return out;
}

int
mcimg_registry_get_manifest (mcimg_registry_t *reg, const char *repo,
                             const char *ref, const char *accept,
                             mcimg_manifest_t *out, mc_error_t *err)
{
  cleanup_free char *path = NULL;
  cleanup_free char *scope = NULL;
  cleanup_free char *media_type = NULL;
  cleanup_free char *digest = NULL;
  reg_response_t r = { .retry_after = -1 };
  reg_exchange_t x = { .method = "GET",
                       .accept = accept ? accept : MCIMG_MANIFEST_ACCEPT_ALL,
                       .max_body = MCIMG_MANIFEST_MAX };
  int ret = 0;

  if (check_repo_and_ref (repo, ref, err) < 0)
    return mc_error_prefix (err, "registry %s", reg->domain);
  path = xasprintf ("/v2/%s/manifests/%s", repo, ref);
  scope = reg_pull_scope (repo);
  if (reg_request (reg, path, scope, &x, &r, err) < 0)
    {
      reg_response_clear (&r);
      return -1;
    }
  if (r.status != 200)
    {
      cleanup_free char *msg = reg_http_error_message (&r);
      reg_response_clear (&r);
      return mc_error_make (err, 0, "registry %s: %s", reg->domain, msg);
    }
  if (r.body == NULL)
    r.body = xstrdup ("");

  media_type = manifest_media_type (&r);
  EVP_MD_CTX *md = sha256_new ();
  EVP_DigestUpdate (md, r.body, r.body_len);
  digest = sha256_finish (md);

  if (is_schema1 (media_type))
    ret = mc_error_make (err, 0,
                         "registry %s: manifest `%s` is Docker schema 1 (%s), "
                         "which is not supported: push the image again with "
                         "a current tool",
                         reg->domain, ref, media_type);
  else if (r.docker_digest && strncmp (r.docker_digest, "sha256:", 7) == 0
           && strcmp (r.docker_digest, digest) != 0)
    ret = mc_error_make (err, 0,
                         "registry %s: manifest `%s`: digest mismatch: "
                         "Docker-Content-Digest is %s but the content is %s",
                         reg->domain, ref, r.docker_digest, digest);
  else if (strchr (ref, ':') && strcmp (ref, digest) != 0)
    ret = mc_error_make (err, 0,
                         "registry %s: manifest `%s`: digest mismatch: "
                         "the content is %s",
                         reg->domain, ref, digest);
  if (ret < 0)
    {
      reg_response_clear (&r);
      return ret;
    }
  out->body = steal_ptr (&r.body);
  out->len = r.body_len;
  out->media_type = steal_ptr (&media_type);
  out->digest = steal_ptr (&digest);
  reg_response_clear (&r);
  return 0;
}

/* ---- blobs ---------------------------------------------------------- */

struct blob_sink
{
  const mcimg_blob_fetch_t *f;
  EVP_MD_CTX *md;       /* NULL when the caller verifies the digest */
  uint64_t received;    /* bytes of the blob seen, including f->offset */
};

static int
blob_write (void *data, const void *buf, size_t len, mc_error_t *err)
{
  struct blob_sink *s = data;
  const mcimg_blob_fetch_t *f = s->f;

  if (f->size >= 0 && s->received + len > (uint64_t) f->size)
    return mc_error_make (err, 0,
                          "blob %s: size mismatch: more than the expected "
                          "%lld bytes", f->digest, (long long) f->size);
  if (s->md)
    EVP_DigestUpdate (s->md, buf, len);
  if (f->write (f->data, buf, len, err) < 0)
    return -1;
  s->received += len;
  return 0;
}

/* Hash the bytes the caller already has.  */
static int
hash_prefix (struct blob_sink *s, mc_error_t *err)
{
  const mcimg_blob_fetch_t *f = s->f;
  cleanup_free char *buf = xmalloc (PREFIX_CHUNK);
  uint64_t done = 0;

  while (done < f->offset)
    {
      size_t want = f->offset - done < PREFIX_CHUNK ? f->offset - done
                                                    : PREFIX_CHUNK;
      ssize_t n = pread (f->prefix_fd, buf, want, (off_t) done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return mc_error_make (err, errno, "blob %s: read the partial download",
                              f->digest);
      if (n == 0)
        return mc_error_make (err, 0,
                              "blob %s: the partial download has fewer than "
                              "%llu bytes", f->digest,
                              (unsigned long long) f->offset);
      EVP_DigestUpdate (s->md, buf, n);
      done += n;
    }
  return 0;
}

/* Compare what was received with the descriptor.  */
static int
blob_verify (struct blob_sink *s, mc_error_t *err)
{
  const mcimg_blob_fetch_t *f = s->f;

  if (f->size >= 0 && s->received != (uint64_t) f->size)
    return mc_error_make (err, 0,
                          "blob %s: size mismatch: got %llu bytes, expected "
                          "%lld", f->digest,
                          (unsigned long long) s->received,
                          (long long) f->size);
  if (s->md)
    {
      cleanup_free char *got = sha256_finish (steal_ptr (&s->md));
      if (strcmp (got, f->digest) != 0)
        return mc_error_make (err, 0,
                              "blob %s: digest mismatch: the content is %s",
                              f->digest, got);
    }
  return 0;
}

int
mcimg_registry_get_blob (mcimg_registry_t *reg, const char *repo,
                         const mcimg_blob_fetch_t *f, mc_error_t *err)
{
  struct blob_sink s = { .f = f, .received = f->offset };
  cleanup_free char *path = NULL;
  cleanup_free char *scope = NULL;
  reg_response_t r = { .retry_after = -1 };
  reg_exchange_t x = { .method = "GET", .range_from = f->offset,
                       .write = blob_write, .data = &s };
  int ret = 0;

  if (check_repo_and_ref (repo, f->digest, err) < 0)
    return mc_error_prefix (err, "registry %s", reg->domain);
  if (f->size >= 0 && f->offset > (uint64_t) f->size)
    return mc_error_make (err, 0,
                          "registry %s: blob %s: resume offset %llu is past "
                          "its size %lld", reg->domain, f->digest,
                          (unsigned long long) f->offset, (long long) f->size);
  if (f->offset == 0 || f->prefix_fd >= 0)
    s.md = sha256_new ();
  if (f->offset > 0 && s.md && hash_prefix (&s, err) < 0)
    ret = mc_error_prefix (err, "registry %s", reg->domain);
  /* Everything is already there: only the check is left.  */
  else if (f->size >= 0 && f->offset == (uint64_t) f->size)
    ;
  else
    {
      path = xasprintf ("/v2/%s/blobs/%s", repo, f->digest);
      scope = reg_pull_scope (repo);
      if (reg_request (reg, path, scope, &x, &r, err) < 0)
        ret = -1;
      else if (r.status != 200 && r.status != 206)
        {
          cleanup_free char *msg = reg_http_error_message (&r);
          ret = mc_error_make (err, 0, "registry %s: blob %s: %s",
                               reg->domain, f->digest, msg);
        }
      reg_response_clear (&r);
      if (ret < 0)
        {
          if (s.md)
            EVP_MD_CTX_free (s.md);
          return ret;
        }
    }
  if (ret == 0 && blob_verify (&s, err) < 0)
    ret = mc_error_prefix (err, "registry %s", reg->domain);
  if (s.md)
    EVP_MD_CTX_free (s.md);
  return ret;
}
