#include "runtime/lib/resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/xalloc.h"

#define MAX_SYMLINKS 40

const char *
mc_fd_path (int fd, char buf[MC_FD_PATH_SIZE])
{
  snprintf (buf, MC_FD_PATH_SIZE, "/proc/self/fd/%d", fd);
  return buf;
}

static int
openat2_in_root (int root_fd, const char *path, int flags)
{
  struct open_how how = {
    .flags = (uint64_t) (flags | O_CLOEXEC),
    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
  };
  long r;

  /* An empty path is the root itself.  */
  if (*path == '\0')
    path = ".";
  do
    r = syscall (SYS_openat2, root_fd, path, &how, sizeof (how));
  while (r < 0 && errno == EAGAIN); /* a rename raced with the lookup */
  return (int) r;
}

/* Append component `c` (of length n) to the resolved path `r`.  */
static void
path_push (char **r, const char *c, size_t n)
{
  size_t len = strlen (*r);

  *r = xrealloc (*r, len + n + 2);
  (*r)[len] = '/';
  memcpy (*r + len + 1, c, n);
  (*r)[len + 1 + n] = '\0';
}

static void
path_pop (char *r)
{
  char *slash = strrchr (r, '/');

  if (slash)
    *slash = '\0';
}

/* Create what is missing along `path`, resolving symlinks by hand (relative
   to the rootfs), and return the resolved path, which holds no symlink.  */
static int
create_path (int root_fd, const char *path, enum mc_resolve_create create,
             char **resolved, mc_error_t *err)
{
  cleanup_free char *todo = xstrdup (path);
  cleanup_free char *r = xstrdup ("");
  size_t pos = 0;
  int links = 0;

  while (todo[pos])
    {
      cleanup_close int parent = -1;
      cleanup_free char *target = NULL;
      size_t n = strcspn (todo + pos, "/");
      const char *c = todo + pos;
      bool last;
      char name[NAME_MAX + 1];
      struct stat st;

      if (n == 0 || (n == 1 && c[0] == '.'))
        {
          pos += n + (todo[pos + n] == '/');
          continue;
        }
      if (n == 2 && c[0] == '.' && c[1] == '.')
        {
          path_pop (r); /* ".." of the root is the root */
          pos += n + (todo[pos + n] == '/');
          continue;
        }
      if (n > NAME_MAX)
        return mc_error_make (err, ENAMETOOLONG, "`%s`", path);
      memcpy (name, c, n);
      name[n] = '\0';
      pos += n + (todo[pos + n] == '/');
      last = todo[pos + strspn (todo + pos, "/")] == '\0';

      parent = openat2_in_root (root_fd, r, O_PATH | O_DIRECTORY);
      if (parent < 0)
        return mc_error_make (err, errno, "open `%s` in the rootfs",
                              *r ? r : "/");
      if (fstatat (parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        {
          int fd;

          if (errno != ENOENT)
            return mc_error_make (err, errno, "stat `%s/%s` in the rootfs", r,
                                  name);
          if (last && create == MC_RESOLVE_CREATE_FILE)
            {
              fd = openat (parent, name,
                           O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
                           0644);
              if (fd < 0 && errno != EEXIST)
                return mc_error_make (err, errno, "create `%s/%s` in the rootfs",
                                      r, name);
              if (fd >= 0)
                close (fd);
            }
          else if (mkdirat (parent, name, 0755) < 0 && errno != EEXIST)
            return mc_error_make (err, errno, "mkdir `%s/%s` in the rootfs", r,
                                  name);
          path_push (&r, name, n);
          continue;
        }
      if (!S_ISLNK (st.st_mode))
        {
          path_push (&r, name, n);
          continue;
        }

      /* A symlink: splice its target in front of what is left.  */
      if (++links > MAX_SYMLINKS)
        return mc_error_make (err, ELOOP, "resolve `%s` in the rootfs", path);
      target = xmalloc ((size_t) st.st_size + 2);
      {
        ssize_t len = readlinkat (parent, name, target, (size_t) st.st_size + 1);
        char *rest;

        if (len < 0)
          return mc_error_make (err, errno, "readlink `%s/%s` in the rootfs", r,
                                name);
        target[len] = '\0';
        rest = xasprintf ("%s/%s", target, todo + pos);
        free (todo);
        todo = rest;
        pos = 0;
        if (target[0] == '/')
          r[0] = '\0';
      }
    }
  *resolved = steal_ptr (&r);
  return 0;
}

int
mc_resolve_in_root (int root_fd, const char *path,
                    enum mc_resolve_create create, mc_error_t *err)
{
  cleanup_free char *resolved = NULL;
  int fd = openat2_in_root (root_fd, path, O_PATH);

  if (fd >= 0)
    return fd;
  if (errno != ENOENT || create == MC_RESOLVE_NO_CREATE)
    return mc_error_make (err, errno, "open `%s` in the rootfs", path);
  if (create_path (root_fd, path, create, &resolved, err) < 0)
    return -1;
  fd = openat2_in_root (root_fd, resolved, O_PATH);
  if (fd < 0)
    return mc_error_make (err, errno, "open `%s` in the rootfs", path);
  return fd;
}
