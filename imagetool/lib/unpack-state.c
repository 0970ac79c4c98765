/* Per-extraction state: the parent-directory cache, the set of paths a layer
   created, and the deferred directory metadata.  */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/safe-path.h"
#include "imagetool/lib/unpack-internal.h"

/* FNV-1a: short keys, no adversarial-collision concern worth more code (a
   hostile layer can at worst slow its own extraction).  */
static size_t
hash_string (const char *s)
{
  size_t h = (size_t) 14695981039346656037ULL;

  for (; *s; s++)
    h = (h ^ (unsigned char) *s) * (size_t) 1099511628211ULL;
  return h;
}

static size_t
pathmap_slot (const unpack_pathmap_t *map, const char *key)
{
  size_t i = hash_string (key) & (map->cap - 1);

  while (map->keys[i] && strcmp (map->keys[i], key) != 0)
    i = (i + 1) & (map->cap - 1);
  return i;
}

size_t *
unpack_pathmap_get (const unpack_pathmap_t *map, const char *key)
{
  size_t i;

  if (map->cap == 0)
    return NULL;
  i = pathmap_slot (map, key);
  return map->keys[i] ? &map->values[i] : NULL;
}

static void
pathmap_grow (unpack_pathmap_t *map)
{
  unpack_pathmap_t bigger = { .cap = map->cap ? map->cap * 2 : 64 };

  bigger.keys = xcalloc (bigger.cap, sizeof (char *));
  bigger.values = xcalloc (bigger.cap, sizeof (size_t));
  for (size_t i = 0; i < map->cap; i++)
    if (map->keys[i])
      {
        size_t j = pathmap_slot (&bigger, map->keys[i]);
        bigger.keys[j] = map->keys[i];
        bigger.values[j] = map->values[i];
      }
  bigger.used = map->used;
  free (map->keys);
  free (map->values);
  *map = bigger;
}

int
unpack_pathmap_put (unpack_pathmap_t *map, const char *key, size_t value)
{
  size_t i;

  if ((map->used + 1) * 4 > map->cap * 3)
    pathmap_grow (map);
  i = pathmap_slot (map, key);
  map->values[i] = value;
  if (map->keys[i])
    return 0;
  map->keys[i] = xstrdup (key);
  map->used++;
  return 1;
}

void
unpack_pathmap_free (unpack_pathmap_t *map)
{
  for (size_t i = 0; i < map->cap; i++)
    free (map->keys[i]);
  free (map->keys);
  free (map->values);
  memset (map, 0, sizeof (*map));
}

void
unpack_ctx_init (unpack_ctx_t *ctx, int root_fd,
                 const mcimg_unpack_options_t *opts,
                 mcimg_unpack_stats_t *stats)
{
  memset (ctx, 0, sizeof (*ctx));
  ctx->root_fd = root_fd;
  if (opts)
    ctx->opts = *opts;
  if (ctx->opts.max_path == 0)
    ctx->opts.max_path = 4095;
  if (ctx->opts.max_xattrs == 0)
    ctx->opts.max_xattrs = 128;
  if (ctx->opts.max_xattr_size == 0)
    ctx->opts.max_xattr_size = 65536;
  ctx->stats = stats;
  ctx->do_chown = !(ctx->opts.flags & MCIMG_UNPACK_NO_CHOWN);
  for (unsigned i = 0; i < UNPACK_DIR_CACHE_SLOTS; i++)
    ctx->cache[i].fd = -1;
}

void
unpack_ctx_release (unpack_ctx_t *ctx)
{
  unpack_cache_invalidate (ctx, -1);
  for (size_t i = 0; i < ctx->n_dirs; i++)
    free (ctx->dirs[i].path);
  free (ctx->dirs);
  unpack_pathmap_free (&ctx->dir_index);
  unpack_pathmap_free (&ctx->created);
}

void
unpack_cache_invalidate (unpack_ctx_t *ctx, int keep_fd)
{
  for (unsigned i = 0; i < UNPACK_DIR_CACHE_SLOTS; i++)
    {
      if (ctx->cache[i].fd < 0 || ctx->cache[i].fd == keep_fd)
        continue;
      close (ctx->cache[i].fd);
      ctx->cache[i].fd = -1;
      free (ctx->cache[i].path);
      ctx->cache[i].path = NULL;
    }
}

int
unpack_parent_fd (unpack_ctx_t *ctx, const char *parent, mc_error_t *err)
{
  unsigned slot;
  int fd;

  for (unsigned i = 0; i < UNPACK_DIR_CACHE_SLOTS; i++)
    if (ctx->cache[i].fd >= 0 && strcmp (ctx->cache[i].path, parent) == 0)
      return ctx->cache[i].fd;

  fd = mc_safe_open_dir (ctx->root_fd, parent, 1, err);
  if (fd < 0)
    return fd;

  slot = ctx->cache_next++ % UNPACK_DIR_CACHE_SLOTS;
  if (ctx->cache[slot].fd >= 0)
    close (ctx->cache[slot].fd);
  free (ctx->cache[slot].path);
  ctx->cache[slot].fd = fd;
  ctx->cache[slot].path = xstrdup (parent);
  return fd;
}

void
unpack_mark_created (unpack_ctx_t *ctx, const char *path)
{
  cleanup_free char *copy = xstrdup (path);

  /* Ancestors too: an opaque directory must keep a lower-layer directory
     this layer wrote into, and descend into it instead.  Stop at the first
     ancestor already known, its own ancestors were added with it.  */
  for (;;)
    {
      char *slash;

      if (!unpack_pathmap_put (&ctx->created, copy, 0))
        return;
      slash = strrchr (copy, '/');
      if (slash == NULL)
        return;
      *slash = '\0';
    }
}

int
unpack_was_created (const unpack_ctx_t *ctx, const char *path)
{
  return unpack_pathmap_get (&ctx->created, path) != NULL;
}

void
unpack_defer_dir (unpack_ctx_t *ctx, const char *path, uid_t uid, gid_t gid,
                  mode_t mode, const struct timespec times[2])
{
  size_t *index = unpack_pathmap_get (&ctx->dir_index, path);
  unpack_dir_meta_t *m;

  /* A directory listed twice (or by two layers in FLAT mode) gets the
     metadata of its last entry.  */
  if (index)
    m = &ctx->dirs[*index];
  else
    {
      ctx->dirs = xgrow (ctx->dirs, ctx->n_dirs, sizeof (*ctx->dirs));
      unpack_pathmap_put (&ctx->dir_index, path, ctx->n_dirs);
      m = &ctx->dirs[ctx->n_dirs++];
      m->path = xstrdup (path);
    }
  m->uid = uid;
  m->gid = gid;
  m->mode = mode;
  m->times[0] = times[0];
  m->times[1] = times[1];
}

static int
apply_one_dir (unpack_ctx_t *ctx, const unpack_dir_meta_t *m, mc_error_t *err)
{
  cleanup_free char *copy = xstrdup (m->path);
  cleanup_close int parent_fd = -1;
  cleanup_close int fd = -1;
  const char *parent, *base = ".";

  if (*copy)
    base = mc_safe_path_split (copy, &parent);
  else
    parent = "";
  parent_fd = mc_safe_open_dir (ctx->root_fd, parent, 0, err);
  if (parent_fd < 0)
    {
      /* Removed or replaced by a later entry or whiteout: nothing to do.  */
      if ((*err)->status == ENOENT || (*err)->status == ENOTDIR)
        {
          mc_error_release (err);
          return 0;
        }
      return parent_fd;
    }
  /* O_NOFOLLOW: if a later entry replaced the directory with a symlink, the
     metadata must not land on the symlink's target.  */
  fd = openat (parent_fd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && (errno == ENOENT || errno == ENOTDIR || errno == ELOOP))
    return 0;
  if (fd < 0)
    return mc_error_make (err, errno, "open directory");
  if (ctx->do_chown && fchown (fd, m->uid, m->gid) < 0)
    return mc_error_make (err, errno, "chown to %u:%u", (unsigned) m->uid,
                          (unsigned) m->gid);
  if (fchmod (fd, m->mode) < 0)
    return mc_error_make (err, errno, "chmod %04o", (unsigned) m->mode);
  if (futimens (fd, m->times) < 0)
    return mc_error_make (err, errno, "set times");
  return 0;
}

int
unpack_apply_dir_meta (unpack_ctx_t *ctx, mc_error_t *err)
{
  /* Last listed first: tarballs list parents before children, so children
     are done before a parent possibly becomes unsearchable.  */
  for (size_t i = ctx->n_dirs; i-- > 0;)
    if (apply_one_dir (ctx, &ctx->dirs[i], err) < 0)
      return mc_error_prefix (err, "directory `%s`",
                              *ctx->dirs[i].path ? ctx->dirs[i].path : ".");
  return 0;
}

int
unpack_clear_slot (unpack_ctx_t *ctx, int parent_fd, const char *name,
                   mc_error_t *err)
{
  struct stat st;

  if (fstatat (parent_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    {
      if (errno == ENOENT)
        return 0;
      return mc_error_make (err, errno, "stat `%s`", name);
    }
  if (S_ISDIR (st.st_mode))
    {
      /* mc_rm_rf_at opens each level with O_NOFOLLOW: never follows.  */
      if (mc_rm_rf_at (parent_fd, name, err) < 0)
        return -1;
    }
  else if (unlinkat (parent_fd, name, 0) < 0 && errno != ENOENT)
    return mc_error_make (err, errno, "remove `%s`", name);
  if (S_ISDIR (st.st_mode) || S_ISLNK (st.st_mode))
    unpack_cache_invalidate (ctx, parent_fd);
  return 0;
}
