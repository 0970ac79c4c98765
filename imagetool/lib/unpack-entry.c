/* Creating one tar entry on disk, fd-relative.

   Every creation is exclusive (O_EXCL, mkdirat, symlinkat, mknodat, linkat
   all fail on an existing name): on EEXIST whatever is there is removed
   without being followed, then the creation is retried.  So an entry never
   writes THROUGH an earlier entry: a regular file named like an earlier
   symlink replaces the symlink, it does not open its target.  The one
   exception is a directory over an existing directory, which merges
   (checked with AT_SYMLINK_NOFOLLOW, so never over a symlink to one).  */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/safe-path.h"
#include "imagetool/lib/unpack-internal.h"

#define OVERLAY_XATTR_PREFIX "trusted.overlay."

typedef struct
{
  uid_t uid;
  gid_t gid;
  mode_t mode;               /* permission bits incl. setuid/setgid/sticky */
  struct timespec times[2];  /* atime, mtime */
} entry_meta_t;

static int
entry_meta (struct archive_entry *e, entry_meta_t *m, mc_error_t *err)
{
  int64_t uid = archive_entry_uid (e), gid = archive_entry_gid (e);

  /* Numeric ids only (we never call archive_read_disk/NSS); (uid_t) -1 is
     refused since chown treats it as "leave unchanged".  */
  if (uid < 0 || uid >= (int64_t) UINT32_MAX || gid < 0
      || gid >= (int64_t) UINT32_MAX)
    return mc_error_make (err, ERANGE, "owner %lld:%lld out of range",
                          (long long) uid, (long long) gid);
  m->uid = (uid_t) uid;
  m->gid = (gid_t) gid;
  m->mode = archive_entry_perm (e) & 07777;
  m->times[1].tv_sec = archive_entry_mtime (e);
  m->times[1].tv_nsec = archive_entry_mtime_nsec (e);
  if (archive_entry_atime_is_set (e))
    {
      m->times[0].tv_sec = archive_entry_atime (e);
      m->times[0].tv_nsec = archive_entry_atime_nsec (e);
    }
  else
    m->times[0] = m->times[1];
  if (m->times[0].tv_nsec < 0 || m->times[0].tv_nsec >= 1000000000L)
    m->times[0].tv_nsec = 0;
  if (m->times[1].tv_nsec < 0 || m->times[1].tv_nsec >= 1000000000L)
    m->times[1].tv_nsec = 0;
  return 0;
}

/* Set the entry's xattrs on fd, or, when fd < 0, on parent_fd/name without
   following it (lsetxattr through /proc/self/fd/PARENT/NAME: the magic link
   only ever designates the parent we resolved safely, and NAME is a single
   component).  */
static int
apply_xattrs (unpack_ctx_t *ctx, struct archive_entry *e, int fd,
              int parent_fd, const char *name, mc_error_t *err)
{
  char proc_path[64 + NAME_MAX];
  const char *key;
  const void *value;
  size_t size, count = 0;

  if (archive_entry_xattr_reset (e) == 0)
    return 0;
  if (fd < 0)
    snprintf (proc_path, sizeof (proc_path), "/proc/self/fd/%d/%s", parent_fd,
              name);
  while (archive_entry_xattr_next (e, &key, &value, &size) == ARCHIVE_OK)
    {
      cleanup_free char *escaped = NULL;
      int r;

      if (++count > ctx->opts.max_xattrs)
        return mc_error_make (err, E2BIG, "more than %zu xattrs",
                              ctx->opts.max_xattrs);
      if (key == NULL || *key == '\0' || strlen (key) > XATTR_NAME_MAX)
        return mc_error_make (err, EINVAL, "invalid xattr name");
      if (size > ctx->opts.max_xattr_size)
        return mc_error_make (err, E2BIG, "xattr `%s` larger than %zu bytes",
                              key, ctx->opts.max_xattr_size);
      /* An image must not be able to give overlayfs instructions (opaque,
         redirect, metacopy...): its trusted.overlay.* are escaped the way
         the kernel (>= 6.7) expects, trusted.overlay.overlay.*, which the
         merged view shows as the original name.  Done in FLAT mode too,
         since such a rootfs may itself become an overlay lower layer.  */
      if (strncmp (key, OVERLAY_XATTR_PREFIX, strlen (OVERLAY_XATTR_PREFIX)) == 0)
        {
          escaped = xasprintf (OVERLAY_XATTR_PREFIX "overlay.%s",
                               key + strlen (OVERLAY_XATTR_PREFIX));
          if (strlen (escaped) > XATTR_NAME_MAX)
            return mc_error_make (err, EINVAL, "xattr name `%s` too long", key);
          key = escaped;
        }
      if (fd >= 0)
        r = fsetxattr (fd, key, value, size, 0);
      else
        r = lsetxattr (proc_path, key, value, size, 0);
      if (r < 0)
        {
          /* Filesystems without xattrs, or user.* on a symlink: skipped and
             counted, as Docker does, rather than failing the image.  */
          if (errno == ENOTSUP || errno == EPERM)
            {
              ctx->stats->skipped++;
              continue;
            }
          return mc_error_make (err, errno, "set xattr `%s`", key);
        }
    }
  return 0;
}

/* Owner, then mode (chown clears setuid/setgid), then xattrs (chown also
   clears security.capability), then times, all on the fd we created.  */
static int
apply_meta_fd (unpack_ctx_t *ctx, struct archive_entry *e, int fd,
               const entry_meta_t *m, mc_error_t *err)
{
  if (ctx->do_chown && fchown (fd, m->uid, m->gid) < 0)
    return mc_error_make (err, errno, "chown to %u:%u", (unsigned) m->uid,
                          (unsigned) m->gid);
  if (fchmod (fd, m->mode) < 0)
    return mc_error_make (err, errno, "chmod %04o", (unsigned) m->mode);
  if (apply_xattrs (ctx, e, fd, -1, NULL, err) < 0)
    return -1;
  if (futimens (fd, m->times) < 0)
    return mc_error_make (err, errno, "set times");
  return 0;
}

/* The same for things we cannot open (symlinks, devices, FIFOs): every call
   takes AT_SYMLINK_NOFOLLOW.  glibc implements fchmodat(AT_SYMLINK_NOFOLLOW)
   with an O_PATH|O_NOFOLLOW fd, and refuses symlinks, whose mode is
   meaningless anyway.  */
static int
apply_meta_at (unpack_ctx_t *ctx, struct archive_entry *e, int parent_fd,
               const char *name, int is_symlink, const entry_meta_t *m,
               mc_error_t *err)
{
  if (ctx->do_chown
      && fchownat (parent_fd, name, m->uid, m->gid, AT_SYMLINK_NOFOLLOW) < 0)
    return mc_error_make (err, errno, "chown to %u:%u", (unsigned) m->uid,
                          (unsigned) m->gid);
  if (!is_symlink
      && fchmodat (parent_fd, name, m->mode, AT_SYMLINK_NOFOLLOW) < 0)
    return mc_error_make (err, errno, "chmod %04o", (unsigned) m->mode);
  if (apply_xattrs (ctx, e, -1, parent_fd, name, err) < 0)
    return -1;
  if (utimensat (parent_fd, name, m->times, AT_SYMLINK_NOFOLLOW) < 0)
    return mc_error_make (err, errno, "set times");
  return 0;
}

static int
write_regular (unpack_ctx_t *ctx, struct archive *a, struct archive_entry *e,
               int parent_fd, const char *name, const entry_meta_t *m,
               mc_error_t *err)
{
  cleanup_close int fd = -1;
  int64_t pos = 0, size = archive_entry_size (e);
  const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;

  fd = openat (parent_fd, name, flags, 0600);
  if (fd < 0 && errno == EEXIST)
    {
      if (unpack_clear_slot (ctx, parent_fd, name, err) < 0)
        return -1;
      fd = openat (parent_fd, name, flags, 0600);
    }
  if (fd < 0)
    return mc_error_make (err, errno, "create file");

  /* Blocks come straight from libarchive's buffer; a gap before a block is
     a sparse hole and is left unwritten.  */
  for (;;)
    {
      const void *buf;
      size_t len;
      la_int64_t offset;
      int r = archive_read_data_block (a, &buf, &len, &offset);

      if (r == ARCHIVE_EOF)
        break;
      if (r != ARCHIVE_OK)
        return mc_error_make (err, archive_errno (a) > 0 ? archive_errno (a) : 0,
                              "read data: %s", archive_error_string (a));
      if (offset != pos)
        {
          if (offset < pos || lseek (fd, offset, SEEK_SET) < 0)
            return mc_error_make (err, offset < pos ? EINVAL : errno,
                                  "seek to %lld", (long long) offset);
          pos = offset;
        }
      if (mc_write_all (fd, buf, len) < 0)
        return mc_error_make (err, errno, "write");
      pos += (int64_t) len;
      ctx->stats->bytes += len;
    }
  if (pos < size && ftruncate (fd, size) < 0)
    return mc_error_make (err, errno, "extend to %lld bytes", (long long) size);
  ctx->stats->files++;
  return apply_meta_fd (ctx, e, fd, m, err);
}

static int
make_dir (unpack_ctx_t *ctx, struct archive_entry *e, const char *path,
          int parent_fd, const char *name, const entry_meta_t *m,
          mc_error_t *err)
{
  struct stat st;

  /* Created owner-only; the real owner and mode come at the end.  */
  if (mkdirat (parent_fd, name, 0700) < 0)
    {
      if (errno != EEXIST)
        return mc_error_make (err, errno, "create directory");
      if (fstatat (parent_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return mc_error_make (err, errno, "stat");
      if (!S_ISDIR (st.st_mode))
        {
          if (unpack_clear_slot (ctx, parent_fd, name, err) < 0)
            return -1;
          if (mkdirat (parent_fd, name, 0700) < 0)
            return mc_error_make (err, errno, "create directory");
        }
    }
  if (archive_entry_xattr_count (e) > 0)
    {
      cleanup_close int fd = openat (parent_fd, name, O_RDONLY | O_DIRECTORY
                                     | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        return mc_error_make (err, errno, "open directory");
      if (apply_xattrs (ctx, e, fd, -1, NULL, err) < 0)
        return -1;
    }
  unpack_defer_dir (ctx, path, m->uid, m->gid, m->mode, m->times);
  ctx->stats->dirs++;
  return 0;
}

static int
make_symlink (unpack_ctx_t *ctx, struct archive_entry *e, int parent_fd,
              const char *name, const entry_meta_t *m, mc_error_t *err)
{
  const char *target = archive_entry_symlink (e);

  /* The target is stored verbatim: it is data, resolved later by whoever
     follows it (our own resolution clamps it to the root).  */
  if (target == NULL || *target == '\0')
    return mc_error_make (err, EINVAL, "symlink without a target");
  if (strlen (target) >= PATH_MAX)
    return mc_error_make (err, ENAMETOOLONG, "symlink target too long");
  if (symlinkat (target, parent_fd, name) < 0)
    {
      if (errno != EEXIST)
        return mc_error_make (err, errno, "create symlink");
      if (unpack_clear_slot (ctx, parent_fd, name, err) < 0)
        return -1;
      if (symlinkat (target, parent_fd, name) < 0)
        return mc_error_make (err, errno, "create symlink");
    }
  ctx->stats->symlinks++;
  return apply_meta_at (ctx, e, parent_fd, name, 1, m, err);
}

static int
make_node (unpack_ctx_t *ctx, struct archive_entry *e, int parent_fd,
           const char *name, mode_t type, const entry_meta_t *m,
           mc_error_t *err)
{
  dev_t dev = 0;

  if (type != S_IFIFO)
    dev = makedev (archive_entry_rdevmajor (e), archive_entry_rdevminor (e));
  if (mknodat (parent_fd, name, type | 0600, dev) < 0)
    {
      if (errno != EEXIST)
        return mc_error_make (err, errno, "create node");
      if (unpack_clear_slot (ctx, parent_fd, name, err) < 0)
        return -1;
      if (mknodat (parent_fd, name, type | 0600, dev) < 0)
        return mc_error_make (err, errno, "create node");
    }
  ctx->stats->nodes++;
  return apply_meta_at (ctx, e, parent_fd, name, 0, m, err);
}

/* A hardlink to another entry of this layer (or, in FLAT mode, of a lower
   one).  The target is resolved like any entry name (inside the root) and
   linkat() without AT_SYMLINK_FOLLOW links a symlink itself, never its
   target.  The link gets no metadata of its own: it shares the target's
   inode, and applying the entry's mode through it is exactly the
   containerd CVE-2021-32760 pattern (hardlink to a symlink, then chmod).  */
static int
make_hardlink (unpack_ctx_t *ctx, const char *link_target, int parent_fd,
               const char *name, mc_error_t *err)
{
  cleanup_free char *target = NULL;
  cleanup_close int target_parent_fd = -1;
  const char *target_parent, *target_base;
  struct stat existing, wanted;

  if (mc_safe_path_normalize (link_target, ctx->opts.max_path, &target, err) < 0)
    return mc_error_prefix (err, "hardlink target");
  if (*target == '\0')
    return mc_error_make (err, EINVAL, "hardlink to the root directory");
  target_base = mc_safe_path_split (target, &target_parent);
  /* Not through the cache: the caller holds a borrowed cached fd that a
     second lookup could evict.  */
  target_parent_fd = mc_safe_open_dir (ctx->root_fd, target_parent, 0, err);
  if (target_parent_fd < 0)
    return mc_error_prefix (err, "hardlink target `%s`", link_target);
  if (linkat (target_parent_fd, target_base, parent_fd, name, 0) == 0)
    {
      ctx->stats->hardlinks++;
      return 0;
    }
  if (errno != EEXIST)
    return mc_error_make (err, errno, "link to `%s`", link_target);
  /* Already linked (the same entry twice): removing the name first would
     remove the target itself.  */
  if (fstatat (parent_fd, name, &existing, AT_SYMLINK_NOFOLLOW) == 0
      && fstatat (target_parent_fd, target_base, &wanted, AT_SYMLINK_NOFOLLOW) == 0
      && existing.st_dev == wanted.st_dev && existing.st_ino == wanted.st_ino)
    {
      ctx->stats->hardlinks++;
      return 0;
    }
  if (unpack_clear_slot (ctx, parent_fd, name, err) < 0)
    return -1;
  if (linkat (target_parent_fd, target_base, parent_fd, name, 0) < 0)
    return mc_error_make (err, errno, "link to `%s`", link_target);
  ctx->stats->hardlinks++;
  return 0;
}

int
unpack_entry (unpack_ctx_t *ctx, struct archive *a, struct archive_entry *e,
              const char *path, mc_error_t *err)
{
  cleanup_free char *copy = xstrdup (path);
  const char *parent, *name = mc_safe_path_split (copy, &parent);
  const char *link_target = archive_entry_hardlink (e);
  entry_meta_t m;
  int parent_fd, r;

  if (link_target == NULL && entry_meta (e, &m, err) < 0)
    return -1;
  if (*path == '\0')
    {
      /* `.` or `/`: only its metadata can change.  Anything but a plain
         directory (a symlink in umoci's CVE-2021-29136) is refused.  */
      if (link_target || archive_entry_filetype (e) != AE_IFDIR)
        return mc_error_make (err, EINVAL, "the root directory can only be "
                              "a directory");
      unpack_defer_dir (ctx, "", m.uid, m.gid, m.mode, m.times);
      ctx->stats->dirs++;
      return 0;
    }
  parent_fd = unpack_parent_fd (ctx, parent, err);
  if (parent_fd < 0)
    return -1;

  if (link_target)
    r = make_hardlink (ctx, link_target, parent_fd, name, err);
  else
    switch (archive_entry_filetype (e))
      {
      case AE_IFREG:
        r = write_regular (ctx, a, e, parent_fd, name, &m, err);
        break;
      case AE_IFDIR:
        r = make_dir (ctx, e, path, parent_fd, name, &m, err);
        break;
      case AE_IFLNK:
        r = make_symlink (ctx, e, parent_fd, name, &m, err);
        break;
      case AE_IFCHR:
        r = make_node (ctx, e, parent_fd, name, S_IFCHR, &m, err);
        break;
      case AE_IFBLK:
        r = make_node (ctx, e, parent_fd, name, S_IFBLK, &m, err);
        break;
      case AE_IFIFO:
        r = make_node (ctx, e, parent_fd, name, S_IFIFO, &m, err);
        break;
      default:
        /* Sockets are meaningless in an image; unknown types are skipped
           like GNU tar does, not failed on.  */
        ctx->stats->skipped++;
        return 0;
      }
  if (r < 0)
    return r;
  if (ctx->opts.mode == MCIMG_UNPACK_FLAT)
    unpack_mark_created (ctx, path);
  return 0;
}
