/* mcimg_unpack_tar: the entry loop over an opened libarchive reader.  */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "imagetool/lib/safe-path.h"
#include "imagetool/lib/unpack-internal.h"

static int
unpack_one (unpack_ctx_t *ctx, struct archive *tar, struct archive_entry *e,
            const char *raw_name, mc_error_t *err)
{
  cleanup_free char *path = NULL;
  cleanup_free char *copy = NULL;
  const char *parent, *base;
  int r;

  if (mc_safe_path_normalize (raw_name, ctx->opts.max_path, &path, err) < 0)
    return -1;
  if (*path)
    {
      copy = xstrdup (path);
      base = mc_safe_path_split (copy, &parent);
      r = unpack_whiteout (ctx, parent, base, err);
      if (r != 0)
        return r < 0 ? -1 : 0;
    }
  return unpack_entry (ctx, tar, e, path, err);
}

int
mcimg_unpack_tar (struct archive *tar, int root_dirfd,
                  const mcimg_unpack_options_t *opts,
                  mcimg_unpack_stats_t *stats, mc_error_t *err)
{
  mcimg_unpack_stats_t unused_stats;
  unpack_ctx_t ctx;
  int ret = 0;

  if (stats == NULL)
    stats = &unused_stats;
  memset (stats, 0, sizeof (*stats));
  unpack_ctx_init (&ctx, root_dirfd, opts, stats);
  for (;;)
    {
      struct archive_entry *e;
      const char *name;
      int r = archive_read_next_header (tar, &e);

      if (r == ARCHIVE_EOF)
        break;
      /* ARCHIVE_WARN is a usable header (e.g. a name not convertible to
         the locale: we use the raw bytes).  Everything else is malformed
         or truncated input, including ARCHIVE_RETRY (a bad checksum, after
         which libarchive would resynchronise on whatever looks like a
         header: not something to build a rootfs from).  */
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
        {
          int status = archive_errno (tar) > 0 ? archive_errno (tar) : 0;
          ret = mc_error_make (err, status, "read tar header after %llu "
                               "entries: %s",
                               (unsigned long long) stats->entries,
                               archive_error_string (tar));
          break;
        }
      stats->entries++;
      name = archive_entry_pathname (e);
      if (name == NULL)
        {
          ret = mc_error_make (err, EINVAL, "tar entry %llu has no name",
                               (unsigned long long) stats->entries);
          break;
        }
      if (unpack_one (&ctx, tar, e, name, err) < 0)
        {
          ret = mc_error_prefix (err, "entry `%s`", name);
          break;
        }
    }
  if (ret == 0 && unpack_apply_dir_meta (&ctx, err) < 0)
    ret = -1;
  unpack_ctx_release (&ctx);
  return ret;
}
