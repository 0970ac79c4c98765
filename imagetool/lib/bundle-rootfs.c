/* A bundle's rootfs: an overlay of the store's unpacked layers, or a flat
   copy extracted from the layer blobs.  */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/bundle-internal.h"
#include "imagetool/lib/unpack.h"

#define LINK_MAX_LEN 64

/* The short id of a layer: layers/HEX/link.  */
static int
layer_short_id (mcimg_store_t *store, const char *diff_id, char **out,
                mc_error_t *err)
{
  cleanup_free char *path = NULL, *id = NULL;
  size_t len;

  if (spec_digest_validate (diff_id, err) < 0
      || strncmp (diff_id, "sha256:", 7) != 0)
    return mc_error_prefix (err, "layer `%s`", diff_id);
  if (!mcimg_store_has_layer (store, diff_id))
    return mc_error_make (err, 0,
                          "layer %.19s is not unpacked in the store "
                          "(pull the image again, or use --copy)",
                          diff_id);
  path = xasprintf ("layers/%s/link", diff_id + 7);
  if (mc_read_file_at (mcimg_store_dirfd (store), path, LINK_MAX_LEN, &id,
                       &len, err) < 0)
    return -1;
  for (size_t i = 0; i < len; i++)
    if (!((id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= '2' && id[i] <= '7')))
      return mc_error_make (err, 0, "`%s/%s`: not a short id",
                            mcimg_store_root (store), path);
  *out = steal_ptr (&id);
  return 0;
}

bool
mcimg_bundle_rootfs_mounted (int dir_fd)
{
  struct stat dir, root;

  return fstat (dir_fd, &dir) == 0
         && fstatat (dir_fd, "rootfs", &root, AT_SYMLINK_NOFOLLOW) == 0
         && dir.st_dev != root.st_dev;
}

static int
mkdir_at (int dir_fd, const char *dir, const char *name, mc_error_t *err)
{
  if (mkdirat (dir_fd, name, 0700) < 0 && errno != EEXIST)
    return mc_error_make (err, errno, "mkdir `%s/%s`", dir, name);
  return 0;
}

/* The merged root takes upper's mode and owner: give it those of the
   image's root (the top layer's), not the 0700 of a fresh directory.  */
static int
upper_like_top (mcimg_store_t *store, int dir_fd, const char *dir,
                const char *top_id, const mcimg_userns_t *userns,
                mc_error_t *err)
{
  cleanup_free char *top = xasprintf ("l/%s/", top_id);
  struct stat st;

  if (fstatat (mcimg_store_dirfd (store), top, &st, 0) < 0)
    return mc_error_make (err, errno, "stat `%s/%s`",
                          mcimg_store_root (store), top);
  /* With --userns, as the container sees it through the idmapping.  */
  st.st_uid = mcimg_userns_shift (userns, st.st_uid);
  st.st_gid = mcimg_userns_shift (userns, st.st_gid);
  if (fchownat (dir_fd, "upper", st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0
      || fchmodat (dir_fd, "upper", st.st_mode & 07777, 0) < 0)
    return mc_error_make (err, errno, "set the mode of `%s/upper`", dir);
  return 0;
}

/* The overlay of layers l/ID (top first), each idmapped with userns.  */
static int
idmapped_overlay (mcimg_store_t *store, int dir_fd, const char *dir,
                  char *const *diff_ids, size_t n,
                  const mcimg_userns_t *userns, mc_error_t *err)
{
  cleanup_strv char **lowers = xcalloc (n + 1, sizeof (char *));
  cleanup_free char *top_id = NULL;

  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *id = NULL;
      if (layer_short_id (store, diff_ids[n - 1 - i], &id, err) < 0)
        return -1;
      lowers[i] = xasprintf ("l/%s", id);
      if (i == 0)
        top_id = steal_ptr (&id);
    }
  if (upper_like_top (store, dir_fd, dir, top_id, userns, err) < 0)
    return -1;
  return mcimg_bundle_idmapped_overlay (mcimg_store_dirfd (store), lowers, n,
                                        dir_fd, dir, userns, err);
}

int
mcimg_bundle_overlay_mount (mcimg_store_t *store, int dir_fd, const char *dir,
                            char *const *diff_ids, size_t n,
                            const mcimg_userns_t *userns, mc_error_t *err)
{
  cleanup_free char *opts = NULL, *target = NULL, *top_id = NULL;
  cleanup_close int cwd = -1;
  size_t used = 0, cap;
  long page = sysconf (_SC_PAGESIZE);
  int r, saved;

  if (n == 0)
    return mc_error_make (err, 0, "the image has no layers");
  if (mkdir_at (dir_fd, dir, "rootfs", err) < 0
      || mkdir_at (dir_fd, dir, "upper", err) < 0
      || mkdir_at (dir_fd, dir, "work", err) < 0)
    return -1;
  if (userns->size)
    return idmapped_overlay (store, dir_fd, dir, diff_ids, n, userns, err);
  /* lowerdir=l/ID:... relative to the store root (we chdir there for the
     mount), so that 100+ layers fit in the one page the kernel copies of
     the options.  Upper and work are absolute.  */
  cap = (size_t) page;
  opts = xmalloc (cap);
  used = (size_t) snprintf (opts, cap, "lowerdir=");
  for (size_t i = n; i-- > 0;)
    {
      cleanup_free char *id = NULL;
      if (layer_short_id (store, diff_ids[i], &id, err) < 0)
        return -1;
      if (i + 1 == n)
        top_id = xstrdup (id);
      r = snprintf (opts + used, cap - used, "%sl/%s", i + 1 == n ? "" : ":",
                    id);
      if (r < 0 || (size_t) r >= cap - used)
        goto too_long;
      used += (size_t) r;
    }
  if (upper_like_top (store, dir_fd, dir, top_id, userns, err) < 0)
    return -1;
  r = snprintf (opts + used, cap - used, ",upperdir=%s/upper,workdir=%s/work",
                dir, dir);
  if (r < 0 || (size_t) r >= cap - used)
    goto too_long;
  target = xasprintf ("%s/rootfs", dir);
  cwd = open (".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (cwd < 0)
    return mc_error_make (err, errno, "open the current directory");
  if (fchdir (mcimg_store_dirfd (store)) < 0)
    return mc_error_make (err, errno, "chdir `%s`", mcimg_store_root (store));
  r = mount ("overlay", target, "overlay", 0, opts);
  saved = errno;
  if (fchdir (cwd) < 0 && r == 0)
    {
      saved = errno;
      umount2 (target, MNT_DETACH);
      return mc_error_make (err, saved, "chdir back");
    }
  if (r < 0)
    return mc_error_make (err, saved, "mount overlay on `%s`", target);
  return 0;

too_long:
  return mc_error_make (err, E2BIG,
                        "overlay options for %zu layers exceed one page "
                        "(%ld bytes): use --copy or a shorter DIR path",
                        n, page);
}

int
mcimg_bundle_rootfs_unmount (int dir_fd, const char *dir, mc_error_t *err)
{
  cleanup_free char *target = xasprintf ("%s/rootfs", dir);

  if (!mcimg_bundle_rootfs_mounted (dir_fd))
    return 0;
  if (umount2 (target, UMOUNT_NOFOLLOW) < 0
      && umount2 (target, MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
    return mc_error_make (err, errno, "unmount `%s`", target);
  if (mcimg_bundle_rootfs_mounted (dir_fd))
    return mc_error_make (err, EBUSY, "`%s` is still mounted", target);
  return 0;
}

static ssize_t
read_blob (void *data, void *buf, size_t len, mc_error_t *err)
{
  ssize_t n;

  do
    n = read (*(int *) data, buf, len);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return mc_error_make (err, errno, "read layer blob");
  return n;
}

int
mcimg_bundle_copy_rootfs (mcimg_store_t *store, int dir_fd,
                          const spec_image_manifest_t *manifest,
                          const spec_image_config_t *config, mc_error_t *err)
{
  mcimg_unpack_options_t uo = { .mode = MCIMG_UNPACK_FLAT };
  cleanup_close int root_fd = -1;
  size_t n = manifest->layers_len;

  if (config->rootfs == NULL || config->rootfs->diff_ids_len != n)
    return mc_error_make (err, 0, "the image config lists %zu diff_ids for "
                          "%zu layers",
                          config->rootfs ? config->rootfs->diff_ids_len : 0,
                          n);
  if (mkdirat (dir_fd, "rootfs", 0755) < 0 && errno != EEXIST)
    return mc_error_make (err, errno, "mkdir rootfs");
  root_fd = openat (dir_fd, "rootfs",
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (root_fd < 0)
    return mc_error_make (err, errno, "open rootfs");
  for (size_t i = 0; i < n; i++)
    {
      const char *digest = manifest->layers[i].digest;
      cleanup_close int fd = mcimg_store_open_blob (store, digest, err);

      if (fd < 0
          || mcimg_unpack_stream (read_blob, &fd, config->rootfs->diff_ids[i],
                                  root_fd, &uo, NULL, NULL, err) < 0)
        return mc_error_prefix (err, "layer %zu (%.19s)", i + 1, digest);
    }
  return 0;
}
