/* mcimg bundle --userns: the container's ids 0..SIZE-1 are the host's
   HOST..HOST+SIZE-1 (uids and gids alike).

   The overlay rootfs sees the store's layers through idmapped mounts: each
   lower layer is cloned (open_tree), idmapped with a user namespace that
   has the container's mapping (mount_setattr), and handed to overlayfs by
   file descriptor ("lowerdir+"), so the clones are never attached anywhere
   and go away with the overlay.  A file owned by 0 in the store reads as
   HOST through the overlay and as 0 in the container; the store is not
   touched.  The upper directory holds host ids (HOST + container id), as
   the container writes them.  overlayfs itself cannot be idmapped (the
   kernel refuses MOUNT_ATTR_IDMAP on it), hence the per-layer mounts.

   A --copy rootfs is shifted instead: every entry is chowned by HOST,
   keeping setuid/setgid bits and file capabilities.  */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <linux/capability.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/userns.h"
#include "common/xalloc.h"
#include "imagetool/lib/bundle-internal.h"

#define N_OF(a) (sizeof (a) / sizeof ((a)[0]))
/* (uid_t) -1 is no id: the last mappable one is one below.  */
#define ID_LAST ((uint64_t) UINT32_MAX - 1)

static int
parse_u32 (const char *s, const char *end, uint64_t *out)
{
  uint64_t v = 0;

  if (s == end)
    return -1;
  for (; s < end; s++)
    {
      if (!isdigit ((unsigned char) *s) || v > UINT32_MAX)
        return -1;
      v = v * 10 + (uint64_t) (*s - '0');
    }
  if (v > UINT32_MAX)
    return -1;
  *out = v;
  return 0;
}

int
mcimg_parse_userns (const char *s, mcimg_userns_t *out, mc_error_t *err)
{
  const char *colon;
  uint64_t host, size;

  if (s == NULL)
    goto bad;
  if (strcmp (s, "host") == 0)
    {
      out->host = out->size = 0;
      return 0;
    }
  if (strcmp (s, "auto") == 0)
    {
      out->host = MCIMG_USERNS_AUTO_HOST;
      out->size = MCIMG_USERNS_AUTO_SIZE;
      return 0;
    }
  colon = strchr (s, ':');
  if (colon == NULL || parse_u32 (s, colon, &host) < 0
      || parse_u32 (colon + 1, colon + strlen (colon), &size) < 0)
    goto bad;
  if (host == 0)
    return mc_error_make (err, 0, "invalid --userns `%s`: the range must "
                          "not start at host id 0 (that is --userns=host)",
                          s);
  if (size == 0 || host + size - 1 > ID_LAST)
    return mc_error_make (err, 0, "invalid --userns `%s`: SIZE must be "
                          "at least 1 and HOSTID+SIZE at most %" PRIu64,
                          s, ID_LAST + 1);
  out->host = (uint32_t) host;
  out->size = (uint32_t) size;
  return 0;
bad:
  return mc_error_make (err, 0, "invalid --userns `%s` (expected auto, "
                        "host or HOSTID:SIZE)",
                        s ? s : "");
}

char *
mcimg_userns_map_text (const mcimg_userns_t *u)
{
  return xasprintf ("0 %" PRIu32 " %" PRIu32 "\n", u->host, u->size);
}

uint32_t
mcimg_userns_shift (const mcimg_userns_t *u, uint32_t id)
{
  /* Ids beyond the range have no name inside: they stay as they are and
     show as the overflow id (nobody) in the container.  */
  return id < u->size ? u->host + id : id;
}

static spec_id_mapping_t *
one_mapping (const mcimg_userns_t *u, size_t *len)
{
  spec_id_mapping_t *m = xzalloc (sizeof (*m));

  m->container_id = 0;
  m->host_id = u->host;
  m->size = u->size;
  *len = 1;
  return m;
}

void
mcimg_bundle_userns_config (spec_runtime_config_t *c,
                            const mcimg_bundle_options_t *o)
{
  spec_linux_t *l = c->linux_;
  bool host_net = o->network && strcmp (o->network, "host") == 0;

  if (o->userns.size == 0 || l == NULL)
    return;
  l->namespaces = xgrow (l->namespaces, l->namespaces_len,
                         sizeof (*l->namespaces));
  l->namespaces[l->namespaces_len].type = xstrdup ("user");
  l->namespaces[l->namespaces_len++].path = NULL;
  l->uid_mappings = one_mapping (&o->userns, &l->uid_mappings_len);
  l->gid_mappings = one_mapping (&o->userns, &l->gid_mappings_len);
  /* A user namespace may not mount the sysfs of a network namespace it
     does not own (the host's): bind the host's /sys read-only instead.  */
  for (size_t i = 0; host_net && i < c->mounts_len; i++)
    if (strcmp (c->mounts[i].destination, "/sys") == 0)
      {
        spec_mount_t *m = &c->mounts[i];
        free (m->type);
        free (m->source);
        cleanup_strvp (&m->options);
        m->type = xstrdup ("bind");
        m->source = xstrdup ("/sys");
        m->options = mcimg_bundle_options_strv (&m->options_len, "rbind",
                                                "nosuid", "noexec", "nodev",
                                                "ro", NULL);
      }
}

int
mcimg_bundle_userns_files (int dir_fd, const mcimg_bundle_options_t *o,
                           mc_error_t *err)
{
  static const char *const names[] = { "hostname", "hosts", "resolv.conf" };

  if (o->userns.size == 0)
    return 0;
  /* The runtime mounts these from inside the user namespace: its root
     must be able to reach DIR and read them as its own.  */
  if (fchmod (dir_fd, 0711) < 0)
    return mc_error_make (err, errno, "chmod the bundle directory");
  for (size_t i = 0; i < N_OF (names); i++)
    if (fchownat (dir_fd, names[i], o->userns.host, o->userns.host,
                  AT_SYMLINK_NOFOLLOW)
        < 0)
      return mc_error_make (err, errno, "chown `%s`", names[i]);
  return 0;
}

/* ---- the user namespace of an idmapping ---- */

/* A user namespace with u's mapping, as an fd.  */
int
mcimg_userns_open (const mcimg_userns_t *u, mc_error_t *err)
{
  cleanup_free char *map = mcimg_userns_map_text (u);

  return mc_userns_open (map, "uid map", map, "gid map", err);
}

/* ---- the idmapped overlay ---- */

/* err from a failed fsconfig: with the kernel's own message when the
   filesystem context has one ("e overlay: ...").  */
static int
fs_error (int fs, int saved, const char *what, mc_error_t *err)
{
  char msg[256];
  ssize_t n = read (fs, msg, sizeof msg - 1);

  while (n > 0 && msg[n - 1] == '\n')
    n--;
  if (n > 2 && msg[1] == ' ')
    {
      msg[n] = '\0';
      return mc_error_make (err, saved, "%s (%s)", what, msg + 2);
    }
  return mc_error_make (err, saved, "%s", what);
}

/* A detached clone of store_fd/path idmapped with userns_fd.  */
static int
idmapped_clone (int store_fd, const char *path, int userns_fd,
                mc_error_t *err)
{
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP,
                             .userns_fd = (uint64_t) userns_fd };
  cleanup_close int fd = open_tree (store_fd, path,
                                    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC
                                        | AT_RECURSIVE);
  int ret;

  if (fd < 0)
    return mc_error_make (err, errno, "clone layer `%s`", path);
  if (mount_setattr (fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
                     sizeof attr)
      < 0)
    return mc_error_make (err, errno, "idmap layer `%s` (the store's "
                          "filesystem or the kernel cannot idmap mounts: use "
                          "--copy)",
                          path);
  ret = fd;
  fd = -1;
  return ret;
}

static void
close_all (int *fds, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  free (fds);
}

/* The overlay in fs, from layers already added: kept apart so that the
   layer fds stay open until the superblock is made (closing a detached
   tree's last fd unmounts it, and overlayfs then cannot clone it).  */
static int
overlay_finish (int fs, int dir_fd, const char *dir, mc_error_t *err)
{
  cleanup_free char *upper = xasprintf ("%s/upper", dir);
  cleanup_free char *work = xasprintf ("%s/work", dir);
  cleanup_close int mnt = -1;

  if (fsconfig (fs, FSCONFIG_SET_STRING, "upperdir", upper, 0) < 0
      || fsconfig (fs, FSCONFIG_SET_STRING, "workdir", work, 0) < 0)
    return fs_error (fs, errno, "overlay: set upperdir and workdir", err);
  if (fsconfig (fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return fs_error (fs, errno, "create the overlay", err);
  mnt = fsmount (fs, FSMOUNT_CLOEXEC, 0);
  if (mnt < 0)
    return fs_error (fs, errno, "fsmount the overlay", err);
  if (move_mount (mnt, "", dir_fd, "rootfs", MOVE_MOUNT_F_EMPTY_PATH) < 0)
    return mc_error_make (err, errno, "mount the overlay on `%s/rootfs`",
                          dir);
  return 0;
}

int
mcimg_bundle_idmapped_overlay (int store_fd, char *const *lowers, size_t n,
                               int dir_fd, const char *dir,
                               const mcimg_userns_t *u, mc_error_t *err)
{
  cleanup_close int userns_fd = -1, fs = -1;
  int *layers = xmalloc (n * sizeof (int));
  int ret = -1;

  for (size_t i = 0; i < n; i++)
    layers[i] = -1;
  userns_fd = mcimg_userns_open (u, err);
  if (userns_fd < 0)
    goto out;
  fs = fsopen ("overlay", FSOPEN_CLOEXEC);
  if (fs < 0)
    {
      mc_error_make (err, errno, "fsopen overlay");
      goto out;
    }
  /* Top first: each lowerdir+ goes below the ones before it.  */
  for (size_t i = 0; i < n; i++)
    {
      layers[i] = idmapped_clone (store_fd, lowers[i], userns_fd, err);
      if (layers[i] < 0)
        goto out;
      if (fsconfig (fs, FSCONFIG_SET_FD, "lowerdir+", NULL, layers[i]) < 0)
        {
          fs_error (fs, errno, "overlay: add an idmapped lower layer "
                    "(needs a kernel whose overlayfs takes layers by file "
                    "descriptor; else use --copy)",
                    err);
          goto out;
        }
    }
  ret = overlay_finish (fs, dir_fd, dir, err);
out:
  close_all (layers, n);
  return ret;
}

/* ---- the shifted copy ---- */

/* Inodes with several links, shifted once.  */
struct seen
{
  ino_t *v;
  size_t n;
};

static bool
seen_add (struct seen *s, ino_t ino)
{
  for (size_t i = 0; i < s->n; i++)
    if (s->v[i] == ino)
      return false;
  s->v = xrealloc (s->v, (s->n + 1) * sizeof (*s->v));
  s->v[s->n++] = ino;
  return true;
}

/* chown drops setuid/setgid bits and security.capability: put them back,
   the capability rooted at the container's root (a v3 entry whose rootid
   is the host id of 0), so that it holds inside the user namespace.  */
static int
shift_regular (int parent_fd, const char *name, const struct stat *st,
               uid_t uid, gid_t gid, const mcimg_userns_t *u,
               mc_error_t *err)
{
  cleanup_close int fd = openat (parent_fd, name,
                                 O_RDONLY | O_NOFOLLOW | O_NOCTTY
                                     | O_NONBLOCK | O_CLOEXEC);
  struct vfs_ns_cap_data cap = { 0 };
  ssize_t caplen;

  if (fd < 0)
    return mc_error_make (err, errno, "open `%s`", name);
  caplen = fgetxattr (fd, "security.capability", &cap, sizeof cap);
  if (fchown (fd, uid, gid) < 0)
    return mc_error_make (err, errno, "chown `%s`", name);
  if ((st->st_mode & 06000) && fchmod (fd, st->st_mode & 07777) < 0)
    return mc_error_make (err, errno, "chmod `%s`", name);
  if (caplen >= (ssize_t) XATTR_CAPS_SZ_2)
    {
      cap.magic_etc = (cap.magic_etc & VFS_CAP_FLAGS_EFFECTIVE)
                      | VFS_CAP_REVISION_3;
      cap.rootid = u->host;
      if (fsetxattr (fd, "security.capability", &cap, XATTR_CAPS_SZ_3, 0)
          < 0)
        return mc_error_make (err, errno, "restore the capabilities of `%s`",
                              name);
    }
  return 0;
}

static int
shift_dir (int fd, const char *path, const mcimg_userns_t *u,
           struct seen *seen, mc_error_t *err)
{
  int dup_fd = fcntl (fd, F_DUPFD_CLOEXEC, 0);
  cleanup_dir DIR *d = dup_fd >= 0 ? fdopendir (dup_fd) : NULL;
  struct dirent *de;

  if (d == NULL)
    {
      if (dup_fd >= 0)
        close (dup_fd);
      return mc_error_make (err, errno, "read `%s`", path);
    }
  while ((errno = 0, de = readdir (d)) != NULL)
    {
      cleanup_free char *sub = NULL;
      struct stat st;
      uid_t uid;
      gid_t gid;

      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      sub = xasprintf ("%s/%s", path, de->d_name);
      if (fstatat (fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return mc_error_make (err, errno, "stat `%s`", sub);
      if (!S_ISDIR (st.st_mode) && st.st_nlink > 1
          && !seen_add (seen, st.st_ino))
        continue;
      uid = mcimg_userns_shift (u, st.st_uid);
      gid = mcimg_userns_shift (u, st.st_gid);
      if (S_ISREG (st.st_mode))
        {
          if (shift_regular (fd, de->d_name, &st, uid, gid, u, err) < 0)
            return mc_error_prefix (err, "%s", path);
          continue;
        }
      if (fchownat (fd, de->d_name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
        return mc_error_make (err, errno, "chown `%s`", sub);
      if (S_ISDIR (st.st_mode))
        {
          cleanup_close int sub_fd = openat (fd, de->d_name,
                                             O_RDONLY | O_DIRECTORY
                                                 | O_NOFOLLOW | O_CLOEXEC);
          if (sub_fd < 0)
            return mc_error_make (err, errno, "open `%s`", sub);
          if ((st.st_mode & 06000) && fchmod (sub_fd, st.st_mode & 07777) < 0)
            return mc_error_make (err, errno, "chmod `%s`", sub);
          if (shift_dir (sub_fd, sub, u, seen, err) < 0)
            return -1;
        }
    }
  if (errno)
    return mc_error_make (err, errno, "read `%s`", path);
  return 0;
}

int
mcimg_bundle_shift_rootfs (int dir_fd, const mcimg_userns_t *u,
                           mc_error_t *err)
{
  cleanup_close int root_fd = openat (dir_fd, "rootfs",
                                      O_RDONLY | O_DIRECTORY | O_NOFOLLOW
                                          | O_CLOEXEC);
  struct seen seen = { NULL, 0 };
  struct stat st;
  int ret;

  if (u->size == 0)
    return 0;
  if (root_fd < 0 || fstat (root_fd, &st) < 0)
    return mc_error_make (err, errno, "open rootfs");
  if (fchown (root_fd, mcimg_userns_shift (u, st.st_uid),
              mcimg_userns_shift (u, st.st_gid))
      < 0)
    return mc_error_make (err, errno, "chown rootfs");
  ret = shift_dir (root_fd, "rootfs", u, &seen, err);
  free (seen.v);
  if (ret < 0)
    return mc_error_prefix (err, "shift the owners for --userns");
  return 0;
}
