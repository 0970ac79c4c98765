#include "imagetool/lib/safe-path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/xalloc.h"

int mc_safe_path_force_walk;

int
mc_safe_path_normalize (const char *name, size_t max_len, char **out,
                        mc_error_t *err)
{
  cleanup_free char *buf = NULL;
  const char *p = name;
  size_t used = 0;

  if (name == NULL || *name == '\0')
    return mc_error_make (err, EINVAL, "empty entry name");
  buf = xmalloc (strlen (name) + 1);
  while (*p)
    {
      const char *end;
      size_t len;

      while (*p == '/')
        p++;
      end = strchrnul (p, '/');
      len = (size_t) (end - p);
      if (len == 0 || (len == 1 && p[0] == '.'))
        {
          p = end;
          continue;
        }
      /* `..` is refused rather than clamped: no legitimate layer needs it,
         and a lexical clamp could silently retarget an entry.  */
      if (len == 2 && p[0] == '.' && p[1] == '.')
        return mc_error_make (err, EINVAL, "`..` component in `%s`", name);
      if (len > NAME_MAX)
        return mc_error_make (err, ENAMETOOLONG,
                              "component longer than %d bytes", NAME_MAX);
      if (used)
        buf[used++] = '/';
      memcpy (buf + used, p, len);
      used += len;
      p = end;
    }
  buf[used] = '\0';
  if (used > max_len)
    return mc_error_make (err, ENAMETOOLONG, "path longer than %zu bytes",
                          max_len);
  *out = steal_ptr (&buf);
  return 0;
}

const char *
mc_safe_path_split (char *path, const char **parent)
{
  char *slash = strrchr (path, '/');

  if (slash == NULL)
    {
      *parent = "";
      return path;
    }
  *slash = '\0';
  *parent = path;
  return slash + 1;
}

/* One openat2 resolution of a whole path inside root_fd; -1 with errno.  */
static int
open_in_root (int root_fd, const char *path)
{
  struct open_how how = {
    .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
    /* IN_ROOT: `/` and `..` of symlink targets stay at root_fd.
       NO_MAGICLINKS: /proc/self/... style jumps are never followed (they
       could only appear if a proc-like fs were mounted inside, but cost
       nothing to refuse).  NO_XDEV: the layer is one filesystem; a mount
       inside it is not ours to write into.  */
    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
  };

  if (*path == '\0')
    return openat (root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  return (int) syscall (SYS_openat2, root_fd, path, &how, sizeof (how));
}

/* A parent the tarball did not list: 0755 whatever our umask, so that the
   image does not depend on who unpacked it.  */
static int
make_implicit_dir (int dirfd, const char *name)
{
  if (mkdirat (dirfd, name, 0755) < 0)
    return errno == EEXIST ? 0 : -1;
  return fchmodat (dirfd, name, 0755, AT_SYMLINK_NOFOLLOW);
}

/* Fallback without openat2: every component opened with O_NOFOLLOW, so a
   symlink anywhere in the parent path is an error rather than followed.  */
static int
walk_nofollow (int root_fd, const char *path, int create_missing,
               mc_error_t *err)
{
  cleanup_free char *copy = xstrdup (path);
  cleanup_close int cur = openat (root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  char *save = NULL;

  if (cur < 0)
    return mc_error_make (err, errno, "open root directory");
  for (char *comp = strtok_r (copy, "/", &save); comp;
       comp = strtok_r (NULL, "/", &save))
    {
      int next = openat (cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

      if (next < 0 && errno == ENOENT && create_missing)
        {
          if (make_implicit_dir (cur, comp) < 0)
            return mc_error_make (err, errno, "create directory `%s`", path);
          next = openat (cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
      if (next < 0)
        return mc_error_make (err, errno == ELOOP ? ELOOP : errno,
                              "open directory `%s` (symlinks in parent paths "
                              "are refused without openat2)", path);
      close (cur);
      cur = next;
    }
  return steal_fd (&cur);
}

int
mc_safe_open_dir (int root_fd, const char *path, int create_missing,
                  mc_error_t *err)
{
  cleanup_free char *prefix = NULL;
  cleanup_close int cur = -1;
  int fd;

  if (mc_safe_path_force_walk)
    return walk_nofollow (root_fd, path, create_missing, err);

  fd = open_in_root (root_fd, path);
  if (fd >= 0)
    return fd;
  if (errno == ENOSYS)
    return walk_nofollow (root_fd, path, create_missing, err);
  if (errno != ENOENT || !create_missing)
    return mc_error_make (err, errno, "open directory `%s`", path);

  /* Some component is missing: walk the prefixes, creating each absent one
     inside the directory its own prefix resolved to.  mkdirat() never
     follows its final component, and each prefix is re-resolved with
     openat2, so a dangling symlink cannot make us create outside.  Only
     tarballs that omit directory entries take this (quadratic) path.  */
  prefix = xstrdup (path);
  cur = open_in_root (root_fd, "");
  if (cur < 0)
    return mc_error_make (err, errno, "open root directory");
  for (char *p = prefix;;)
    {
      char *slash = strchr (p, '/');
      const char *comp = p;
      int next;

      if (slash)
        *slash = '\0';
      next = open_in_root (root_fd, prefix);
      if (next < 0 && errno == ENOENT)
        {
          if (make_implicit_dir (cur, comp) < 0)
            return mc_error_make (err, errno, "create directory `%s`", prefix);
          next = open_in_root (root_fd, prefix);
        }
      if (next < 0)
        return mc_error_make (err, errno, "open directory `%s`", prefix);
      close (cur);
      cur = next;
      if (slash == NULL)
        break;
      *slash = '/';
      p = slash + 1;
    }
  return steal_fd (&cur);
}
