/* Whiteouts: `.wh.NAME` hides NAME of lower layers, `.wh..wh..opq` hides
   all lower-layer contents of its directory.

   By the image spec a whiteout only affects LOWER layers: a file the same
   layer ships under the whited-out name wins, whatever the order of the two
   entries.  OVERLAY mode therefore never replaces an existing name with a
   whiteout device; FLAT mode consults the set of paths this layer created.

   The whiteout's parent is resolved like any entry's (inside the root), and
   NAME must be a plain component: `.wh.`, `.wh..` and `.wh...` are refused,
   and `../.wh.x` never gets here (`..` is refused by normalisation).  */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "imagetool/lib/unpack-internal.h"

#define AUFS_META_PREFIX ".wh..wh."

static int
overlay_whiteout (unpack_ctx_t *ctx, int parent_fd, const char *name,
                  mc_error_t *err)
{
  /* The layer's own entry under that name already hides the lower one.  */
  if (faccessat (parent_fd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
    return 0;
  if (errno != ENOENT)
    return mc_error_make (err, errno, "stat `%s`", name);
  /* overlayfs's whiteout format: a character device 0/0, mode 0, root's.  */
  if (mknodat (parent_fd, name, S_IFCHR | 0, makedev (0, 0)) < 0)
    return mc_error_make (err, errno, "create whiteout device `%s`", name);
  if (ctx->do_chown && fchownat (parent_fd, name, 0, 0, AT_SYMLINK_NOFOLLOW) < 0)
    return mc_error_make (err, errno, "chown whiteout `%s`", name);
  return 0;
}

static int
flat_whiteout (unpack_ctx_t *ctx, const char *parent, int parent_fd,
               const char *name, mc_error_t *err)
{
  cleanup_free char *path = *parent ? xasprintf ("%s/%s", parent, name)
                                    : xstrdup (name);

  if (unpack_was_created (ctx, path))
    return 0;
  return unpack_clear_slot (ctx, parent_fd, name, err);
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Remove from dir_fd (whose normalised path is `path`) everything this layer
   did not create, descending into directories it wrote into.  */
static int
flat_clear_opaque (unpack_ctx_t *ctx, int dir_fd, const char *path,
                   mc_error_t *err)
{
  cleanup_strv char **names = NULL;
  size_t n = 0;

  {
    cleanup_dir DIR *dir = NULL;
    int fd = openat (dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct dirent *de;

    if (fd < 0 || (dir = fdopendir (fd)) == NULL)
      {
        int saved_errno = errno;
        if (fd >= 0)
          close (fd);
        return mc_error_make (err, saved_errno, "open directory `%s`", path);
      }
    /* Names first, removal after: no readdir over a changing directory.  */
    names = xcalloc (1, sizeof (char *));
    while ((de = readdir (dir)))
      {
        if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
          continue;
        names = xgrow (names, n + 1, sizeof (char *));
        names[n++] = xstrdup (de->d_name);
        names[n] = NULL;
      }
  }
  qsort (names, n, sizeof (char *), compare_strings);

  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *child = *path ? xasprintf ("%s/%s", path, names[i])
                                       : xstrdup (names[i]);
      cleanup_close int child_fd = -1;

      if (!unpack_was_created (ctx, child))
        {
          if (unpack_clear_slot (ctx, dir_fd, names[i], err) < 0)
            return -1;
          continue;
        }
      child_fd = openat (dir_fd, names[i], O_PATH | O_DIRECTORY | O_NOFOLLOW
                         | O_CLOEXEC);
      if (child_fd < 0)
        continue; /* a file (or symlink) of this layer: kept */
      if (flat_clear_opaque (ctx, child_fd, child, err) < 0)
        return -1;
    }
  return 0;
}

static int
opaque (unpack_ctx_t *ctx, const char *parent, int parent_fd, mc_error_t *err)
{
  cleanup_close int fd = -1;

  ctx->stats->opaques++;
  if (ctx->opts.mode == MCIMG_UNPACK_FLAT)
    {
      /* The directory belongs to this layer now: an opaque marker higher
         up, later in the same layer, must not remove it.  */
      if (*parent)
        unpack_mark_created (ctx, parent);
      /* Our own fd: removing a directory below invalidates the parent cache,
         which would close the borrowed parent_fd under our feet.  */
      fd = openat (parent_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0)
        return mc_error_make (err, errno, "open directory");
      return flat_clear_opaque (ctx, fd, parent, err);
    }

  fd = openat (parent_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return mc_error_make (err, errno, "open directory");
  if (fsetxattr (fd, "trusted.overlay.opaque", "y", 1, 0) < 0)
    return mc_error_make (err, errno, "set trusted.overlay.opaque");
  return 0;
}

int
unpack_whiteout (unpack_ctx_t *ctx, const char *parent, const char *base,
                 mc_error_t *err)
{
  const char *name = base + strlen (UNPACK_WHITEOUT_PREFIX);
  int parent_fd;

  if (strncmp (base, UNPACK_WHITEOUT_PREFIX, strlen (UNPACK_WHITEOUT_PREFIX)) != 0)
    return 0;
  if (strcmp (base, UNPACK_OPAQUE_NAME) != 0
      && strncmp (base, AUFS_META_PREFIX, strlen (AUFS_META_PREFIX)) == 0)
    {
      /* aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs): not content.  */
      ctx->stats->skipped++;
      return 1;
    }
  if (strcmp (base, UNPACK_OPAQUE_NAME) != 0
      && (*name == '\0' || strcmp (name, ".") == 0 || strcmp (name, "..") == 0))
    return mc_error_make (err, EINVAL, "whiteout of an invalid name");

  parent_fd = unpack_parent_fd (ctx, parent, err);
  if (parent_fd < 0)
    return -1;
  if (strcmp (base, UNPACK_OPAQUE_NAME) == 0)
    return opaque (ctx, parent, parent_fd, err) < 0 ? -1 : 1;

  ctx->stats->whiteouts++;
  if (ctx->opts.mode == MCIMG_UNPACK_FLAT)
    return flat_whiteout (ctx, parent, parent_fd, name, err) < 0 ? -1 : 1;
  return overlay_whiteout (ctx, parent_fd, name, err) < 0 ? -1 : 1;
}
