#include "runtime/lib/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "runtime/lib/resolve.h"

enum opt_kind
{
  OPT_SET,   /* set the MS_ flag */
  OPT_CLEAR, /* clear it */
  OPT_PROPAGATION,
  OPT_BIND,
  OPT_RBIND,
  OPT_REC_SET,   /* set the MOUNT_ATTR_ flag recursively */
  OPT_REC_CLEAR, /* clear it recursively */
  OPT_REC_ATIME, /* set the MOUNT_ATTR_ atime mode recursively */
  OPT_IDMAP,
  OPT_RIDMAP,
  OPT_REFUSE,    /* known, not supported: fail rather than ignore it */
  OPT_IGNORE,
};

static const struct
{
  const char *name;
  enum opt_kind kind;
  unsigned long flag;
} option_table[] = {
  { "defaults", OPT_IGNORE, 0 },
  { "ro", OPT_SET, MS_RDONLY },
  { "rw", OPT_CLEAR, MS_RDONLY },
  { "nosuid", OPT_SET, MS_NOSUID },
  { "suid", OPT_CLEAR, MS_NOSUID },
  { "nodev", OPT_SET, MS_NODEV },
  { "dev", OPT_CLEAR, MS_NODEV },
  { "noexec", OPT_SET, MS_NOEXEC },
  { "exec", OPT_CLEAR, MS_NOEXEC },
  { "sync", OPT_SET, MS_SYNCHRONOUS },
  { "async", OPT_CLEAR, MS_SYNCHRONOUS },
  { "dirsync", OPT_SET, MS_DIRSYNC },
  { "remount", OPT_SET, MS_REMOUNT },
  { "mand", OPT_SET, MS_MANDLOCK },
  { "nomand", OPT_CLEAR, MS_MANDLOCK },
  { "noatime", OPT_SET, MS_NOATIME },
  { "atime", OPT_CLEAR, MS_NOATIME },
  { "nodiratime", OPT_SET, MS_NODIRATIME },
  { "diratime", OPT_CLEAR, MS_NODIRATIME },
  { "relatime", OPT_SET, MS_RELATIME },
  { "norelatime", OPT_CLEAR, MS_RELATIME },
  { "strictatime", OPT_SET, MS_STRICTATIME },
  { "nostrictatime", OPT_CLEAR, MS_STRICTATIME },
  { "lazytime", OPT_SET, MS_LAZYTIME },
  { "nolazytime", OPT_CLEAR, MS_LAZYTIME },
  { "nosymfollow", OPT_SET, MS_NOSYMFOLLOW },
  { "symfollow", OPT_CLEAR, MS_NOSYMFOLLOW },
  { "silent", OPT_SET, MS_SILENT },
  { "loud", OPT_CLEAR, MS_SILENT },
  { "iversion", OPT_SET, MS_I_VERSION },
  { "noiversion", OPT_CLEAR, MS_I_VERSION },
  { "bind", OPT_BIND, 0 },
  { "rbind", OPT_RBIND, 0 },
  { "private", OPT_PROPAGATION, MS_PRIVATE },
  { "rprivate", OPT_PROPAGATION, MS_PRIVATE | MS_REC },
  { "shared", OPT_PROPAGATION, MS_SHARED },
  { "rshared", OPT_PROPAGATION, MS_SHARED | MS_REC },
  { "slave", OPT_PROPAGATION, MS_SLAVE },
  { "rslave", OPT_PROPAGATION, MS_SLAVE | MS_REC },
  { "unbindable", OPT_PROPAGATION, MS_UNBINDABLE },
  { "runbindable", OPT_PROPAGATION, MS_UNBINDABLE | MS_REC },
  /* runc's recursive attributes (mount_setattr with AT_RECURSIVE).  */
  { "rro", OPT_REC_SET, MOUNT_ATTR_RDONLY },
  { "rrw", OPT_REC_CLEAR, MOUNT_ATTR_RDONLY },
  { "rnosuid", OPT_REC_SET, MOUNT_ATTR_NOSUID },
  { "rsuid", OPT_REC_CLEAR, MOUNT_ATTR_NOSUID },
  { "rnodev", OPT_REC_SET, MOUNT_ATTR_NODEV },
  { "rdev", OPT_REC_CLEAR, MOUNT_ATTR_NODEV },
  { "rnoexec", OPT_REC_SET, MOUNT_ATTR_NOEXEC },
  { "rexec", OPT_REC_CLEAR, MOUNT_ATTR_NOEXEC },
  { "rnodiratime", OPT_REC_SET, MOUNT_ATTR_NODIRATIME },
  { "rdiratime", OPT_REC_CLEAR, MOUNT_ATTR_NODIRATIME },
  { "rnosymfollow", OPT_REC_SET, MOUNT_ATTR_NOSYMFOLLOW },
  { "rsymfollow", OPT_REC_CLEAR, MOUNT_ATTR_NOSYMFOLLOW },
  { "rnoatime", OPT_REC_ATIME, MOUNT_ATTR_NOATIME },
  { "rrelatime", OPT_REC_ATIME, MOUNT_ATTR_RELATIME },
  { "rstrictatime", OPT_REC_ATIME, MOUNT_ATTR_STRICTATIME },
  /* The atime mode is one value, not flags: "not noatime" does not say
     which mode to take (mount_setattr refuses a partial clear).  */
  { "ratime", OPT_REFUSE, 0 },
  { "rnorelatime", OPT_REFUSE, 0 },
  { "rnostrictatime", OPT_REFUSE, 0 },
  /* Idmapped mounts (runtime-spec 1.2, see idmap.h).  */
  { "idmap", OPT_IDMAP, 0 },
  { "ridmap", OPT_RIDMAP, 0 },
  /* Extensions of other runtimes that mean nothing to the kernel.  */
  { "tmpcopyup", OPT_IGNORE, 0 },
  { "notmpcopyup", OPT_IGNORE, 0 },
};
#define N_OPTIONS (sizeof (option_table) / sizeof (option_table[0]))

/* Flags that describe a mount's per-mount attributes: after a bind mount
   they need a second step (the kernel ignores them with MS_BIND).  */
#define ATTR_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME \
                    | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME           \
                    | MS_NOSYMFOLLOW)

unsigned long
mc_propagation_flags (const char *name)
{
  for (size_t i = 0; i < N_OPTIONS; i++)
    if (option_table[i].kind == OPT_PROPAGATION
        && strcmp (option_table[i].name, name) == 0)
      return option_table[i].flag;
  return 0;
}

void
mc_mount_options_parse (char *const *options, size_t n, mc_mount_options_t *out)
{
  size_t data_len = 0;

  memset (out, 0, sizeof (*out));
  for (size_t i = 0; i < n; i++)
    {
      const char *opt = options[i];
      size_t j;

      for (j = 0; j < N_OPTIONS; j++)
        if (strcmp (option_table[j].name, opt) == 0)
          break;
      if (j == N_OPTIONS)
        {
          size_t len = strlen (opt);

          out->data = xrealloc (out->data, data_len + len + 2);
          if (data_len)
            out->data[data_len++] = ',';
          memcpy (out->data + data_len, opt, len + 1);
          data_len += len;
          continue;
        }
      switch (option_table[j].kind)
        {
        case OPT_SET:
          out->flags |= option_table[j].flag;
          out->clear &= ~option_table[j].flag;
          break;
        case OPT_CLEAR:
          out->flags &= ~option_table[j].flag;
          out->clear |= option_table[j].flag;
          break;
        case OPT_PROPAGATION:
          out->propagation = option_table[j].flag;
          break;
        case OPT_BIND:
          out->bind = true;
          break;
        case OPT_RBIND:
          out->bind = out->recursive = true;
          break;
        case OPT_REC_SET:
          out->rec_set |= option_table[j].flag;
          out->rec_clear &= ~(unsigned long long) option_table[j].flag;
          break;
        case OPT_REC_CLEAR:
          out->rec_clear |= option_table[j].flag;
          out->rec_set &= ~(unsigned long long) option_table[j].flag;
          break;
        case OPT_REC_ATIME:
          out->rec_set &= ~(unsigned long long) MOUNT_ATTR__ATIME;
          out->rec_set |= option_table[j].flag;
          out->rec_clear |= MOUNT_ATTR__ATIME;
          break;
        case OPT_IDMAP:
          out->idmap = true;
          break;
        case OPT_RIDMAP:
          out->idmap = out->idmap_recursive = true;
          break;
        case OPT_REFUSE:
          out->refused = option_table[j].name;
          break;
        case OPT_IGNORE:
          break;
        }
      if ((option_table[j].kind == OPT_SET || option_table[j].kind == OPT_CLEAR)
          && (option_table[j].flag
              & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)))
        out->has_atime = true;
    }
}

void
mc_mount_options_free (mc_mount_options_t *o)
{
  free (o->data);
  o->data = NULL;
}

int
mc_mount_at_fd (const char *source, int dest_fd, const char *what,
                const char *type, unsigned long flags, const char *data,
                mc_error_t *err)
{
  char target[MC_FD_PATH_SIZE];

  if (mount (source, mc_fd_path (dest_fd, target), type, flags, data) < 0)
    return mc_error_make (err, errno, "mount `%s` on `%s`",
                          source ? source : type, what);
  return 0;
}

static unsigned long long
ms_to_attr (unsigned long ms)
{
  unsigned long long a = 0;

  if (ms & MS_RDONLY)
    a |= MOUNT_ATTR_RDONLY;
  if (ms & MS_NOSUID)
    a |= MOUNT_ATTR_NOSUID;
  if (ms & MS_NODEV)
    a |= MOUNT_ATTR_NODEV;
  if (ms & MS_NOEXEC)
    a |= MOUNT_ATTR_NOEXEC;
  if (ms & MS_NODIRATIME)
    a |= MOUNT_ATTR_NODIRATIME;
  if (ms & MS_NOSYMFOLLOW)
    a |= MOUNT_ATTR_NOSYMFOLLOW;
  return a;
}

/* Change the attributes of the mount whose root `fd` is: mount_setattr
   changes only what it is told, so the flags a user namespace locks are
   kept without having to look them up first.  */
static int
mount_set_flags (int fd, const char *what, unsigned long set,
                 unsigned long clear, bool atime, bool recursive,
                 mc_error_t *err)
{
  struct mount_attr attr = {
    .attr_set = ms_to_attr (set),
    .attr_clr = ms_to_attr (clear),
  };

  if (atime)
    {
      attr.attr_clr |= MOUNT_ATTR__ATIME;
      if (set & MS_NOATIME)
        attr.attr_set |= MOUNT_ATTR_NOATIME;
      else if (set & MS_STRICTATIME)
        attr.attr_set |= MOUNT_ATTR_STRICTATIME;
      else
        attr.attr_set |= MOUNT_ATTR_RELATIME;
    }
  if (mount_setattr (fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0),
                     &attr, sizeof (attr)) < 0)
    return mc_error_make (err, errno, "set mount flags of `%s`", what);
  return 0;
}

int
mc_remount_bind (int fd, const char *what, unsigned long flags, mc_error_t *err)
{
  return mount_set_flags (fd, what, flags, 0, false, false, err);
}

static int
set_propagation (int fd, const char *what, unsigned long propagation,
                 mc_error_t *err)
{
  char target[MC_FD_PATH_SIZE];

  if (mount (NULL, mc_fd_path (fd, target), NULL, propagation, NULL) < 0)
    return mc_error_make (err, errno, "set propagation of `%s`", what);
  return 0;
}

/* `tree` (or -1): the idmapped copy of the source, to be moved into place
   instead of bind-mounting the source.  */
static int
do_bind (const mc_mount_ctx_t *ctx, const spec_mount_t *m,
         const mc_mount_options_t *o, int tree, mc_error_t *err)
{
  cleanup_close int dest = -1;
  cleanup_close int mnt = -1;
  struct stat st;

  if (m->source == NULL)
    return mc_error_make (err, 0, "bind mount on `%s` without a source",
                          m->destination);
  if ((tree >= 0 ? fstat (tree, &st) : stat (m->source, &st)) < 0)
    return mc_error_make (err, errno, "bind mount source `%s`", m->source);
  dest = mc_resolve_in_root (ctx->root_fd, m->destination,
                             S_ISDIR (st.st_mode) ? MC_RESOLVE_CREATE_DIR
                                                  : MC_RESOLVE_CREATE_FILE,
                             err);
  if (dest < 0)
    return mc_error_prefix (err, "mount `%s` on `%s`", m->source,
                            m->destination);
  if (tree >= 0)
    {
      /* Onto the fd resolved inside the rootfs, as a bind would be.  */
      if (move_mount (tree, "", dest, "",
                      MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        return mc_error_make (err, errno, "move the idmapped mount of `%s` "
                              "onto `%s`", m->source, m->destination);
    }
  else if (mc_mount_at_fd (m->source, dest, m->destination, NULL,
                           MS_BIND | (o->recursive ? MS_REC : 0), NULL,
                           err) < 0)
    return -1;
  if (!(o->flags & ATTR_FLAGS) && !(o->clear & ATTR_FLAGS) && !o->propagation)
    return 0;
  /* The fd we mounted on is below the new mount: reopen to get its root. */
  mnt = mc_resolve_in_root (ctx->root_fd, m->destination, MC_RESOLVE_NO_CREATE,
                            err);
  if (mnt < 0)
    return -1;
  if (((o->flags | o->clear) & ATTR_FLAGS)
      && mount_set_flags (mnt, m->destination, o->flags & ATTR_FLAGS,
                          o->clear & ATTR_FLAGS, o->has_atime, o->recursive,
                          err) < 0)
    return -1;
  if (o->propagation)
    return set_propagation (mnt, m->destination, o->propagation, err);
  return 0;
}

/* The kernel's own trees get special care (CVE-2019-16884 class): a
   rootfs whose /proc or /sys is a symlink would have them mounted
   elsewhere than where everything later looks for them (LSM attributes,
   maskedPaths), so such a destination is refused; and what ends up at
   the destination is checked to be the real file system, not something
   swapped in under it.  Returns the expected magic, or 0.  */
static unsigned long
kernel_fs_magic (const char *type)
{
  if (strcmp (type, "proc") == 0)
    return PROC_SUPER_MAGIC;
  if (strcmp (type, "sysfs") == 0)
    return SYSFS_MAGIC;
  return 0;
}

static int
check_kernel_fs_dest (const mc_mount_ctx_t *ctx, const spec_mount_t *m,
                      unsigned long magic, bool mounted, mc_error_t *err)
{
  struct open_how how = {
    .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
  };
  cleanup_close int fd = -1;
  struct statfs sfs;

  do
    fd = (int) syscall (SYS_openat2, ctx->root_fd, m->destination, &how,
                        sizeof (how));
  while (fd < 0 && errno == EAGAIN);
  if (fd < 0)
    return mc_error_make (err, errno == ELOOP ? 0 : errno,
                          "mount %s on `%s`: %s", m->type, m->destination,
                          errno == ELOOP ? "the destination goes through a "
                                           "symlink" : "open the destination");
  if (!mounted)
    return 0;
  if (fstatfs (fd, &sfs) < 0)
    return mc_error_make (err, errno, "statfs `%s`", m->destination);
  if ((unsigned long) sfs.f_type != magic)
    return mc_error_make (err, 0, "mount %s on `%s`: another file system is "
                          "there after mounting", m->type, m->destination);
  return 0;
}

static int
do_mount (const mc_mount_ctx_t *ctx, const spec_mount_t *m,
          const mc_mount_options_t *o, mc_error_t *err)
{
  unsigned long magic = kernel_fs_magic (m->type);

  cleanup_close int dest = -1;

  dest = mc_resolve_in_root (ctx->root_fd, m->destination,
                             MC_RESOLVE_CREATE_DIR, err);
  if (dest < 0)
    return mc_error_prefix (err, "mount `%s` on `%s`",
                            m->source ? m->source : m->type, m->destination);
  if (magic && check_kernel_fs_dest (ctx, m, magic, false, err) < 0)
    return -1;
  if (mc_mount_at_fd (m->source ? m->source : m->type, dest, m->destination,
                      m->type, o->flags, o->data, err) < 0)
    return -1;
  if (magic && check_kernel_fs_dest (ctx, m, magic, true, err) < 0)
    return -1;
  if (o->propagation)
    {
      cleanup_close int mnt = mc_resolve_in_root (ctx->root_fd, m->destination,
                                                  MC_RESOLVE_NO_CREATE, err);
      if (mnt < 0)
        return -1;
      return set_propagation (mnt, m->destination, o->propagation, err);
    }
  return 0;
}

/* rro, rnosuid...: on the mount now at the destination and every mount
   below it.  */
static int
set_recursive_attrs (const mc_mount_ctx_t *ctx, const spec_mount_t *m,
                     const mc_mount_options_t *o, mc_error_t *err)
{
  struct mount_attr attr = {
    .attr_set = o->rec_set,
    .attr_clr = o->rec_clear,
  };
  cleanup_close int mnt = mc_resolve_in_root (ctx->root_fd, m->destination,
                                              MC_RESOLVE_NO_CREATE, err);

  if (mnt < 0)
    return -1;
  if (mount_setattr (mnt, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
                     sizeof (attr)) < 0)
    return mc_error_make (err, errno, "set the recursive mount attributes of "
                          "`%s`", m->destination);
  return 0;
}

int
mc_mounts_apply (const mc_mount_ctx_t *ctx, const spec_mount_t *mounts,
                 size_t n, mc_error_t *err)
{
  for (size_t i = 0; i < n; i++)
    {
      const spec_mount_t *m = &mounts[i];
      mc_mount_options_t o;
      int r;

      if (m->destination == NULL || *m->destination == '\0')
        return mc_error_make (err, 0, "mounts[%zu]: no destination", i);
      mc_mount_options_parse (m->options, m->options_len, &o);
      if (m->type && strcmp (m->type, "bind") == 0)
        o.bind = true;
      if (o.refused)
        r = mc_error_make (err, 0, "mount on `%s`: option `%s` is not "
                           "supported", m->destination, o.refused);
      else if ((o.idmap || m->uid_mappings_len || m->gid_mappings_len)
               && (ctx->idmap_fds == NULL || ctx->idmap_fds[i] < 0))
        /* mc_idmap_prepare makes them all or fails: never a plain bind.  */
        r = mc_error_make (err, 0, "idmapped mount on `%s`: not prepared",
                           m->destination);
      else if (o.bind)
        r = do_bind (ctx, m, &o, ctx->idmap_fds ? ctx->idmap_fds[i] : -1,
                     err);
      else if (m->type == NULL || *m->type == '\0')
        r = mc_error_make (err, 0, "mount on `%s`: no type", m->destination);
      else if (strcmp (m->type, "cgroup") == 0)
        r = mc_mount_cgroup (ctx, m, &o, err);
      else
        r = do_mount (ctx, m, &o, err);
      if (r == 0 && (o.rec_set || o.rec_clear))
        r = set_recursive_attrs (ctx, m, &o, err);
      mc_mount_options_free (&o);
      if (r < 0)
        return r;
    }
  return 0;
}
