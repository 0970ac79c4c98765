#include "common/fileutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/xalloc.h"

int
mc_write_all (int fd, const void *buf, size_t len)
{
  const char *p = buf;

  while (len > 0)
    {
      ssize_t n = write (fd, p, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      p += n;
      len -= (size_t) n;
    }
  return 0;
}

ssize_t
mc_read_all (int fd, void *buf, size_t len)
{
  char *p = buf;
  size_t done = 0;

  while (done < len)
    {
      ssize_t n = read (fd, p + done, len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        break;
      done += (size_t) n;
    }
  return (ssize_t) done;
}

int
mc_read_fd (int fd, const char *what, size_t max_size, char **out, size_t *len,
            mc_error_t *err)
{
  cleanup_free char *buf = NULL;
  size_t used = 0, cap = 0;

  for (;;)
    {
      ssize_t n;

      if (cap - used < 4096)
        {
          cap = cap ? cap * 2 : 8192;
          buf = xrealloc (buf, cap + 1);
        }
      n = read (fd, buf + used, cap - used);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return mc_error_make (err, errno, "read `%s`", what);
      if (n == 0)
        break;
      used += (size_t) n;
      if (used > max_size)
        return mc_error_make (err, EFBIG, "read `%s`: larger than %zu bytes",
                              what, max_size);
    }
  if (buf == NULL)
    buf = xmalloc (1);
  buf[used] = '\0';
  *out = steal_ptr (&buf);
  if (len)
    *len = used;
  return 0;
}

int
mc_read_file_at (int dirfd, const char *path, size_t max_size, char **out,
                 size_t *len, mc_error_t *err)
{
  cleanup_close int fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

  if (fd < 0)
    return mc_error_make (err, errno, "open `%s`", path);
  return mc_read_fd (fd, path, max_size, out, len, err);
}

int
mc_write_file_atomic_at (int dirfd, const char *path, const void *data,
                         size_t len, mode_t mode, int durable, mc_error_t *err)
{
  cleanup_free char *tmp = xasprintf ("%s.tmp.%d", path, (int) getpid ());
  cleanup_close int fd = -1;

  fd = openat (dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0)
    return mc_error_make (err, errno, "create `%s`", tmp);
  if (mc_write_all (fd, data, len) < 0 || (durable && fsync (fd) < 0))
    {
      int saved_errno = errno;
      unlinkat (dirfd, tmp, 0);
      return mc_error_make (err, saved_errno, "write `%s`", tmp);
    }
  if (renameat (dirfd, tmp, dirfd, path) < 0)
    {
      int saved_errno = errno;
      unlinkat (dirfd, tmp, 0);
      return mc_error_make (err, saved_errno, "rename `%s` to `%s`", tmp, path);
    }
  return 0;
}

int
mc_mkdir_p (const char *path, mode_t mode, mc_error_t *err)
{
  cleanup_free char *p = xstrdup (path);
  char *s;

  for (s = p + 1; *s; s++)
    {
      if (*s != '/')
        continue;
      *s = '\0';
      if (mkdir (p, mode) < 0 && errno != EEXIST)
        return mc_error_make (err, errno, "mkdir `%s`", p);
      *s = '/';
    }
  if (mkdir (p, mode) < 0 && errno != EEXIST)
    return mc_error_make (err, errno, "mkdir `%s`", p);
  return 0;
}

/* Remove every entry of the directory open at `fd`, descending into
   subdirectories without holding one fd per level: a hostile tree thousands
   of levels deep (an image layer, say) must not exhaust the fd table and
   leave itself behind.  Only one directory is open at a time; the way back
   up is "..", and the names on the way down are kept on a heap stack.  */
static int
empty_directory (int fd, const char *what, mc_error_t *err)
{
  cleanup_strv char **stack = NULL; /* names from `what` down to the current dir */
  size_t depth = 0;

  for (;;)
    {
      cleanup_dir DIR *dir = NULL;
      struct dirent *de;
      char *descend = NULL;
      int dup_fd = dup (fd);

      if (dup_fd < 0 || (dir = fdopendir (dup_fd)) == NULL)
        {
          if (dup_fd >= 0)
            close (dup_fd);
          close (fd);
          return mc_error_make (err, errno, "read directory in `%s`", what);
        }
      rewinddir (dir);
      while ((de = readdir (dir)))
        {
          if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
            continue;
          if (unlinkat (fd, de->d_name, 0) == 0 || errno == ENOENT)
            continue;
          if (errno != EISDIR && errno != EPERM)
            {
              close (fd);
              return mc_error_make (err, errno, "remove `%s` in `%s`", de->d_name, what);
            }
          descend = xstrdup (de->d_name);
          break;
        }

      if (descend)
        {
          int child = openat (fd, descend, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
          if (child < 0)
            {
              int saved_errno = errno;
              free (descend);
              close (fd);
              return mc_error_make (err, saved_errno, "open directory in `%s`", what);
            }
          close (fd);
          fd = child;
          stack = xgrow (stack, depth + 1, sizeof (*stack));
          stack[depth++] = descend;
          stack[depth] = NULL;
          continue;
        }

      /* The current directory is empty: done at the top, else go up.  */
      if (depth == 0)
        {
          close (fd);
          return 0;
        }
      {
        int parent = openat (fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int saved_errno = errno;

        close (fd);
        if (parent < 0)
          return mc_error_make (err, saved_errno, "open parent directory in `%s`", what);
        fd = parent;
        depth--;
        if (unlinkat (fd, stack[depth], AT_REMOVEDIR) < 0 && errno != ENOENT)
          {
            saved_errno = errno;
            close (fd);
            return mc_error_make (err, saved_errno, "remove directory `%s` in `%s`",
                                  stack[depth], what);
          }
        free (stack[depth]);
        stack[depth] = NULL;
      }
    }
}

int
mc_rm_rf_at (int parent_fd, const char *path, mc_error_t *err)
{
  int fd;

  if (unlinkat (parent_fd, path, 0) == 0 || errno == ENOENT)
    return 0;
  if (errno != EISDIR && errno != EPERM)
    return mc_error_make (err, errno, "remove `%s`", path);

  fd = openat (parent_fd, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return mc_error_make (err, errno, "open directory `%s`", path);
  if (empty_directory (fd, path, err) < 0)
    return -1;
  if (unlinkat (parent_fd, path, AT_REMOVEDIR) < 0 && errno != ENOENT)
    return mc_error_make (err, errno, "remove directory `%s`", path);
  return 0;
}
