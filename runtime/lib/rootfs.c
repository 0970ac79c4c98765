#include "runtime/lib/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "runtime/lib/mounts.h"
#include "runtime/lib/resolve.h"

/* linux.rootfsPropagation as mount flags; rslave when unset.  */
static int
root_propagation (const spec_runtime_config_t *config, unsigned long *out,
                  mc_error_t *err)
{
  const char *name = config->linux_ ? config->linux_->rootfs_propagation : NULL;

  *out = MS_SLAVE | MS_REC;
  if (name == NULL || *name == '\0')
    return 0;
  *out = mc_propagation_flags (name);
  if (*out == 0)
    return mc_error_make (err, 0, "linux.rootfsPropagation: unknown value `%s`",
                          name);
  return 0;
}

int
mc_rootfs_prepare (const spec_runtime_config_t *config, const char *rootfs,
                   mc_error_t *err)
{
  unsigned long propagation;
  int fd;

  if (root_propagation (config, &propagation, err) < 0)
    return -1;
  /* Even a "shared" container root must not share its setup with the
     host: slave first, the requested propagation is set on the rootfs
     mount below.  A shared one is set after pivot_root, which refuses a
     shared new root (mc_rootfs_finalize).  */
  if (mount (NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    return mc_error_make (err, errno, "make `/` rslave");
  if (mount (rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
    return mc_error_make (err, errno, "bind mount rootfs `%s`", rootfs);
  if ((propagation & ~(unsigned long) MS_REC) != MS_SLAVE
      && !(propagation & MS_SHARED)
      && mount (NULL, rootfs, NULL, propagation, NULL) < 0)
    return mc_error_make (err, errno, "set propagation of rootfs `%s`", rootfs);
  /* Opened after the bind so that it is the new mount's root.  */
  fd = open (rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return mc_error_make (err, errno, "open rootfs `%s`", rootfs);
  return fd;
}

int
mc_rootfs_pivot (int root_fd, mc_error_t *err)
{
  cleanup_close int old_root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

  if (old_root < 0)
    return mc_error_make (err, errno, "open `/`");
  if (fchdir (root_fd) < 0)
    return mc_error_make (err, errno, "chdir to the rootfs");
  /* pivot_root(".", "."): the old root ends up stacked on the new one, and
     is then detached from there, without needing a directory for it in
     the rootfs (which may be read-only).  */
  if (syscall (SYS_pivot_root, ".", ".") < 0)
    return mc_error_make (err, errno, "pivot_root");
  if (fchdir (old_root) < 0)
    return mc_error_make (err, errno, "chdir to the old root");
  /* Keep the unmount from propagating to the host's mounts.  */
  if (mount (NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    return mc_error_make (err, errno, "make the old root rslave");
  if (umount2 (".", MNT_DETACH) < 0)
    return mc_error_make (err, errno, "detach the old root");
  if (chdir ("/") < 0)
    return mc_error_make (err, errno, "chdir to `/`");
  return 0;
}

/* Undo the octal escapes of a mountinfo field (\040 for a space...).  */
static void
unescape_mountinfo (char *s)
{
  char *out = s;

  for (; *s; s++)
    if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0'
        && s[2] <= '7' && s[3] >= '0' && s[3] <= '7')
      {
        *out++ = (char) (((s[1] - '0') << 6) | ((s[2] - '0') << 3)
                         | (s[3] - '0'));
        s += 3;
      }
    else
      *out++ = *s;
  *out = '\0';
}

static bool
path_is_under (const char *path, const char *dir)
{
  size_t n = strlen (dir);

  return strncmp (path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* The whole-file-system proc and sysfs mounts of the host that are still
   in our mount namespace, outside the rootfs: after a chroot they stay in
   the namespace, and the kernel lets a new proc or sysfs be mounted (by a
   process of the container with CAP_SYS_ADMIN) only where a full, unmasked
   one already exists.  Each is made rslave (our changes never reach the
   host) and detached, or, where that is refused, covered by an empty
   tmpfs.  */
static int
hide_host_kernel_fs (const char *rootfs, mc_error_t *err)
{
  cleanup_file FILE *f = fopen ("/proc/self/mountinfo", "re");
  cleanup_free char *line = NULL;
  cleanup_free char *targets = NULL; /* NUL-separated, read in full first */
  size_t targets_len = 0;
  size_t cap = 0;

  if (f == NULL)
    return mc_error_make (err, errno, "open `/proc/self/mountinfo`");
  while (getline (&line, &cap, f) > 0)
    {
      char *fields[10];
      char *save = NULL;
      char *tok;
      int n = 0;
      size_t len;

      /* id parent major:minor root mount-point options [optional...] -
         type source super-options */
      for (tok = strtok_r (line, " \n", &save); tok && n < 10;
           tok = strtok_r (NULL, " \n", &save))
        {
          if (n == 6)
            {
              while (tok && strcmp (tok, "-") != 0)
                tok = strtok_r (NULL, " \n", &save);
              if (tok == NULL)
                break;
              tok = strtok_r (NULL, " \n", &save);
              if (tok == NULL)
                break;
            }
          fields[n++] = tok;
        }
      if (n < 7)
        continue;
      /* fields[6] is the type (the optional fields were skipped).  */
      if (strcmp (fields[3], "/") != 0
          || (strcmp (fields[6], "proc") != 0
              && strcmp (fields[6], "sysfs") != 0))
        continue;
      unescape_mountinfo (fields[4]);
      if (path_is_under (fields[4], rootfs))
        continue;
      len = strlen (fields[4]) + 1;
      targets = xrealloc (targets, targets_len + len);
      memcpy (targets + targets_len, fields[4], len);
      targets_len += len;
    }
  for (size_t pos = 0; pos < targets_len; pos += strlen (targets + pos) + 1)
    {
      const char *p = targets + pos;

      if (mount (NULL, p, NULL, MS_SLAVE | MS_REC, NULL) < 0)
        {
          /* Gone with a mount detached before it.  */
          if (errno == ENOENT)
            continue;
          return mc_error_make (err, errno, "make `%s` rslave", p);
        }
      if (umount2 (p, MNT_DETACH) == 0)
        continue;
      if (errno != EINVAL && errno != EPERM)
        return mc_error_make (err, errno, "detach `%s`", p);
      if (mount ("tmpfs", p, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV
                 | MS_NOEXEC, "size=0,mode=0555") < 0)
        return mc_error_make (err, errno, "cover `%s`", p);
    }
  return 0;
}

int
mc_rootfs_check_no_pivot (const spec_runtime_config_t *config, mc_error_t *err)
{
  const char *name = config->linux_ ? config->linux_->rootfs_propagation
                                    : NULL;

  /* As runc: without pivot_root the host's mounts stay below the rootfs
     in our namespace, and a private root would keep them there for good,
     whatever the host unmounts.  */
  if (name && *name && (mc_propagation_flags (name) & MS_PRIVATE))
    return mc_error_make (err, 0, "--no-pivot: linux.rootfsPropagation `%s` "
                          "is not safe without pivot_root", name);
  return 0;
}

int
mc_rootfs_move_root (int root_fd, const char *rootfs, mc_error_t *err)
{
  if (hide_host_kernel_fs (rootfs, err) < 0)
    return mc_error_prefix (err, "--no-pivot");
  if (fchdir (root_fd) < 0)
    return mc_error_make (err, errno, "chdir to the rootfs");
  /* "." is the root of the rootfs bind mount (root_fd is opened on it).  */
  if (mount (".", "/", NULL, MS_MOVE, NULL) < 0)
    return mc_error_make (err, errno, "--no-pivot: move the rootfs onto `/`");
  if (chroot (".") < 0)
    return mc_error_make (err, errno, "--no-pivot: chroot into the rootfs");
  if (chdir ("/") < 0)
    return mc_error_make (err, errno, "chdir to `/`");
  return 0;
}

static int
mask_path (int root_fd, const char *path, mc_error_t *err)
{
  cleanup_close int fd = mc_resolve_in_root (root_fd, path,
                                             MC_RESOLVE_NO_CREATE, err);
  struct stat st;

  if (fd < 0)
    {
      /* A path that is not there needs no masking.  */
      if ((*err)->status == ENOENT)
        {
          mc_error_release (err);
          return 0;
        }
      return mc_error_prefix (err, "maskedPaths");
    }
  if (fstat (fd, &st) < 0)
    return mc_error_make (err, errno, "maskedPaths: stat `%s`", path);
  if (S_ISDIR (st.st_mode))
    return mc_mount_at_fd ("tmpfs", fd, path, "tmpfs", MS_RDONLY,
                           "size=0,mode=0755", err);
  return mc_mount_at_fd ("/dev/null", fd, path, NULL, MS_BIND, NULL, err);
}

static int
readonly_path (int root_fd, const char *path, mc_error_t *err)
{
  cleanup_close int fd = mc_resolve_in_root (root_fd, path,
                                             MC_RESOLVE_NO_CREATE, err);
  cleanup_close int mnt = -1;

  if (fd < 0)
    {
      if ((*err)->status == ENOENT)
        {
          mc_error_release (err);
          return 0;
        }
      return mc_error_prefix (err, "readonlyPaths");
    }
  {
    char fd_path[MC_FD_PATH_SIZE];

    /* Bind the fd onto itself: the path is never looked up again.  */
    mc_fd_path (fd, fd_path);
    if (mount (fd_path, fd_path, NULL, MS_BIND | MS_REC, NULL) < 0)
      return mc_error_make (err, errno, "readonlyPaths: bind `%s`", path);
  }
  mnt = mc_resolve_in_root (root_fd, path, MC_RESOLVE_NO_CREATE, err);
  if (mnt < 0)
    return -1;
  /* Read-only all the way down: a mount below the path (/proc/sys/fs/
     binfmt_misc, a volume) must not stay writable through it.  Only the
     flag is added, so the flags a user namespace locks are kept.  */
  {
    struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

    if (mount_setattr (mnt, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
                       sizeof (attr)) < 0)
      return mc_error_make (err, errno, "readonlyPaths: make `%s` read-only",
                            path);
  }
  return 0;
}

int
mc_rootfs_finalize (const spec_runtime_config_t *config, mc_error_t *err)
{
  const spec_linux_t *l = config->linux_;
  cleanup_close int root_fd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

  unsigned long propagation;

  if (root_fd < 0)
    return mc_error_make (err, errno, "open `/`");
  if (root_propagation (config, &propagation, err) < 0)
    return -1;
  if ((propagation & MS_SHARED)
      && mount (NULL, "/", NULL, propagation, NULL) < 0)
    return mc_error_make (err, errno, "set propagation of `/`");
  if (l)
    {
      for (size_t i = 0; i < l->masked_paths_len; i++)
        if (mask_path (root_fd, l->masked_paths[i], err) < 0)
          return -1;
      for (size_t i = 0; i < l->readonly_paths_len; i++)
        if (readonly_path (root_fd, l->readonly_paths[i], err) < 0)
          return -1;
    }
  if (config->root && config->root->readonly
      && mc_remount_bind (root_fd, "/", MS_RDONLY, err) < 0)
    return mc_error_prefix (err, "root.readonly");
  return 0;
}
