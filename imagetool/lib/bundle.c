/* mcimg bundle, mount, unbundle, bundles (see bundle.h).  */
#include "imagetool/lib/bundle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/bundle-internal.h"
#include "imagetool/lib/images.h"

#define DOC_MAX (16u << 20)

/* What a bundle consists of in DIR: removed again when creation fails
   (and by --force before it starts over).  */
static const char *const bundle_entries[] = {
  "config.json", "hostname", "hosts", "resolv.conf", "rootfs", "upper", "work",
};
#define N_ENTRIES (sizeof (bundle_entries) / sizeof (bundle_entries[0]))

struct image
{
  char *manifest_digest;
  spec_image_manifest_t *manifest;
  spec_image_config_t *config;
};

static void
image_clear (struct image *im)
{
  free (im->manifest_digest);
  spec_image_manifest_free (im->manifest);
  spec_image_config_free (im->config);
}

static int
image_read (mcimg_store_t *store, const char *name, struct image *im,
            mc_error_t *err)
{
  cleanup_image_index spec_image_index_t *index = NULL;
  cleanup_free char *mj = NULL, *cj = NULL;
  size_t mlen, clen;
  ssize_t at;

  if (mcimg_store_index_read (store, &index, err) < 0)
    return -1;
  at = mcimg_image_find (index, name, err);
  if (at < 0)
    return -1;
  im->manifest_digest = xstrdup (index->manifests[at].digest);
  if (mcimg_store_read_blob (store, im->manifest_digest, DOC_MAX, &mj, &mlen,
                             err) < 0
      || spec_image_manifest_parse (mj, mlen, im->manifest_digest,
                                    &im->manifest, err) < 0
      || mcimg_store_read_blob (store, im->manifest->config->digest, DOC_MAX,
                                &cj, &clen, err) < 0
      || spec_image_config_parse (cj, clen, im->manifest->config->digest,
                                  &im->config, err) < 0)
    return mc_error_prefix (err, "image `%s`", name);
  if (im->config->rootfs == NULL
      || im->config->rootfs->diff_ids_len != im->manifest->layers_len)
    return mc_error_make (err, 0, "image `%s`: the config's diff_ids do not "
                          "match the manifest's layers", name);
  return 0;
}

/* Whether the directory dir_fd has entries.  */
static int
dir_is_empty (int dir_fd, bool *empty, mc_error_t *err)
{
  int fd = openat (dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_dir DIR *d = fd >= 0 ? fdopendir (fd) : NULL;
  struct dirent *de;

  if (d == NULL)
    {
      if (fd >= 0)
        close (fd);
      return mc_error_make (err, errno, "read the bundle directory");
    }
  *empty = true;
  while ((de = readdir (d)) != NULL)
    if (strcmp (de->d_name, ".") != 0 && strcmp (de->d_name, "..") != 0)
      *empty = false;
  return 0;
}

/* Remove the bundle's entries from dir_fd: never while rootfs is a mount
   (rm -rf would go into the layers).  */
static int
remove_entries (int dir_fd, const char *dir, mc_error_t *err)
{
  if (mcimg_bundle_rootfs_unmount (dir_fd, dir, err) < 0)
    return -1;
  for (size_t i = 0; i < N_ENTRIES; i++)
    if (mc_rm_rf_at (dir_fd, bundle_entries[i], err) < 0)
      return mc_error_prefix (err, "remove `%s/%s`", dir, bundle_entries[i]);
  return 0;
}

/* Create DIR (0700) or check it is empty; *real gets its realpath.  */
static int
prepare_dir (const char *dir, bool force, bool *created, char **real,
             int *dir_fd, mc_error_t *err)
{
  bool empty = true;

  *created = false;
  if (mkdir (dir, 0700) == 0)
    *created = true;
  else if (errno != EEXIST)
    return mc_error_make (err, errno, "create `%s`", dir);
  *real = realpath (dir, NULL);
  if (*real == NULL)
    return mc_error_make (err, errno, "resolve `%s`", dir);
  *dir_fd = open (*real, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (*dir_fd < 0)
    return mc_error_make (err, errno, "open `%s`", dir);
  if (*created)
    return 0;
  if (dir_is_empty (*dir_fd, &empty, err) < 0)
    return -1;
  if (!empty && !force)
    return mc_error_make (err, 0, "`%s` exists and is not empty (use --force)",
                          dir);
  if (mcimg_bundle_rootfs_mounted (*dir_fd))
    return mc_error_make (err, EBUSY, "`%s` is a mounted bundle: `mcimg "
                          "unbundle` it first",
                          dir);
  if (!empty && remove_entries (*dir_fd, *real, err) < 0)
    return -1;
  if (fchmod (*dir_fd, 0700) < 0)
    return mc_error_make (err, errno, "chmod `%s`", dir);
  return 0;
}

static int
create_locked (mcimg_store_t *store, const char *image, const char *real,
               int dir_fd, const mcimg_bundle_options_t *opts,
               bool *recorded, mc_error_t *err)
{
  struct image im = { 0 };
  mcimg_bundle_record_t rec = { 0 };
  cleanup_close int rootfs_fd = -1;
  int ret = -1;

  if (image_read (store, image, &im, err) < 0)
    goto out;
  rec.path = (char *) real;
  rec.image = (char *) image;
  rec.manifest = im.manifest_digest;
  rec.copy = opts->copy;
  rec.userns = opts->userns;
  if (!opts->copy)
    {
      rec.diff_ids = im.config->rootfs->diff_ids;
      rec.diff_ids_len = im.config->rootfs->diff_ids_len;
    }
  if (mcimg_bundle_record_write (store, &rec, err) < 0)
    goto out;
  *recorded = true;
  if (opts->copy)
    ret = mcimg_bundle_copy_rootfs (store, dir_fd, im.manifest, im.config,
                                    err) < 0
              ? -1
              : mcimg_bundle_shift_rootfs (dir_fd, &opts->userns, err);
  else
    ret = mcimg_bundle_overlay_mount (store, dir_fd, real, rec.diff_ids,
                                      rec.diff_ids_len, &opts->userns, err);
  if (ret < 0)
    goto out;
  ret = -1;
  rootfs_fd = openat (dir_fd, "rootfs",
                      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (rootfs_fd < 0)
    {
      mc_error_make (err, errno, "open `%s/rootfs`", real);
      goto out;
    }
  ret = mcimg_bundle_write_config (dir_fd, rootfs_fd, im.config, opts, err);
out:
  image_clear (&im);
  return ret;
}

int
mcimg_bundle_create (mcimg_store_t *store, const char *image, const char *dir,
                     const mcimg_bundle_options_t *opts, mc_error_t *err)
{
  cleanup_free char *real = NULL;
  cleanup_close int dir_fd = -1;
  bool created = false, recorded = false;
  int lock, ret;

  if (prepare_dir (dir, opts->force, &created, &real, &dir_fd, err) < 0)
    {
      if (created)
        rmdir (dir);
      return -1;
    }
  /* Shared, like a pull: prune (exclusive) waits until the record that
     protects the layers is written.  */
  lock = mcimg_store_lock_mode (store, "pull", true, err);
  if (lock < 0)
    ret = -1;
  else
    {
      ret = create_locked (store, image, real, dir_fd, opts, &recorded, err);
      mcimg_store_unlock (lock);
    }
  if (ret == 0)
    return 0;

  /* Undo: unmount first; only then may anything under DIR be removed.  */
  {
    mc_error_t undo_err = NULL;
    if (remove_entries (dir_fd, real, &undo_err) < 0)
      {
        /* The mount stays: keep the record too, so `unbundle` can finish. */
        mc_warning ("cleaning up `%s`: %s", real, undo_err->msg);
        mc_error_release (&undo_err);
        return ret;
      }
    if (recorded)
      mcimg_bundle_record_delete (store, real);
    if (created)
      rmdir (real);
  }
  return mc_error_prefix (err, "bundle `%s`", dir);
}

int
mcimg_bundle_mount (mcimg_store_t *store, const char *dir, mc_error_t *err)
{
  cleanup_free char *real = realpath (dir, NULL);
  cleanup_bundle_record mcimg_bundle_record_t *rec = NULL;
  cleanup_close int dir_fd = -1;

  if (real == NULL)
    return mc_error_make (err, errno, "mount `%s`", dir);
  if (mcimg_bundle_record_read (store, real, &rec, err) < 0)
    return mc_error_prefix (err, "mount");
  dir_fd = open (real, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir_fd < 0)
    return mc_error_make (err, errno, "mount: open `%s`", dir);
  if (rec->copy || mcimg_bundle_rootfs_mounted (dir_fd))
    return 0;
  if (mcimg_bundle_overlay_mount (store, dir_fd, real, rec->diff_ids,
                                  rec->diff_ids_len, &rec->userns, err) < 0)
    return mc_error_prefix (err, "mount `%s`", dir);
  return 0;
}

/* DIR was removed by hand: drop its record (found by the absolute path,
   as realpath needs DIR to exist), so prune may free its layers.  */
static int
forget_missing (mcimg_store_t *store, const char *dir, mc_error_t *err)
{
  cleanup_free char *cwd = getcwd (NULL, 0), *abs = NULL;
  cleanup_bundle_record mcimg_bundle_record_t *rec = NULL;

  if (dir[0] != '/' && cwd == NULL)
    return mc_error_make (err, errno, "unbundle `%s`: getcwd", dir);
  abs = dir[0] == '/' ? xstrdup (dir) : xasprintf ("%s/%s", cwd, dir);
  if (mcimg_bundle_record_read (store, abs, &rec, err) < 0)
    return mc_error_prefix (err, "unbundle");
  mcimg_bundle_record_delete (store, abs);
  return 0;
}

int
mcimg_bundle_remove (mcimg_store_t *store, const char *dir, mc_error_t *err)
{
  cleanup_free char *real = realpath (dir, NULL);
  cleanup_bundle_record mcimg_bundle_record_t *rec = NULL;
  cleanup_close int parent_fd = -1;
  cleanup_close int dir_fd = -1;
  cleanup_free char *parent = NULL;
  const char *base;

  if (real == NULL && errno == ENOENT)
    return forget_missing (store, dir, err);
  if (real == NULL)
    return mc_error_make (err, errno, "unbundle `%s`", dir);
  if (mcimg_bundle_record_read (store, real, &rec, err) < 0)
    return mc_error_prefix (err, "unbundle");
  dir_fd = open (real, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir_fd < 0)
    return mc_error_make (err, errno, "unbundle: open `%s`", dir);
  if (mcimg_bundle_rootfs_unmount (dir_fd, real, err) < 0)
    return mc_error_prefix (err, "unbundle");
  parent = xstrdup (real);
  base = strrchr (parent, '/');
  if (base == NULL || base == parent)
    return mc_error_make (err, 0, "unbundle: refusing to remove `%s`", real);
  parent[base - parent] = '\0';
  base = real + (base - parent) + 1;
  parent_fd = open (parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (parent_fd < 0)
    return mc_error_make (err, errno, "unbundle: open `%s`", parent);
  if (mc_rm_rf_at (parent_fd, base, err) < 0)
    return mc_error_prefix (err, "unbundle");
  mcimg_bundle_record_delete (store, real);
  return 0;
}

static int
list_one (const mcimg_bundle_record_t *rec, void *data, mc_error_t *err)
{
  FILE *out = data;
  cleanup_close int fd
      = open (rec->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  const char *state = fd < 0                              ? "missing"
                      : rec->copy                         ? "ready"
                      : mcimg_bundle_rootfs_mounted (fd) ? "mounted"
                                                          : "unmounted";

  (void) err;
  fprintf (out, "%s\t%s\t%.19s\t%s\t%s\n", rec->path,
           rec->image ? rec->image : "-", rec->manifest,
           rec->copy ? "copy" : "overlay", state);
  return 0;
}

int
mcimg_bundles_list (mcimg_store_t *store, FILE *out, mc_error_t *err)
{
  fprintf (out, "PATH\tIMAGE\tMANIFEST\tMODE\tSTATE\n");
  return mcimg_bundle_record_each (store, list_one, out, err);
}
