#include "runtime/lib/namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"

#ifndef CLONE_NEWTIME
# define CLONE_NEWTIME 0x00000080
#endif

static const struct
{
  const char *type;
  unsigned long flag;
  enum mc_ns_index index;
} ns_table[] = {
  { "user", CLONE_NEWUSER, MC_NS_USER },
  { "pid", CLONE_NEWPID, MC_NS_PID },
  { "ipc", CLONE_NEWIPC, MC_NS_IPC },
  { "uts", CLONE_NEWUTS, MC_NS_UTS },
  { "network", CLONE_NEWNET, MC_NS_NET },
  { "cgroup", CLONE_NEWCGROUP, MC_NS_CGROUP },
  { "time", CLONE_NEWTIME, MC_NS_TIME },
  { "mount", CLONE_NEWNS, MC_NS_MOUNT },
};
#define N_NS (sizeof (ns_table) / sizeof (ns_table[0]))

unsigned long
mc_namespace_flag (const char *type)
{
  for (size_t i = 0; i < N_NS; i++)
    if (strcmp (ns_table[i].type, type) == 0)
      return ns_table[i].flag;
  return 0;
}

static int
ns_lookup (const char *type)
{
  for (size_t i = 0; i < N_NS; i++)
    if (strcmp (ns_table[i].type, type) == 0)
      return (int) i;
  return -1;
}

static int
open_ns_path (const char *type, unsigned long flag, const char *path,
              mc_error_t *err)
{
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  int nstype;

  if (fd < 0)
    return mc_error_make (err, errno, "open %s namespace `%s`", type, path);
  /* A regular file or another kind of namespace would make setns fail
     later with EINVAL, in the child: say what is wrong here instead.  */
  nstype = ioctl (fd, NS_GET_NSTYPE);
  if (nstype < 0 && errno == ENOTTY)
    return mc_error_make (err, 0, "`%s` is not a namespace", path);
  if (nstype < 0)
    return mc_error_make (err, errno, "%s namespace `%s`", type, path);
  if ((unsigned long) nstype != flag)
    return mc_error_make (err, 0, "`%s` is not a %s namespace", path, type);
  return steal_fd (&fd);
}

/* The clocks a time namespace can shift, by their names in the spec and
   in /proc/PID/timens_offsets.  */
static const char *const time_clocks[] = { "monotonic", "boottime" };

static int
check_time_offsets (const spec_linux_t *linux_, mc_namespaces_t *ns,
                    mc_error_t *err)
{
  if (linux_->time_offsets_len == 0)
    return 0;
  if (!(ns->clone_flags & CLONE_NEWTIME))
    return mc_error_make (err, 0, "linux.timeOffsets needs a new time "
                          "namespace (linux.namespaces: time, without a path)");
  for (size_t i = 0; i < linux_->time_offsets_len; i++)
    {
      const spec_time_offset_t *o = &linux_->time_offsets[i];

      if (strcmp (o->key, time_clocks[0]) != 0
          && strcmp (o->key, time_clocks[1]) != 0)
        return mc_error_make (err, 0, "linux.timeOffsets: unknown clock `%s` "
                              "(monotonic or boottime)", o->key);
      if (o->nanosecs >= 1000000000u)
        return mc_error_make (err, 0, "linux.timeOffsets.%s: nanosecs %u is "
                              "not below 1000000000", o->key, o->nanosecs);
    }
  ns->time_offsets = linux_->time_offsets;
  ns->time_offsets_len = linux_->time_offsets_len;
  return 0;
}

int
mc_namespaces_prepare (const spec_linux_t *linux_, mc_namespaces_t *ns,
                       mc_error_t *err)
{
  memset (ns, 0, sizeof (*ns));
  for (int i = 0; i < MC_NS_COUNT; i++)
    ns->join_fds[i] = -1;
  if (linux_ == NULL)
    return 0;

  for (size_t i = 0; i < linux_->namespaces_len; i++)
    {
      const spec_namespace_t *n = &linux_->namespaces[i];
      int t = n->type ? ns_lookup (n->type) : -1;
      int index;

      if (t < 0)
        return mc_error_make (err, 0, "linux.namespaces: unknown type `%s`",
                              n->type ? n->type : "");
      if (ns->all & ns_table[t].flag)
        return mc_error_make (err, 0,
                              "linux.namespaces: `%s` is listed twice", n->type);
      ns->all |= ns_table[t].flag;
      index = ns_table[t].index;
      if (n->path && *n->path)
        {
          ns->join_fds[index] = open_ns_path (n->type, ns_table[t].flag,
                                              n->path, err);
          if (ns->join_fds[index] < 0)
            return mc_error_prefix (err, "linux.namespaces");
        }
      else
        ns->clone_flags |= ns_table[t].flag;
    }

  if (check_time_offsets (linux_, ns, err) < 0)
    return -1;
  /* The cgroup namespace is created by init once it is in its cgroup, the
     time namespace once init is in its user namespace (see
     enter_new_time_ns).  */
  ns->unshare_flags = ns->clone_flags & (CLONE_NEWCGROUP | CLONE_NEWTIME);
  ns->clone_flags &= ~(unsigned long) (CLONE_NEWCGROUP | CLONE_NEWTIME);
  if (ns->join_fds[MC_NS_USER] >= 0)
    {
      /* New namespaces must belong to the joined user namespace, so init
         creates them after setns; only pid has to come from the clone,
         made from inside that user namespace (see clone-init.c).  */
      ns->unshare_flags |= ns->clone_flags & ~(unsigned long) CLONE_NEWPID;
      ns->clone_flags &= CLONE_NEWPID;
    }
  if ((ns->clone_flags & CLONE_NEWUSER)
      && (linux_->uid_mappings_len == 0 || linux_->gid_mappings_len == 0))
    return mc_error_make (err, 0, "a user namespace needs linux.uidMappings "
                          "and linux.gidMappings");
  return 0;
}

void
mc_namespaces_close (mc_namespaces_t *ns)
{
  for (int i = 0; i < MC_NS_COUNT; i++)
    if (ns->join_fds[i] >= 0)
      {
        close (ns->join_fds[i]);
        ns->join_fds[i] = -1;
      }
}

int
mc_namespaces_enter_pid (const mc_namespaces_t *ns, int *saved,
                         mc_error_t *err)
{
  *saved = -1;
  if (ns->join_fds[MC_NS_PID] < 0)
    return 0;
  *saved = open ("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
  if (*saved < 0)
    return mc_error_make (err, errno, "open `/proc/self/ns/pid`");
  if (setns (ns->join_fds[MC_NS_PID], CLONE_NEWPID) < 0)
    {
      int saved_errno = errno;
      close (*saved);
      *saved = -1;
      return mc_error_make (err, saved_errno, "join pid namespace");
    }
  return 0;
}

int
mc_namespaces_leave_pid (int *saved, mc_error_t *err)
{
  int ret = 0;

  if (*saved < 0)
    return 0;
  if (setns (*saved, CLONE_NEWPID) < 0)
    ret = mc_error_make (err, errno, "return to our pid namespace");
  close (*saved);
  *saved = -1;
  return ret;
}

static int
write_map (pid_t pid, const char *file, const spec_id_mapping_t *maps,
           size_t n, mc_error_t *err)
{
  cleanup_free char *path = xasprintf ("/proc/%d/%s", (int) pid, file);
  cleanup_free char *buf = NULL;
  size_t len = 0;
  cleanup_close int fd = -1;

  buf = xmalloc (n * 40 + 1);
  for (size_t i = 0; i < n; i++)
    len += (size_t) sprintf (buf + len, "%u %u %u\n", maps[i].container_id,
                             maps[i].host_id, maps[i].size);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  /* The map must be written with a single write(2).  */
  if (fd < 0 || write (fd, buf, len) != (ssize_t) len)
    return mc_error_make (err, errno, "write `%s`", path);
  return 0;
}

int
mc_namespaces_write_id_maps (pid_t pid, const spec_linux_t *linux_,
                             mc_error_t *err)
{
  if (write_map (pid, "uid_map", linux_->uid_mappings,
                 linux_->uid_mappings_len, err) < 0
      || write_map (pid, "gid_map", linux_->gid_mappings,
                    linux_->gid_mappings_len, err) < 0)
    return mc_error_prefix (err, "user namespace");
  return 0;
}

/* unshare(CLONE_NEWTIME) made a namespace for our children only, and
   nothing is in it yet: its offsets can still be written (through our own
   timens_offsets, which speaks for it), then we enter it ourselves (we
   are single-threaded, as setns into a time namespace wants).  */
static int
enter_new_time_ns (const mc_namespaces_t *ns, mc_error_t *err)
{
  cleanup_close int fd = -1;

  if (ns->time_offsets_len > 0)
    {
      cleanup_free char *buf = NULL;
      cleanup_close int offsets_fd = -1;
      size_t len = 0;

      buf = xmalloc (ns->time_offsets_len * 48 + 1);
      for (size_t i = 0; i < ns->time_offsets_len; i++)
        len += (size_t) sprintf (buf + len, "%s %lld %u\n",
                                 ns->time_offsets[i].key,
                                 (long long) ns->time_offsets[i].secs,
                                 ns->time_offsets[i].nanosecs);
      offsets_fd = open ("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
      /* All clocks in one write(2).  */
      if (offsets_fd < 0 || write (offsets_fd, buf, len) != (ssize_t) len)
        return mc_error_make (err, errno, "linux.timeOffsets: write "
                              "`/proc/self/timens_offsets`");
    }
  fd = open ("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return mc_error_make (err, errno, "open `/proc/self/ns/time_for_children`");
  if (setns (fd, CLONE_NEWTIME) < 0)
    return mc_error_make (err, errno, "enter the new time namespace");
  return 0;
}

bool
mc_namespaces_pid_needs_joined_user (const mc_namespaces_t *ns)
{
  return ns->join_fds[MC_NS_USER] >= 0 && (ns->clone_flags & CLONE_NEWPID);
}

int
mc_namespaces_enter_user_for_pid (mc_namespaces_t *ns, mc_error_t *err)
{
  if (setns (ns->join_fds[MC_NS_USER], CLONE_NEWUSER) < 0)
    return mc_error_make (err, errno, "join user namespace");
  if (unshare (CLONE_NEWPID) < 0)
    return mc_error_make (err, errno, "unshare the pid namespace in the "
                          "joined user namespace");
  /* The children made from now on (init) are in both already.  */
  close (ns->join_fds[MC_NS_USER]);
  ns->join_fds[MC_NS_USER] = -1;
  ns->clone_flags &= ~(unsigned long) CLONE_NEWPID;
  return 0;
}

int
mc_namespaces_join (const mc_namespaces_t *ns, mc_error_t *err)
{
  for (size_t i = 0; i < N_NS; i++)
    {
      int fd = ns->join_fds[ns_table[i].index];

      /* pid was entered by the parent for us.  */
      if (fd < 0 || ns_table[i].flag == CLONE_NEWPID)
        continue;
      if (setns (fd, (int) ns_table[i].flag) < 0)
        return mc_error_make (err, errno, "join %s namespace",
                              ns_table[i].type);
    }
  if (ns->unshare_flags && unshare ((int) ns->unshare_flags) < 0)
    return mc_error_make (err, errno, "unshare namespaces");
  /* Before the uid changes below: they make us non-dumpable, and
     /proc/self then belongs to the host's root, not to us.  */
  if ((ns->unshare_flags & CLONE_NEWTIME) && enter_new_time_ns (ns, err) < 0)
    return -1;
  if (ns->all & CLONE_NEWUSER)
    {
      /* Become root of the user namespace (our ids are the unmapped ones
         inherited from the parent until now).  */
      if (setresgid (0, 0, 0) < 0)
        return mc_error_make (err, errno, "setresgid to root of the user namespace");
      if (setresuid (0, 0, 0) < 0)
        return mc_error_make (err, errno, "setresuid to root of the user namespace");
    }
  return 0;
}
