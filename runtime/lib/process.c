#include "runtime/lib/process.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <grp.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "runtime/lib/resolve.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

int
mc_process_validate (const spec_process_t *p, mc_error_t *err)
{
  if (p == NULL)
    return mc_error_make (err, 0, "config.json: no process");
  if (p->args_len == 0 || p->args[0] == NULL || p->args[0][0] == '\0')
    return mc_error_make (err, 0, "process.args must not be empty");
  if (p->cwd == NULL || p->cwd[0] != '/')
    return mc_error_make (err, 0, "process.cwd `%s` is not an absolute path",
                          p->cwd ? p->cwd : "");
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
