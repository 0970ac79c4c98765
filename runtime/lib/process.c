#include "runtime/lib/process.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <grp.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "runtime/lib/resolve.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define N_ELEMENTS(a) (sizeof (a) / sizeof ((a)[0]))

/* ioprio_set(2) has no glibc wrapper, and <linux/ioprio.h> is recent.  */
#define MC_IOPRIO_WHO_PROCESS 1
#define MC_IOPRIO_CLASS_SHIFT 13

static const struct
{
  const char *name;
  int class_;
} ioprio_classes[] = {
  { "IOPRIO_CLASS_RT", 1 },
  { "IOPRIO_CLASS_BE", 2 },
  { "IOPRIO_CLASS_IDLE", 3 },
};

/* sched_setattr(2), also without a wrapper: the first version of its
   struct (SCHED_ATTR_SIZE_VER0), under our own name so that a libc that
   declares struct sched_attr does not clash.  */
typedef struct mc_sched_attr
{
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
} mc_sched_attr_t;

static const struct
{
  const char *name;
  uint32_t policy;
} sched_policies[] = {
  { "SCHED_OTHER", 0 },
  { "SCHED_FIFO", 1 },
  { "SCHED_RR", 2 },
  { "SCHED_BATCH", 3 },
  { "SCHED_IDLE", 5 },
  { "SCHED_DEADLINE", 6 },
};

static const struct
{
  const char *name;
  uint64_t flag;
} sched_flags[] = {
  { "SCHED_FLAG_RESET_ON_FORK", 0x01 },
  { "SCHED_FLAG_RECLAIM", 0x02 },
  { "SCHED_FLAG_DL_OVERRUN", 0x04 },
  { "SCHED_FLAG_KEEP_POLICY", 0x08 },
  { "SCHED_FLAG_KEEP_PARAMS", 0x10 },
  { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
  { "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 },
};

static int
io_priority_value (const spec_io_priority_t *io, int *value, mc_error_t *err)
{
  size_t i;

  for (i = 0; i < N_ELEMENTS (ioprio_classes); i++)
    if (io->class_ && strcmp (io->class_, ioprio_classes[i].name) == 0)
      break;
  if (i == N_ELEMENTS (ioprio_classes))
    return mc_error_make (err, 0, "process.ioPriority: unknown class `%s` "
                          "(IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or "
                          "IOPRIO_CLASS_IDLE)", io->class_ ? io->class_ : "");
  if (io->priority < 0 || io->priority > 7)
    return mc_error_make (err, 0, "process.ioPriority: priority %d not in 0..7",
                          (int) io->priority);
  *value = (ioprio_classes[i].class_ << MC_IOPRIO_CLASS_SHIFT) | io->priority;
  return 0;
}

/* The checks runc makes, then the names into a struct sched_attr.  */
static int
sched_attr_of (const spec_scheduler_t *s, mc_sched_attr_t *attr,
               mc_error_t *err)
{
  size_t i;

  memset (attr, 0, sizeof (*attr));
  attr->size = sizeof (*attr);
  if (s->policy == NULL || *s->policy == '\0')
    return mc_error_make (err, 0, "process.scheduler: policy is required");
  for (i = 0; i < N_ELEMENTS (sched_policies); i++)
    if (strcmp (s->policy, sched_policies[i].name) == 0)
      break;
  /* Named by the spec, but reserved and never implemented by Linux.  */
  if (strcmp (s->policy, "SCHED_ISO") == 0)
    return mc_error_make (err, 0, "process.scheduler: SCHED_ISO is not "
                          "implemented by Linux");
  if (i == N_ELEMENTS (sched_policies))
    return mc_error_make (err, 0, "process.scheduler: unknown policy `%s`",
                          s->policy);
  attr->sched_policy = sched_policies[i].policy;
  if (s->nice < -20 || s->nice > 19)
    return mc_error_make (err, 0, "process.scheduler: nice %d not in -20..19",
                          (int) s->nice);
  if (s->priority != 0 && strcmp (s->policy, "SCHED_FIFO") != 0
      && strcmp (s->policy, "SCHED_RR") != 0)
    return mc_error_make (err, 0, "process.scheduler: priority can only be "
                          "set for SCHED_FIFO or SCHED_RR");
  if ((s->runtime || s->deadline || s->period)
      && strcmp (s->policy, "SCHED_DEADLINE") != 0)
    return mc_error_make (err, 0, "process.scheduler: runtime, deadline and "
                          "period can only be set for SCHED_DEADLINE");
  for (size_t f = 0; f < s->flags_len; f++)
    {
      for (i = 0; i < N_ELEMENTS (sched_flags); i++)
        if (strcmp (s->flags[f], sched_flags[i].name) == 0)
          break;
      if (i == N_ELEMENTS (sched_flags))
        return mc_error_make (err, 0, "process.scheduler: unknown flag `%s`",
                              s->flags[f]);
      /* They clamp to utilization values the spec has no field for.  */
      if (sched_flags[i].flag & (0x20 | 0x40))
        return mc_error_make (err, 0, "process.scheduler: %s is not "
                              "supported (the spec gives no utilization "
                              "value)", s->flags[f]);
      attr->sched_flags |= sched_flags[i].flag;
    }
  /* The kernel's own rule (an EINVAL otherwise): a period of 0 is the
     deadline.  */
  if (attr->sched_policy == 6
      && (s->runtime < 1024 || s->deadline < s->runtime
          || (s->period && s->period < s->deadline)))
    return mc_error_make (err, 0, "process.scheduler: SCHED_DEADLINE needs "
                          "1024 <= runtime <= deadline <= period (ns; "
                          "period 0: the deadline)");
  /* The nice value counts for SCHED_OTHER and SCHED_BATCH (the kernel
     keeps it for the others), the priority for the real-time ones.  */
  attr->sched_nice = s->nice;
  attr->sched_priority = (uint32_t) s->priority;
  attr->sched_runtime = s->runtime;
  attr->sched_deadline = s->deadline;
  attr->sched_period = s->period;
  return 0;
}

int
mc_process_validate (const spec_process_t *p, mc_error_t *err)
{
  mc_sched_attr_t attr;
  int ioprio;

  if (p == NULL)
    return mc_error_make (err, 0, "config.json: no process");
  if (p->args_len == 0 || p->args[0] == NULL || p->args[0][0] == '\0')
    return mc_error_make (err, 0, "process.args must not be empty");
  if (p->cwd == NULL || p->cwd[0] != '/')
    return mc_error_make (err, 0, "process.cwd `%s` is not an absolute path",
                          p->cwd ? p->cwd : "");
  if (p->io_priority && io_priority_value (p->io_priority, &ioprio, err) < 0)
    return -1;
  if (p->scheduler && sched_attr_of (p->scheduler, &attr, err) < 0)
    return -1;
  return 0;
}

int
mc_process_set_io_priority (const spec_process_t *p, mc_error_t *err)
{
  int value;

  if (p->io_priority == NULL)
    return 0;
  if (io_priority_value (p->io_priority, &value, err) < 0)
    return -1;
  if (syscall (SYS_ioprio_set, MC_IOPRIO_WHO_PROCESS, 0, value) < 0)
    return mc_error_make (err, errno, "process.ioPriority: ioprio_set %s %d",
                          p->io_priority->class_,
                          (int) p->io_priority->priority);
  return 0;
}

int
mc_process_set_scheduler (const spec_process_t *p, mc_error_t *err)
{
  mc_sched_attr_t attr;

  if (p->scheduler == NULL)
    return 0;
  if (sched_attr_of (p->scheduler, &attr, err) < 0)
    return -1;
  if (syscall (SYS_sched_setattr, 0, &attr, 0) < 0)
    {
      /* A cgroup-v1 cpu group without a real-time budget of its own
         (cpu.rt_runtime_us 0, the default) admits no real-time task.  */
      if (errno == EPERM && (attr.sched_policy == 1 || attr.sched_policy == 2))
        return mc_error_make (err, errno, "process.scheduler: sched_setattr "
                              "%s (does the cpu cgroup have a real-time "
                              "budget, cpu.rt_runtime_us?)",
                              p->scheduler->policy);
      return mc_error_make (err, errno, "process.scheduler: sched_setattr %s",
                            p->scheduler->policy);
    }
  return 0;
}

static int
personality_value (const spec_personality_t *pers, unsigned long *value,
                   mc_error_t *err)
{
  if (pers->domain && strcmp (pers->domain, "LINUX") == 0)
    *value = PER_LINUX;
  else if (pers->domain && strcmp (pers->domain, "LINUX32") == 0)
    *value = PER_LINUX32;
  else
    return mc_error_make (err, 0, "linux.personality: unknown domain `%s` "
                          "(LINUX or LINUX32)",
                          pers->domain ? pers->domain : "");
  /* The spec defines no flag yet.  */
  if (pers->flags_len > 0)
    return mc_error_make (err, 0, "linux.personality: unknown flag `%s`",
                          pers->flags[0]);
  return 0;
}

int
mc_process_validate_personality (const spec_linux_t *linux_, mc_error_t *err)
{
  unsigned long value;

  if (linux_ == NULL || linux_->personality == NULL)
    return 0;
  return personality_value (linux_->personality, &value, err);
}

int
mc_process_set_personality (const spec_linux_t *linux_, mc_error_t *err)
{
  unsigned long value;

  if (linux_ == NULL || linux_->personality == NULL)
    return 0;
  if (personality_value (linux_->personality, &value, err) < 0)
    return -1;
  if (personality (value) < 0)
    return mc_error_make (err, errno, "linux.personality: personality %s",
                          linux_->personality->domain);
  return 0;
}

static const struct
{
  const char *name;
  int resource;
} rlimit_table[] = {
  { "RLIMIT_AS", RLIMIT_AS },
  { "RLIMIT_CORE", RLIMIT_CORE },
  { "RLIMIT_CPU", RLIMIT_CPU },
  { "RLIMIT_DATA", RLIMIT_DATA },
  { "RLIMIT_FSIZE", RLIMIT_FSIZE },
  { "RLIMIT_LOCKS", RLIMIT_LOCKS },
  { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
  { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
  { "RLIMIT_NICE", RLIMIT_NICE },
  { "RLIMIT_NOFILE", RLIMIT_NOFILE },
  { "RLIMIT_NPROC", RLIMIT_NPROC },
  { "RLIMIT_RSS", RLIMIT_RSS },
  { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
  { "RLIMIT_RTTIME", RLIMIT_RTTIME },
  { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
  { "RLIMIT_STACK", RLIMIT_STACK },
};

int
mc_process_set_rlimits (const spec_process_t *p, mc_error_t *err)
{
  for (size_t i = 0; i < p->rlimits_len; i++)
    {
      const spec_rlimit_t *r = &p->rlimits[i];
      struct rlimit rl = { .rlim_cur = r->soft, .rlim_max = r->hard };
      size_t j;

      for (j = 0; j < sizeof (rlimit_table) / sizeof (rlimit_table[0]); j++)
        if (r->type && strcmp (rlimit_table[j].name, r->type) == 0)
          break;
      if (j == sizeof (rlimit_table) / sizeof (rlimit_table[0]))
        return mc_error_make (err, 0, "process.rlimits: unknown type `%s`",
                              r->type ? r->type : "");
      if (setrlimit (rlimit_table[j].resource, &rl) < 0)
        return mc_error_make (err, errno, "setrlimit %s", r->type);
    }
  return 0;
}

int
mc_process_set_user (const spec_process_t *p, mc_error_t *err)
{
  const spec_user_t *u = &p->user;

  if (setgroups (u->additional_gids_len, (const gid_t *) u->additional_gids) < 0
      /* A user namespace with setgroups denied: fine if none were asked. */
      && !(errno == EPERM && u->additional_gids_len == 0))
    return mc_error_make (err, errno, "setgroups");
  if (setresgid (u->gid, u->gid, u->gid) < 0)
    return mc_error_make (err, errno, "setgid %u", u->gid);
  if (setresuid (u->uid, u->uid, u->uid) < 0)
    return mc_error_make (err, errno, "setuid %u", u->uid);
  umask (u->has_umask ? (mode_t) u->umask : 0022);
  return 0;
}

int
mc_process_create_cwd (int root_fd, const spec_process_t *p, mc_error_t *err)
{
  int fd = mc_resolve_in_root (root_fd, p->cwd, MC_RESOLVE_CREATE_DIR, err);

  if (fd < 0)
    return mc_error_prefix (err, "process.cwd");
  close (fd);
  return 0;
}

int
mc_process_enter_cwd (const spec_process_t *p, mc_error_t *err)
{
  cleanup_close int root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  cleanup_close int cwd = -1;

  if (root < 0)
    return mc_error_make (err, errno, "open `/`");
  /* CVE-2024-21626: chdir(2) would follow a magic link such as
     /proc/self/fd/N to whatever a still-open fd of minirun points at,
     possibly a host directory.  Resolved inside the new root without
     magic links, the cwd can only be a directory of the container.  */
  cwd = mc_resolve_in_root (root, p->cwd, MC_RESOLVE_NO_CREATE, err);
  if (cwd < 0)
    return mc_error_prefix (err, "process.cwd");
  /* fchdir checks search permission as chdir would (as the user).  */
  if (fchdir (cwd) < 0)
    return mc_error_make (err, errno, "chdir to process.cwd `%s`", p->cwd);
  return 0;
}

static const char *
env_path (const spec_process_t *p)
{
  for (size_t i = 0; i < p->env_len; i++)
    if (strncmp (p->env[i], "PATH=", 5) == 0)
      return p->env[i] + 5;
  return DEFAULT_PATH;
}

/* 0 when `path` can be executed, else the errno of why not.  */
static int
check_executable (const char *path)
{
  struct stat st;

  if (stat (path, &st) < 0)
    return errno;
  if (S_ISDIR (st.st_mode))
    return EISDIR;
  if (!S_ISREG (st.st_mode) || access (path, X_OK) < 0)
    return EACCES;
  return 0;
}

int
mc_process_find_executable (const spec_process_t *p, char **path,
                            int *exit_status, mc_error_t *err)
{
  const char *name = p->args[0];
  const char *dirs = env_path (p);
  int denied = 0;

  if (strchr (name, '/'))
    {
      int e = check_executable (name);

      if (e == 0)
        {
          *path = xstrdup (name);
          return 0;
        }
      *exit_status = e == ENOENT || e == ENOTDIR ? MC_EXIT_NOT_FOUND
                                                 : MC_EXIT_CANNOT_EXECUTE;
      return mc_error_make (err, e, "exec: \"%s\"", name);
    }
  for (const char *d = dirs;; d++)
    {
      size_t n = strcspn (d, ":");
      cleanup_free char *candidate = NULL;
      int e;

      /* An empty PATH entry is the cwd, as for execvp.  */
      candidate = n ? xasprintf ("%.*s/%s", (int) n, d, name)
                    : xasprintf ("./%s", name);
      e = check_executable (candidate);
      if (e == 0)
        {
          *path = steal_ptr (&candidate);
          return 0;
        }
      if (e == EACCES)
        denied = e;
      d += n;
      if (*d == '\0')
        break;
    }
  if (denied)
    {
      *exit_status = MC_EXIT_CANNOT_EXECUTE;
      return mc_error_make (err, denied, "exec: \"%s\"", name);
    }
  *exit_status = MC_EXIT_NOT_FOUND;
  return mc_error_make (err, 0, "exec: \"%s\": executable file not found in $PATH",
                        name);
}

int
mc_process_set_oom_score_adj (const spec_process_t *p, mc_error_t *err)
{
  char buf[16];
  int len;
  cleanup_close int fd = -1;

  if (!p->has_oom_score_adj)
    return 0;
  if (p->oom_score_adj < -1000 || p->oom_score_adj > 1000)
    return mc_error_make (err, 0, "process.oomScoreAdj %d: not in -1000..1000",
                          (int) p->oom_score_adj);
  len = snprintf (buf, sizeof (buf), "%d", (int) p->oom_score_adj);
  fd = open ("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (fd < 0 || mc_write_all (fd, buf, (size_t) len) < 0)
    return mc_error_make (err, errno, "process.oomScoreAdj: write %s to "
                          "`/proc/self/oom_score_adj`", buf);
  return 0;
}
