/* Bundle records: STORE/bundles/<sha256 of DIR's realpath>.json, one JSON
   document per bundle, written atomically.  */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/bundle-internal.h"
#include "spec/json-desc.h"

#define RECORD_MAX (1u << 20)

static const spec_field_t record_fields[] = {
  SPEC_FR (mcimg_bundle_record_t, path, "path", SPEC_STRING, NULL),
  SPEC_F (mcimg_bundle_record_t, image, "image", SPEC_STRING, NULL),
  SPEC_FR (mcimg_bundle_record_t, manifest, "manifest", SPEC_STRING, NULL),
  SPEC_FA (mcimg_bundle_record_t, diff_ids, "diffIds", SPEC_STRV, NULL),
  SPEC_F (mcimg_bundle_record_t, copy, "copy", SPEC_BOOL, NULL),
  SPEC_F (mcimg_bundle_record_t, userns.host, "usernsHost", SPEC_U32, NULL),
  SPEC_F (mcimg_bundle_record_t, userns.size, "usernsSize", SPEC_U32, NULL),
};
static SPEC_TYPE (record_type, mcimg_bundle_record_t, record_fields);

void
mcimg_bundle_record_free (mcimg_bundle_record_t *rec)
{
  spec_free (&record_type, rec);
}

char *
mcimg_bundle_record_name (const char *path)
{
  unsigned char md[SHA256_DIGEST_LENGTH];
  char hex[2 * SHA256_DIGEST_LENGTH + 1];

  SHA256 ((const unsigned char *) path, strlen (path), md);
  for (size_t i = 0; i < sizeof md; i++)
    snprintf (hex + 2 * i, 3, "%02x", md[i]);
  return xasprintf ("bundles/%s.json", hex);
}

int
mcimg_bundle_record_write (mcimg_store_t *store,
                           const mcimg_bundle_record_t *rec, mc_error_t *err)
{
  cleanup_free char *json = NULL, *name = mcimg_bundle_record_name (rec->path);
  int root_fd = mcimg_store_dirfd (store);
  size_t len;

  if (mkdirat (root_fd, "bundles", 0700) < 0 && errno != EEXIST)
    return mc_error_make (err, errno, "mkdir `%s/bundles`",
                          mcimg_store_root (store));
  if (spec_generate (&record_type, rec, true, &json, &len, err) < 0)
    return -1;
  return mc_write_file_atomic_at (root_fd, name, json, len, 0600, 1, err);
}

static int
record_parse (const char *json, size_t len, const char *what,
              mcimg_bundle_record_t **out, mc_error_t *err)
{
  void *p = NULL;

  if (spec_parse (&record_type, json, len, what, &p, err) < 0)
    return -1;
  *out = p;
  return 0;
}

int
mcimg_bundle_record_read (mcimg_store_t *store, const char *path,
                          mcimg_bundle_record_t **out, mc_error_t *err)
{
  cleanup_free char *name = mcimg_bundle_record_name (path), *json = NULL;
  size_t len;

  if (faccessat (mcimg_store_dirfd (store), name, F_OK, 0) < 0)
    return mc_error_make (err, 0, "`%s` is not a bundle of store `%s`", path,
                          mcimg_store_root (store));
  if (mc_read_file_at (mcimg_store_dirfd (store), name, RECORD_MAX, &json,
                       &len, err) < 0)
    return -1;
  return record_parse (json, len, name, out, err);
}

void
mcimg_bundle_record_delete (mcimg_store_t *store, const char *path)
{
  cleanup_free char *name = mcimg_bundle_record_name (path);

  unlinkat (mcimg_store_dirfd (store), name, 0);
}

int
mcimg_bundle_record_each (mcimg_store_t *store,
                          int (*fn) (const mcimg_bundle_record_t *rec,
                                     void *data, mc_error_t *err),
                          void *data, mc_error_t *err)
{
  int fd = openat (mcimg_store_dirfd (store), "bundles",
                   O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_dir DIR *d = NULL;
  struct dirent *de;

  if (fd < 0)
    return errno == ENOENT ? 0
                           : mc_error_make (err, errno, "open `%s/bundles`",
                                            mcimg_store_root (store));
  d = fdopendir (fd);
  if (d == NULL)
    {
      close (fd);
      return mc_error_make (err, errno, "open `%s/bundles`",
                            mcimg_store_root (store));
    }
  while ((de = readdir (d)) != NULL)
    {
      cleanup_free char *json = NULL;
      mcimg_bundle_record_t *rec = NULL;
      size_t len, n = strlen (de->d_name);
      int r;

      /* Only complete records: not `.`, `..` or a write's temporary.  */
      if (de->d_name[0] == '.' || n < 6
          || strcmp (de->d_name + n - 5, ".json") != 0)
        continue;
      if (mc_read_file_at (dirfd (d), de->d_name, RECORD_MAX, &json, &len,
                           err) < 0
          || record_parse (json, len, de->d_name, &rec, err) < 0)
        return mc_error_prefix (err, "bundle record");
      r = fn (rec, data, err);
      mcimg_bundle_record_free (rec);
      if (r < 0)
        return r;
    }
  return 0;
}

struct used
{
  char **v;
  size_t n;
};

static int
collect_used (const mcimg_bundle_record_t *rec, void *data, mc_error_t *err)
{
  struct used *u = data;

  (void) err;
  for (size_t i = 0; i < rec->diff_ids_len; i++)
    {
      u->v = xrealloc (u->v, (u->n + 2) * sizeof (*u->v));
      u->v[u->n++] = xstrdup (rec->diff_ids[i]);
      u->v[u->n] = NULL;
    }
  return 0;
}

int
mcimg_bundle_used_layers (mcimg_store_t *store, char ***out, mc_error_t *err)
{
  struct used u = { xcalloc (1, sizeof (char *)), 0 };

  if (mcimg_bundle_record_each (store, collect_used, &u, err) < 0)
    {
      cleanup_strvp (&u.v);
      return -1;
    }
  *out = u.v;
  return 0;
}
