/* The `cgroup` mount type.  On a cgroup v2 host this is cgroup2.  On a v1 or
   hybrid host it reproduces the host's layout of /sys/fs/cgroup: a tmpfs
   holding one fresh mount per hierarchy (cpu, memory, name=systemd, the
   cgroup2 `unified` one...) and the host's symlinks (cpu,cpuacct -> ...).
   With a cgroup namespace, the mounts are new ones, made in that
   namespace, so they show the container's cgroups rather than the host's
   tree.  Without one, a new mount would show the host's whole tree (and
   in a user namespace the kernel refuses it): each hierarchy is then a
   bind mount of the container's own group, as runc does.  */
#include "runtime/lib/cgroup.h"
#include "runtime/lib/mounts.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "runtime/lib/resolve.h"


/* Strip the per-mount "rw"/"ro" from super options, leaving what selects
   the hierarchy ("cpu", "name=systemd", ...).  Owned by the caller.  */
static char *
hierarchy_data (const char *superopts)
{
  cleanup_free char *copy = xstrdup (superopts);
  char *out = xzalloc (strlen (superopts) + 1);
  char *save = NULL;

  for (char *o = strtok_r (copy, ",", &save); o; o = strtok_r (NULL, ",", &save))
    {
      if (strcmp (o, "rw") == 0 || strcmp (o, "ro") == 0)
        continue;
      if (*out)
        strcat (out, ",");
      strcat (out, o);
    }
  return out;
}

/* The host path of this process's group in the hierarchy mounted at `mnt`
   (its selectors in `data`, "" for cgroup2), from /proc/self/cgroup.  */
static int
own_group_dir (const char *mnt, const char *data, char **out, mc_error_t *err)
{
  cleanup_free char *self = NULL;
  cleanup_free char *copy = xstrdup (data);
  char *save = NULL;

  if (mc_read_file_at (AT_FDCWD, "/proc/self/cgroup", 1 << 20, &self, NULL,
                       err) < 0)
    return -1;
  if (*data == '\0')
    {
      cleanup_free char *own = NULL;

      if (mc_cgroup_own_path (self, "", &own, err) < 0)
        return -1;
      *out = xasprintf ("%s%s", mnt, own);
      return 0;
    }
  /* Options such as clone_children select nothing: the first word that
     /proc/self/cgroup knows is the one.  */
  for (char *c = strtok_r (copy, ",", &save); c; c = strtok_r (NULL, ",", &save))
    {
      cleanup_free char *own = NULL;

      if (mc_cgroup_own_path (self, c, &own, err) == 0)
        {
          *out = xasprintf ("%s%s", mnt, own);
          return 0;
        }
      mc_error_release (err);
    }
  return mc_error_make (err, 0, "no group of this process in `%s`", mnt);
}

static int
mount_hierarchy (const mc_mount_ctx_t *ctx, int tmpfs_fd, const char *dest,
                 const char *mnt, const char *name, const char *fstype,
                 const char *superopts, unsigned long flags, mc_error_t *err)
{
  cleanup_free char *data = NULL;
  cleanup_free char *what = xasprintf ("%s/%s", dest, name);
  cleanup_free char *own = NULL;
  cleanup_close int fd = -1;

  if (mkdirat (tmpfs_fd, name, 0755) < 0 && errno != EEXIST)
    return mc_error_make (err, errno, "mkdir `%s`", what);
  fd = openat (tmpfs_fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return mc_error_make (err, errno, "open `%s`", what);
  data = strcmp (fstype, "cgroup") == 0 ? hierarchy_data (superopts)
                                        : xstrdup ("");
  if (ctx->cgroupns)
    {
      if (mc_mount_at_fd (fstype, fd, what, fstype, flags,
                          *data ? data : NULL, err) == 0)
        return 0;
      if (!ctx->userns || (*err)->status != EPERM)
        return -1;
      mc_error_release (err);
    }
  if (own_group_dir (mnt, data, &own, err) < 0
      || mc_mount_at_fd (own, fd, what, NULL, MS_BIND | MS_REC, NULL, err) < 0)
    return mc_error_prefix (err, "bind the container's cgroup");
  /* A bind ignores the mount's flags (ro, nosuid...): set them now, on
     the new mount, not on the tmpfs under it.  */
  close (fd);
  fd = openat (tmpfs_fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return mc_error_make (err, errno, "open `%s`", what);
  return mc_remount_bind (fd, what, flags, err);
}

struct mount_hierarchy_args
{
  const mc_mount_ctx_t *ctx;
  int tmpfs_fd;
  const char *dest;
  unsigned long flags;
};

static int
mount_one_hierarchy (const char *mnt, const char *name, const char *fstype,
                     const char *superopts, void *data, mc_error_t *err)
{
  struct mount_hierarchy_args *a = data;

  return mount_hierarchy (a->ctx, a->tmpfs_fd, a->dest, mnt, name, fstype,
                          superopts, a->flags, err);
}

/* Mount a hierarchy for every cgroup or cgroup2 mount directly below the
   host's /sys/fs/cgroup.  */
static int
mount_host_hierarchies (const mc_mount_ctx_t *ctx, int tmpfs_fd,
                        const char *dest, unsigned long flags, mc_error_t *err)
{
  struct mount_hierarchy_args a = { ctx, tmpfs_fd, dest, flags };

  return mc_cgroup_for_each_hierarchy (mount_one_hierarchy, &a, err);
}

/* Copy the host's symlinks (cpu -> cpu,cpuacct) so paths work alike.  */
static int
copy_host_symlinks (int tmpfs_fd, const char *dest, mc_error_t *err)
{
  cleanup_dir DIR *d = opendir (MC_CGROUP_ROOT);
  struct dirent *de;

  if (d == NULL)
    return 0;
  while ((de = readdir (d)))
    {
      char target[PATH_MAX];
      ssize_t n;

      if (de->d_type != DT_LNK)
        continue;
      n = readlinkat (dirfd (d), de->d_name, target, sizeof (target) - 1);
      if (n < 0)
        continue;
      target[n] = '\0';
      if (symlinkat (target, tmpfs_fd, de->d_name) < 0 && errno != EEXIST)
        return mc_error_make (err, errno, "symlink `%s/%s`", dest, de->d_name);
    }
  return 0;
}

int
mc_mount_cgroup (const mc_mount_ctx_t *ctx, const spec_mount_t *m,
                 const mc_mount_options_t *o, mc_error_t *err)
{
  cleanup_close int dest = -1;
  cleanup_close int tmpfs = -1;
  unsigned long flags = o->flags & ~(unsigned long) MS_REMOUNT;
  struct statfs sfs;

  dest = mc_resolve_in_root (ctx->root_fd, m->destination,
                             MC_RESOLVE_CREATE_DIR, err);
  if (dest < 0)
    return mc_error_prefix (err, "mount `cgroup` on `%s`", m->destination);
  if (statfs (MC_CGROUP_ROOT, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
    return mc_mount_at_fd ("cgroup2", dest, m->destination, "cgroup2", flags,
                           NULL, err);

  /* The tmpfs stays writable until the hierarchies are in place.  */
  if (mc_mount_at_fd ("tmpfs", dest, m->destination, "tmpfs",
                      flags & ~(unsigned long) MS_RDONLY, "mode=755", err) < 0)
    return -1;
  tmpfs = mc_resolve_in_root (ctx->root_fd, m->destination,
                              MC_RESOLVE_NO_CREATE, err);
  if (tmpfs < 0)
    return -1;
  if (mount_host_hierarchies (ctx, tmpfs, m->destination, flags, err) < 0
      || copy_host_symlinks (tmpfs, m->destination, err) < 0)
    return -1;
  if (flags & MS_RDONLY)
    return mc_remount_bind (tmpfs, m->destination, MS_RDONLY, err);
  return 0;
}
