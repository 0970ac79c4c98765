#include "runtime/lib/devices.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "runtime/lib/mounts.h"
#include "runtime/lib/resolve.h"

static const spec_device_t default_devices[] = {
  { .type = (char *) "c", .path = (char *) "/dev/null", .major = 1, .minor = 3 },
  { .type = (char *) "c", .path = (char *) "/dev/zero", .major = 1, .minor = 5 },
  { .type = (char *) "c", .path = (char *) "/dev/full", .major = 1, .minor = 7 },
  { .type = (char *) "c", .path = (char *) "/dev/random", .major = 1, .minor = 8 },
  { .type = (char *) "c", .path = (char *) "/dev/urandom", .major = 1, .minor = 9 },
  { .type = (char *) "c", .path = (char *) "/dev/tty", .major = 5, .minor = 0 },
};

static const struct
{
  const char *target;
  const char *path;
} default_links[] = {
  { "/proc/self/fd", "/dev/fd" },
  { "/proc/self/fd/0", "/dev/stdin" },
  { "/proc/self/fd/1", "/dev/stdout" },
  { "/proc/self/fd/2", "/dev/stderr" },
  { "pts/ptmx", "/dev/ptmx" },
};

/* Split `path` into a parent directory fd (created as needed inside the
   rootfs) and a last component.  */
static int
open_parent (int root_fd, const char *path, const char **base, mc_error_t *err)
{
  cleanup_free char *dir = xstrdup (path);
  char *slash = strrchr (dir, '/');

  *base = strrchr (path, '/') ? strrchr (path, '/') + 1 : path;
  if (**base == '\0' || strcmp (*base, ".") == 0 || strcmp (*base, "..") == 0)
    return mc_error_make (err, EINVAL, "device path `%s`", path);
  if (slash)
    *slash = '\0';
  else
    dir[0] = '\0';
  return mc_resolve_in_root (root_fd, dir, MC_RESOLVE_CREATE_DIR, err);
}

static int
device_mode (const spec_device_t *d, mode_t *mode, mc_error_t *err)
{
  mode_t perm = d->has_file_mode ? (d->file_mode & 07777) : 0666;

  if (d->type == NULL)
    return mc_error_make (err, 0, "device `%s`: no type", d->path);
  if (strcmp (d->type, "c") == 0 || strcmp (d->type, "u") == 0)
    *mode = S_IFCHR | perm;
  else if (strcmp (d->type, "b") == 0)
    *mode = S_IFBLK | perm;
  else if (strcmp (d->type, "p") == 0)
    *mode = S_IFIFO | perm;
  else
    return mc_error_make (err, 0, "device `%s`: unknown type `%s`", d->path,
                          d->type);
  return 0;
}

/* In a user namespace: an empty file with the host's node bound on it. */
static int
bind_device (int root_fd, int parent, const char *base, const spec_device_t *d,
             mc_error_t *err)
{
  cleanup_close int fd = -1;
  cleanup_close int dest = -1;

  fd = openat (parent, base, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    return mc_error_make (err, errno, "create `%s`", d->path);
  dest = mc_resolve_in_root (root_fd, d->path, MC_RESOLVE_NO_CREATE, err);
  if (dest < 0)
    return -1;
  return mc_mount_at_fd (d->path, dest, d->path, NULL, MS_BIND, NULL, err);
}

static int
create_device (int root_fd, const spec_device_t *d, bool userns,
               mc_error_t *err)
{
  cleanup_close int parent = -1;
  const char *base;
  mode_t mode = 0;

  if (d->path == NULL || d->path[0] != '/')
    return mc_error_make (err, 0, "device path `%s` is not absolute",
                          d->path ? d->path : "");
  if (device_mode (d, &mode, err) < 0)
    return -1;
  parent = open_parent (root_fd, d->path, &base, err);
  if (parent < 0)
    return mc_error_prefix (err, "device `%s`", d->path);
  /* A config device replaces a default one of the same path.  */
  if (unlinkat (parent, base, 0) < 0 && errno != ENOENT)
    return mc_error_make (err, errno, "remove `%s`", d->path);
  if (userns)
    return bind_device (root_fd, parent, base, d, err);
  if (mknodat (parent, base, mode,
               makedev ((unsigned) d->major, (unsigned) d->minor)) < 0)
    return mc_error_make (err, errno, "mknod `%s`", d->path);
  /* Nothing runs in the container yet, so the name still is the node
     mknodat just made, not a symlink: following calls are safe.  */
  if (fchmodat (parent, base, mode & 07777, 0) < 0)
    return mc_error_make (err, errno, "chmod `%s`", d->path);
  if ((d->has_uid || d->has_gid)
      && fchownat (parent, base, d->has_uid ? d->uid : 0,
                   d->has_gid ? d->gid : 0, 0) < 0)
    return mc_error_make (err, errno, "chown `%s`", d->path);
  return 0;
}

int
mc_devices_setup (int root_fd, const spec_linux_t *linux_, bool defaults,
                  bool userns, mc_error_t *err)
{
  if (defaults)
    {
      for (size_t i = 0; i < sizeof (default_devices) / sizeof (default_devices[0]); i++)
        if (create_device (root_fd, &default_devices[i], userns, err) < 0)
          return -1;
      for (size_t i = 0; i < sizeof (default_links) / sizeof (default_links[0]); i++)
        {
          cleanup_close int parent = -1;
          const char *base;

          parent = open_parent (root_fd, default_links[i].path, &base, err);
          if (parent < 0)
            return -1;
          if (symlinkat (default_links[i].target, parent, base) < 0
              && errno != EEXIST)
            return mc_error_make (err, errno, "symlink `%s`",
                                  default_links[i].path);
        }
    }
  if (linux_)
    for (size_t i = 0; i < linux_->devices_len; i++)
      if (create_device (root_fd, &linux_->devices[i], userns, err) < 0)
        return -1;
  return 0;
}
