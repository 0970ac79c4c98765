#include "runtime/lib/idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/userns.h"
#include "common/xalloc.h"
#include "runtime/lib/mounts.h"

bool
mc_idmap_wanted (const spec_mount_t *m)
{
  mc_mount_options_t o;
  bool wanted;

  mc_mount_options_parse (m->options, m->options_len, &o);
  wanted = o.idmap || m->uid_mappings_len > 0 || m->gid_mappings_len > 0;
  mc_mount_options_free (&o);
  return wanted;
}

/* The maps in /proc/PID/uid_map syntax.  */
static char *
map_text (const spec_id_mapping_t *maps, size_t n)
{
  char *buf = xmalloc (n * 40 + 1);
  size_t len = 0;

  buf[0] = '\0';
  for (size_t i = 0; i < n; i++)
    len += (size_t) sprintf (buf + len, "%u %u %u\n", maps[i].container_id,
                             maps[i].host_id, maps[i].size);
  return buf;
}

/* A user namespace with these maps, as an fd.  */
static int
userns_with_maps (const spec_id_mapping_t *uids, size_t n_uids,
                  const spec_id_mapping_t *gids, size_t n_gids,
                  mc_error_t *err)
{
  cleanup_free char *uid_map = map_text (uids, n_uids);
  cleanup_free char *gid_map = map_text (gids, n_gids);

  return mc_userns_open (uid_map, "uidMappings", gid_map, "gidMappings",
                         err);
}

/* Why MOUNT_ATTR_IDMAP or open_tree failed, in words.  */
static int
idmap_error (mc_error_t *err, int errnum, const spec_mount_t *m)
{
  if (errnum == ENOSYS)
    return mc_error_make (err, 0, "idmapped mount on `%s`: the kernel does "
                          "not support idmapped mounts", m->destination);
  if (errnum == EINVAL)
    return mc_error_make (err, 0, "idmapped mount on `%s`: the file system "
                          "of `%s` does not support idmapped mounts",
                          m->destination, m->source);
  return mc_error_make (err, errnum, "idmapped mount on `%s`: idmap `%s`",
                        m->destination, m->source);
}

static int
make_idmapped_tree (const spec_mount_t *m, const spec_linux_t *l,
                    const mc_namespaces_t *ns, int bundle_fd, mc_error_t *err)
{
  cleanup_close int userns = -1;
  cleanup_close int tree = -1;
  mc_mount_options_t o;
  bool bind, recursive, idmap_recursive;

  mc_mount_options_parse (m->options, m->options_len, &o);
  bind = o.bind || (m->type && strcmp (m->type, "bind") == 0);
  recursive = o.recursive || o.idmap_recursive;
  idmap_recursive = o.idmap_recursive;
  mc_mount_options_free (&o);
  if (!bind)
    return mc_error_make (err, 0, "idmapped mount on `%s`: only bind mounts "
                          "can be idmapped", m->destination);
  if (m->source == NULL)
    return mc_error_make (err, 0, "bind mount on `%s` without a source",
                          m->destination);
  if ((m->uid_mappings_len > 0) != (m->gid_mappings_len > 0))
    return mc_error_make (err, 0, "idmapped mount on `%s`: uidMappings and "
                          "gidMappings go together", m->destination);
  if (m->uid_mappings_len > 0)
    userns = userns_with_maps (m->uid_mappings, m->uid_mappings_len,
                               m->gid_mappings, m->gid_mappings_len, err);
  else if (!(ns->all & CLONE_NEWUSER))
    return mc_error_make (err, 0, "idmapped mount on `%s`: without "
                          "uidMappings of its own it needs a user namespace",
                          m->destination);
  else if (ns->join_fds[MC_NS_USER] >= 0)
    {
      /* The container joins this one.  */
      userns = fcntl (ns->join_fds[MC_NS_USER], F_DUPFD_CLOEXEC, 3);
      if (userns < 0)
        return mc_error_make (err, errno, "dup");
    }
  else
    /* The one init is cloned into gets the same maps.  */
    userns = userns_with_maps (l->uid_mappings, l->uid_mappings_len,
                               l->gid_mappings, l->gid_mappings_len, err);
  if (userns < 0)
    return mc_error_prefix (err, "idmapped mount on `%s`", m->destination);

  tree = open_tree (bundle_fd, m->source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC
                    | (recursive ? AT_RECURSIVE : 0));
  if (tree < 0)
    {
      if (errno == ENOSYS)
        return idmap_error (err, errno, m);
      return mc_error_make (err, errno, "bind mount source `%s`", m->source);
    }
  {
    struct mount_attr attr = {
      .attr_set = MOUNT_ATTR_IDMAP,
      .userns_fd = (uint64_t) userns,
    };

    if (mount_setattr (tree, "", AT_EMPTY_PATH
                       | (idmap_recursive ? AT_RECURSIVE : 0), &attr,
                       sizeof (attr)) < 0)
      return idmap_error (err, errno, m);
  }
  return steal_fd (&tree);
}

int
mc_idmap_prepare (const spec_runtime_config_t *config, const char *bundle,
                  const mc_namespaces_t *ns, int **fds, mc_error_t *err)
{
  cleanup_close int bundle_fd = -1;
  size_t n = config->mounts_len;
  int *out = NULL;

  *fds = NULL;
  for (size_t i = 0; i < n; i++)
    {
      if (!mc_idmap_wanted (&config->mounts[i]))
        continue;
      if (out == NULL)
        {
          out = xmalloc (n * sizeof (*out));
          for (size_t j = 0; j < n; j++)
            out[j] = -1;
          bundle_fd = open (bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
          if (bundle_fd < 0)
            {
              mc_idmap_close (out, n);
              return mc_error_make (err, errno, "open the bundle `%s`",
                                    bundle);
            }
        }
      out[i] = make_idmapped_tree (&config->mounts[i], config->linux_, ns,
                                   bundle_fd, err);
      if (out[i] < 0)
        {
          mc_idmap_close (out, n);
          return -1;
        }
    }
  *fds = out;
  return 0;
}

void
mc_idmap_close (int *fds, size_t n)
{
  if (fds == NULL)
    return;
  for (size_t i = 0; i < n; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  free (fds);
}
