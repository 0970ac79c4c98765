/* mcimg prune: remove what no index.json entry references.  Runs with the
   "pull" lock held exclusively (no pull in flight, see store.h) and the
   index lock (no tag/rmi meanwhile), so everything not referenced now,
   partial downloads included, is garbage.  */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/bundle.h"
#include "imagetool/lib/images.h"

#define DOC_MAX (16u << 20)

struct strset
{
  char **v;
  size_t n;
};

static void
strset_add (struct strset *s, const char *digest)
{
  if (strncmp (digest, "sha256:", 7) != 0)
    return;
  s->v = xgrow (s->v, s->n, sizeof (*s->v));
  s->v[s->n++] = xstrdup (digest + 7);
}

static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static bool
strset_has (const struct strset *s, const char *hex)
{
  return s->n && bsearch (&hex, s->v, s->n, sizeof (*s->v), cmp_str) != NULL;
}

static void
strset_clear (struct strset *s)
{
  for (size_t i = 0; i < s->n; i++)
    free (s->v[i]);
  free (s->v);
}

/* Mark a manifest's blobs and its layers' diff_ids.  An unreadable
   manifest or config fails the prune: deleting on partial knowledge could
   remove what a damaged entry still needs.  */
static int
mark_manifest (mcimg_store_t *store, const char *digest, struct strset *blobs,
               struct strset *layers, mc_error_t *err)
{
  cleanup_free char *mj = NULL, *cj = NULL;
  cleanup_image_manifest spec_image_manifest_t *m = NULL;
  cleanup_image_config spec_image_config_t *c = NULL;
  size_t mlen, clen;

  if (mcimg_store_read_blob (store, digest, DOC_MAX, &mj, &mlen, err) < 0
      || spec_image_manifest_parse (mj, mlen, digest, &m, err) < 0
      || mcimg_store_read_blob (store, m->config->digest, DOC_MAX, &cj, &clen,
                                err) < 0
      || spec_image_config_parse (cj, clen, m->config->digest, &c, err) < 0)
    return -1;
  strset_add (blobs, digest);
  strset_add (blobs, m->config->digest);
  for (size_t i = 0; i < m->layers_len; i++)
    strset_add (blobs, m->layers[i].digest);
  for (size_t i = 0; c->rootfs && i < c->rootfs->diff_ids_len; i++)
    strset_add (layers, c->rootfs->diff_ids[i]);
  return 0;
}

/* Remove the entries of DIR (relative to the store) that `keep` rejects. */
static int
sweep (int root_fd, const char *dir, bool (*keep) (const char *name,
                                                   void *data),
       void *data, unsigned *removed, mc_error_t *err)
{
  int fd = openat (root_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_dir DIR *d = fd >= 0 ? fdopendir (fd) : NULL;
  struct dirent *de;

  if (d == NULL)
    {
      if (fd >= 0)
        close (fd);
      return mc_error_make (err, errno, "open `%s`", dir);
    }
  while ((de = readdir (d)) != NULL)
    {
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0
          || keep (de->d_name, data))
        continue;
      if (mc_rm_rf_at (dirfd (d), de->d_name, err) < 0)
        return mc_error_prefix (err, "prune `%s`", dir);
      if (removed)
        (*removed)++;
    }
  return 0;
}

static bool
keep_listed (const char *name, void *data)
{
  return strset_has (data, name);
}

static bool
keep_none (const char *name, void *data)
{
  (void) name;
  (void) data;
  return false;
}

/* Lock files of blobs and layers go (nobody can hold them now); the
   index and pull locks stay, we hold them.  */
static bool
keep_store_locks (const char *name, void *data)
{
  (void) data;
  return strcmp (name, "index.lock") == 0 || strcmp (name, "pull.lock") == 0;
}

/* l/ID stays while it leads to a layer tree.  */
static bool
keep_live_link (const char *name, void *data)
{
  int root_fd = *(int *) data;
  cleanup_free char *path = xasprintf ("l/%s", name);
  struct stat st;

  return fstatat (root_fd, path, &st, 0) == 0 && S_ISDIR (st.st_mode);
}

int
mcimg_store_prune (mcimg_store_t *store, unsigned *freed, mc_error_t *err)
{
  cleanup_image_index spec_image_index_t *index = NULL;
  struct strset blobs = { 0 }, layers = { 0 };
  int root_fd = mcimg_store_dirfd (store);
  int pull_lock, index_lock = -1, ret = -1;
  unsigned removed = 0;

  pull_lock = mcimg_store_lock (store, "pull", err);
  if (pull_lock < 0)
    return -1;
  index_lock = mcimg_store_lock (store, "index", err);
  if (index_lock < 0 || mcimg_store_index_read (store, &index, err) < 0)
    goto out;
  for (size_t i = 0; i < index->manifests_len; i++)
    {
      const spec_descriptor_t *d = &index->manifests[i];
      const char *source = mcimg_descriptor_annotation (
          d, MCIMG_ANNOTATION_SOURCE_DIGEST);
      cleanup_error mc_error_t bad_source = NULL;
      /* The Docker manifest as pulled, beside its OCI form.  */
      if (source && spec_digest_validate (source, &bad_source) == 0)
        strset_add (&blobs, source);
      if (spec_digest_validate (d->digest, err) < 0
          || mark_manifest (store, d->digest, &blobs, &layers, err) < 0)
        {
          mc_error_prefix (err, "prune: index.json entry %zu", i);
          goto out;
        }
    }
  {
    /* Layers under a bundle's overlay stay while the bundle exists.  */
    cleanup_strv char **used = NULL;
    if (mcimg_bundle_used_layers (store, &used, err) < 0)
      goto out;
    for (char **u = used; *u; u++)
      strset_add (&layers, *u);
  }
  if (blobs.n)
    qsort (blobs.v, blobs.n, sizeof (*blobs.v), cmp_str);
  if (layers.n)
    qsort (layers.v, layers.n, sizeof (*layers.v), cmp_str);
  if (sweep (root_fd, "blobs/sha256", keep_listed, &blobs, &removed, err) < 0
      || sweep (root_fd, "layers", keep_listed, &layers, &removed, err) < 0
      || sweep (root_fd, "l", keep_live_link, &root_fd, NULL, err) < 0
      || sweep (root_fd, "tmp", keep_none, NULL, NULL, err) < 0
      || sweep (root_fd, "locks", keep_store_locks, NULL, NULL, err) < 0)
    goto out;
  if (freed)
    *freed = removed;
  ret = 0;
out:
  strset_clear (&blobs);
  strset_clear (&layers);
  mcimg_store_unlock (index_lock);
  mcimg_store_unlock (pull_lock);
  return ret;
}
