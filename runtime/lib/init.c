/* The container's init, from the clone to exec.  It runs in a fork-like
   copy of minirun (single-threaded, same memory), so it reads the parsed
   config directly.  Every failure goes to the parent as an ERROR message
   with the failing step's own text.  */
#include "runtime/lib/init.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "runtime/lib/devices.h"
#include "runtime/lib/hooks.h"
#include "runtime/lib/mounts.h"
#include "runtime/lib/process.h"
#include "runtime/lib/rootfs.h"
#include "runtime/lib/sysctl.h"
#include "runtime/lib/security.h"
#include "runtime/lib/signals.h"
#include "runtime/lib/sync.h"
#include "runtime/lib/terminal.h"

/* Default devices are made only in a /dev the config mounted fresh, never
   in a bind-mounted (host or volume) one.  */
static bool
config_has_own_dev (const spec_runtime_config_t *config)
{
  for (size_t i = 0; i < config->mounts_len; i++)
    {
      const spec_mount_t *m = &config->mounts[i];
      mc_mount_options_t o;
      bool bind;

      if (m->destination == NULL || strcmp (m->destination, "/dev") != 0)
        continue;
      mc_mount_options_parse (m->options, m->options_len, &o);
      bind = o.bind || (m->type && strcmp (m->type, "bind") == 0);
      mc_mount_options_free (&o);
      return !bind;
    }
  return false;
}

/* Our pid in minirun's pid namespace, for the hooks' state: minirun sends
   it with HOOKS_DONE (getpid() says 1 in a new pid namespace).  */
static pid_t host_pid;

/* Mounts made, before pivot_root: minirun runs prestart and createRuntime,
   then we run createContainer (see hooks.h).  */
static int
run_create_hooks (const mc_init_args_t *a, mc_error_t *err)
{
  const spec_hooks_t *h = a->config->hooks;
  cleanup_free char *json = NULL;
  int32_t pid;

  if (h == NULL)
    return 0;
  if (mc_sync_send (a->sync_fd, MC_SYNC_HOOKS, err) < 0
      || mc_sync_expect_value (a->sync_fd, MC_SYNC_HOOKS_DONE, &pid, err) < 0)
    return -1;
  host_pid = (pid_t) pid;
  json = mc_hooks_state_json (a->config, a->id, a->bundle, host_pid,
                              "creating");
  return mc_hooks_run (h->create_container, h->create_container_len,
                       "createContainer", json, err);
}

static int
run_start_hooks (const mc_init_args_t *a, mc_error_t *err)
{
  const spec_hooks_t *h = a->config->hooks;
  cleanup_free char *json = NULL;

  if (h == NULL || h->start_container_len == 0)
    return 0;
  json = mc_hooks_state_json (a->config, a->id, a->bundle, host_pid,
                              "created");
  return mc_hooks_run (h->start_container, h->start_container_len,
                       "startContainer", json, err);
}

static int
setup_rootfs (const mc_init_args_t *a, mc_error_t *err)
{
  const spec_runtime_config_t *config = a->config;
  bool userns = (a->ns->all & CLONE_NEWUSER) != 0;
  cleanup_close int root_fd = -1;
  mc_mount_ctx_t ctx;

  root_fd = mc_rootfs_prepare (config, a->rootfs, err);
  if (root_fd < 0)
    return -1;
  ctx.root_fd = root_fd;
  ctx.userns = userns;
  ctx.cgroupns = (a->ns->all & CLONE_NEWCGROUP) != 0;
  ctx.idmap_fds = a->idmap_fds;
  if (mc_mounts_apply (&ctx, config->mounts, config->mounts_len, err) < 0)
    return -1;
  if (mc_devices_setup (root_fd, config->linux_, config_has_own_dev (config),
                        userns, err) < 0)
    return -1;
  if (mc_process_create_cwd (root_fd, config->process, err) < 0)
    return -1;
  if (run_create_hooks (a, err) < 0)
    return -1;
  if ((a->no_pivot ? mc_rootfs_move_root (root_fd, a->rootfs, err)
                   : mc_rootfs_pivot (root_fd, err)) < 0)
    return -1;
  /* Now /proc/sys is the container's, and not yet read-only.  */
  if (mc_sysctl_apply (config->linux_, a->ns->all, err) < 0)
    return -1;
  return mc_rootfs_finalize (config, err);
}

static int
set_names (const mc_init_args_t *a, mc_error_t *err)
{
  const spec_runtime_config_t *config = a->config;
  bool uts = (a->ns->all & CLONE_NEWUTS) != 0;

  if ((config->hostname || config->domainname) && !uts)
    return mc_error_make (err, 0, "hostname and domainname need a uts namespace");
  if (config->hostname
      && sethostname (config->hostname, strlen (config->hostname)) < 0)
    return mc_error_make (err, errno, "sethostname `%s`", config->hostname);
  if (config->domainname
      && setdomainname (config->domainname, strlen (config->domainname)) < 0)
    return mc_error_make (err, errno, "setdomainname `%s`", config->domainname);
  return 0;
}

/* Block until `start` (or `run`) writes a byte into the exec fifo.  */
static int
wait_for_start (int fifo_fd, mc_error_t *err)
{
  char byte;
  ssize_t n;

  do
    n = read (fifo_fd, &byte, 1);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return mc_error_make (err, errno, "read the exec fifo");
  if (n == 0)
    return mc_error_make (err, EPIPE, "read the exec fifo");
  close (fifo_fd);
  return 0;
}

static int
init_setup (const mc_init_args_t *a, mc_security_t *sec, char **exe,
            int *exit_status, mc_error_t *err)
{
  const spec_process_t *p = a->config->process;

  close (a->parent_sync_fd);
  close (a->state_fds[0]);
  close (a->state_fds[1]);
  /* While being set up, never outlive minirun (foreground or not).  */
  if (prctl (PR_SET_PDEATHSIG, SIGKILL) < 0)
    return mc_error_make (err, errno, "prctl PR_SET_PDEATHSIG");
  /* The parent writes our id maps (and, later, cgroups) first.  */
  if (mc_sync_expect (a->sync_fd, MC_SYNC_GO, NULL, err) < 0)
    return -1;
  if (mc_namespaces_join (a->ns, err) < 0)
    return -1;
  /* Relative bind sources and root.path are relative to the bundle.  */
  if (chdir (a->bundle) < 0)
    return mc_error_make (err, errno, "chdir to the bundle `%s`", a->bundle);
  /* While the host's /proc and /sys are still in view: capabilities and
     seccomp parsed, LSM labels set, listener connected, non-dumpable.  */
  {
    mc_security_ids_t ids = {
      .bundle = a->bundle,
      .status = "creating",
      .annotations = a->config->annotations,
      .annotations_len = a->config->annotations_len,
    };

    if (mc_security_prepare (a->config, p, &ids, sec, err) < 0)
      return -1;
  }
  /* Mount points and nodes get exactly the modes asked for.  */
  umask (0);
  if (setup_rootfs (a, err) < 0 || set_names (a, err) < 0)
    return -1;
  if (p->terminal
      && mc_terminal_setup (a->sync_fd, p, config_has_own_dev (a->config),
                            err) < 0)
    return -1;
  if (mc_process_set_oom_score_adj (p, err) < 0
      || mc_process_set_rlimits (p, err) < 0
      || mc_process_set_io_priority (p, err) < 0
      || mc_process_set_scheduler (p, err) < 0)
    return -1;
  /* User, capabilities, no_new_privs, in that order (security.h).  */
  if (mc_security_apply (sec, p, err) < 0)
    return -1;
  if (mc_process_enter_cwd (p, err) < 0)
    return -1;
  /* Look the executable up now, so that a missing one fails `create`
     rather than `start`.  */
  if (mc_process_find_executable (p, exe, exit_status, err) < 0)
    return -1;
  /* Nothing of minirun's may leak into the container: every fd but stdio
     closes on exec, including the sync socket, whose EOF tells the parent
     that exec happened.  */
  if (close_range (3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
    return mc_error_make (err, errno, "close_range");
  /* Except the ones the caller asked to pass (--preserve-fds, socket
     activation): they were open before minirun started, so none of
     minirun's own fds can have their numbers.  */
  for (int fd = 3; fd < 3 + a->preserve_fds; fd++)
    if (fcntl (fd, F_SETFD, 0) < 0 && errno != EBADF)
      return mc_error_make (err, errno, "preserve fd %d", fd);
  /* Detached: from now on we outlive the creating minirun.  Cleared before
     READY, so its exit right after cannot race with us; should it die
     before, its "creating" state lets `delete --force` find us.  */
  if (a->kill_on_parent_death)
    {
      if (prctl (PR_SET_PDEATHSIG, SIGKILL) < 0)
        return mc_error_make (err, errno, "prctl PR_SET_PDEATHSIG");
    }
  else if (prctl (PR_SET_PDEATHSIG, 0) < 0)
    return mc_error_make (err, errno, "prctl PR_SET_PDEATHSIG");
  if (mc_sync_send (a->sync_fd, MC_SYNC_READY, err) < 0)
    return -1;
  if (wait_for_start (a->exec_fifo_fd, err) < 0
      || run_start_hooks (a, err) < 0)
    return -1;
  /* setuid cleared the parent-death signal.  */
  if (a->kill_on_parent_death && prctl (PR_SET_PDEATHSIG, SIGKILL) < 0)
    return mc_error_make (err, errno, "prctl PR_SET_PDEATHSIG");
  /* Last, for the process alone (not for the startContainer hooks).  */
  return mc_process_set_personality (a->config->linux_, err);
}

void
mc_init_main (const mc_init_args_t *a)
{
  const spec_process_t *p = a->config->process;
  static char *const empty_env[] = { NULL };
  mc_error_t err = NULL;
  mc_security_t sec = { .listener_fd = -1 };
  char *exe = NULL;
  int exit_status = 1;

  if (init_setup (a, &sec, &exe, &exit_status, &err) < 0)
    {
      mc_sync_send_error (a->sync_fd, err, exit_status);
      _exit (exit_status);
    }
  mc_signals_reset_for_exec (&a->sigmask);
  /* Seccomp last, so that only execve runs under the filter.  */
  if (mc_security_before_exec (&sec, &err) < 0)
    {
      mc_sync_send_error (a->sync_fd, err, exit_status);
      _exit (exit_status);
    }
  execve (exe, p->args, p->env ? p->env : empty_env);
  exit_status = errno == ENOENT ? MC_EXIT_NOT_FOUND : MC_EXIT_CANNOT_EXECUTE;
  mc_error_make (&err, errno, "exec: \"%s\"", p->args[0]);
  mc_sync_send_error (a->sync_fd, err, exit_status);
  _exit (exit_status);
}
