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

/* A fork-like child in a new user namespace: it only waits for EOF on
   `wait_fd` (ours closes it, or our death does) and exits.  */
static pid_t
spawn_userns_child (int wait_fd, int keep_fd)
{
  struct clone_args args = {
    .flags = CLONE_NEWUSER,
    .exit_signal = SIGCHLD,
  };
  long pid = syscall (SYS_clone3, &args, sizeof (args));

  if (pid < 0 && errno == ENOSYS)
    pid = syscall (SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid == 0)
    {
      char c;

      close (keep_fd);
      while (read (wait_fd, &c, 1) < 0 && errno == EINTR)
        ;
      _exit (0);
    }
  return (pid_t) pid;
}

static int
write_map (pid_t pid, const char *file, const char *what,
           const spec_id_mapping_t *maps, size_t n, mc_error_t *err)
{
  cleanup_free char *path = xasprintf ("/proc/%d/%s", (int) pid, file);
  cleanup_free char *buf = xmalloc (n * 40 + 1);
  cleanup_close int fd = -1;
  size_t len = 0;

  for (size_t i = 0; i < n; i++)
    len += (size_t) sprintf (buf + len, "%u %u %u\n", maps[i].container_id,
                             maps[i].host_id, maps[i].size);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return mc_error_make (err, errno, "open `%s`", path);
  /* The kernel takes a map in a single write(2), or refuses it.  */
  if (write (fd, buf, len) != (ssize_t) len)
    return mc_error_make (err, errno, "%s", what);
  return 0;
}

/* A user namespace with these maps, as an fd.  */
static int
userns_with_maps (const spec_id_mapping_t *uids, size_t n_uids,
                  const spec_id_mapping_t *gids, size_t n_gids,
                  mc_error_t *err)
{
  cleanup_close int wait_r = -1;
  cleanup_close int wait_w = -1;
  int fds[2];
  int userns = -1;
  int status;
  pid_t pid;

  if (pipe2 (fds, O_CLOEXEC) < 0)
    return mc_error_make (err, errno, "pipe");
  wait_r = fds[0];
  wait_w = fds[1];
  pid = spawn_userns_child (wait_r, wait_w);
  if (pid < 0)
    return mc_error_make (err, errno, "clone a user namespace");
  if (write_map (pid, "uid_map", "uidMappings", uids, n_uids, err) == 0
      && write_map (pid, "gid_map", "gidMappings", gids, n_gids, err) == 0)
    {
      cleanup_free char *path = xasprintf ("/proc/%d/ns/user", (int) pid);

      userns = open (path, O_RDONLY | O_CLOEXEC);
      if (userns < 0)
        mc_error_make (err, errno, "open `%s`", path);
    }
  /* The namespace lives on through the fd; the child goes.  */
  close (steal_fd (&wait_w));
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  return userns;
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
