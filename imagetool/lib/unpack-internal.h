/* Shared between the unpack-*.c files; not part of the library API.  */
#ifndef MCIMG_UNPACK_INTERNAL_H
#define MCIMG_UNPACK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "common/error.h"
#include "imagetool/lib/unpack.h"

struct archive;
struct archive_entry;

/* A string -> size_t hash map (open addressing); keys are copied.  */
typedef struct
{
  char **keys;
  size_t *values;
  size_t cap;   /* power of two, or 0 */
  size_t used;
} unpack_pathmap_t;

/* Returns a pointer to the value of `key`, or NULL.  */
size_t *unpack_pathmap_get (const unpack_pathmap_t *map, const char *key);
/* Insert (or overwrite) key; returns 1 when the key was new.  */
int unpack_pathmap_put (unpack_pathmap_t *map, const char *key, size_t value);
void unpack_pathmap_free (unpack_pathmap_t *map);

/* Directory metadata, applied after the whole stream: creating entries in a
   directory bumps its mtime, and a read-only mode would get in our way.  */
typedef struct
{
  char *path;
  uid_t uid;
  gid_t gid;
  mode_t mode;
  struct timespec times[2];
} unpack_dir_meta_t;

#define UNPACK_DIR_CACHE_SLOTS 8

typedef struct
{
  int root_fd;
  mcimg_unpack_options_t opts;  /* defaults filled in */
  mcimg_unpack_stats_t *stats;  /* never NULL */
  int do_chown;

  /* Parent directories resolved recently, by normalised path: tarballs list
     a directory's entries together, so most entries hit.  fds are O_PATH.
     Invalidated whenever a directory or symlink is removed, because a
     cached fd could then point at a detached or different directory.  */
  struct
  {
    char *path;
    int fd;
  } cache[UNPACK_DIR_CACHE_SLOTS];
  unsigned cache_next;

  unpack_dir_meta_t *dirs;
  size_t n_dirs;
  unpack_pathmap_t dir_index;   /* path -> index in dirs */

  /* FLAT mode: every path this layer created, and all their ancestors, so
     that whiteouts and opaque directories only remove what lower layers
     put there (the image-spec rule).  */
  unpack_pathmap_t created;
} unpack_ctx_t;

void unpack_ctx_init (unpack_ctx_t *ctx, int root_fd,
                      const mcimg_unpack_options_t *opts,
                      mcimg_unpack_stats_t *stats);
void unpack_ctx_release (unpack_ctx_t *ctx);

/* Borrowed O_PATH fd of the normalised directory `parent`, created when
   missing; valid until the next call or invalidation.  */
int unpack_parent_fd (unpack_ctx_t *ctx, const char *parent, mc_error_t *err);
/* Drop every cached fd except keep_fd (the parent the caller is using,
   which a removal below it cannot detach).  */
void unpack_cache_invalidate (unpack_ctx_t *ctx, int keep_fd);

/* Remember a path (and its ancestors) as created by this layer.  */
void unpack_mark_created (unpack_ctx_t *ctx, const char *path);
int unpack_was_created (const unpack_ctx_t *ctx, const char *path);

void unpack_defer_dir (unpack_ctx_t *ctx, const char *path, uid_t uid,
                       gid_t gid, mode_t mode, const struct timespec times[2]);
int unpack_apply_dir_meta (unpack_ctx_t *ctx, mc_error_t *err);

/* Remove whatever is at parent_fd/name (recursively for a directory),
   never following it; absent is fine.  */
int unpack_clear_slot (unpack_ctx_t *ctx, int parent_fd, const char *name,
                       mc_error_t *err);

/* Create one entry (path normalised; "" is the root).  */
int unpack_entry (unpack_ctx_t *ctx, struct archive *a,
                  struct archive_entry *e, const char *path, mc_error_t *err);

/* If base is a whiteout name, apply it and return 1; 0 if it is not one.  */
int unpack_whiteout (unpack_ctx_t *ctx, const char *parent, const char *base,
                     mc_error_t *err);

#define UNPACK_WHITEOUT_PREFIX ".wh."
#define UNPACK_OPAQUE_NAME ".wh..wh..opq"

#endif
