#include "runtime/lib/exec.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "runtime/lib/cgroup.h"
#include "runtime/lib/console-socket.h"
#include "runtime/lib/lifecycle.h"
#include "runtime/lib/process.h"
#include "runtime/lib/security.h"
#include "runtime/lib/signals.h"
#include "runtime/lib/state-dir.h"
#include "runtime/lib/sync.h"
#include "runtime/lib/terminal.h"

#ifndef CLONE_NEWTIME
# define CLONE_NEWTIME 0x00000080
#endif

/* Joined in this order by the child: the user namespace first, which
   gives the capabilities to join the others.  pid is joined by the parent
   (it applies to children only); time moves the (single-threaded) child
   itself.  */
static const struct
{
  const char *name;
  int type;
} join_order[] = {
  { "user", CLONE_NEWUSER }, { "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS },
  { "net", CLONE_NEWNET }, { "cgroup", CLONE_NEWCGROUP },
  { "time", CLONE_NEWTIME }, { "mnt", CLONE_NEWNS },
};
#define N_JOIN (sizeof (join_order) / sizeof (join_order[0]))

typedef struct exec_ctx
{
  const spec_runtime_config_t *config;
  const spec_process_t *p;
  const mc_exec_opts_t *opts;
  int ns_fds[N_JOIN]; /* -1: the same as ours, nothing to join */
  int pid_ns_fd;
  char **cgroup_dirs; /* the container's cgroups, as state.json names them */
  size_t cgroup_dirs_len;
  int sync[2];
  sigset_t saved_mask;
  mc_security_t sec;
} exec_ctx_t;

int
mc_exec_load_config (const char *root, const char *id,
                     spec_runtime_config_t **out, mc_error_t *err)
{
  cleanup_free char *saved = xasprintf ("%s/%s/%s", root, id, MC_SAVED_CONFIG);
  cleanup_free char *bundle = NULL;
  mc_state_dir_t *dir = NULL;
  mc_state_t *s = NULL;

  if (access (saved, F_OK) == 0)
    return spec_runtime_config_load (saved, out, err);
  if (mc_state_dir_open (root, id, &dir, err) < 0)
    {
      if (*err && (*err)->status == ENOENT)
        {
          mc_error_release (err);
          return mc_error_make (err, 0, "container does not exist");
        }
      return -1;
    }
  if (mc_state_read (dir, &s, err) < 0)
    {
      mc_state_dir_close (dir);
      return -1;
    }
  bundle = xasprintf ("%s/config.json", s->bundle);
  mc_state_free (s);
  mc_state_dir_close (dir);
  return spec_runtime_config_load (bundle, out, err);
}

/* /proc/PID/ns/NAME, or -1 when it is ours already (joining the own user
   namespace fails, and joining an identical one is pointless).  */
static int
open_ns (pid_t pid, const char *name, int *out, mc_error_t *err)
{
  char path[64], self[64];
  struct stat a, b;

  *out = -1;
  snprintf (path, sizeof (path), "/proc/%d/ns/%s", (int) pid, name);
  snprintf (self, sizeof (self), "/proc/self/ns/%s", name);
  if (stat (path, &a) < 0)
    {
      if (errno == ENOENT)
        return 0; /* not supported by this kernel */
      return mc_error_make (err, errno, "stat `%s`", path);
    }
  if (stat (self, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
    return 0;
  *out = open (path, O_RDONLY | O_CLOEXEC);
  if (*out < 0)
    return mc_error_make (err, errno, "open `%s`", path);
  return 0;
}

/* Find the running container and open its namespaces; the lock is held
   only meanwhile, so that exec never holds up other commands.  */
static int
open_container (exec_ctx_t *x, mc_error_t *err)
{
  const mc_exec_opts_t *o = x->opts;
  mc_state_dir_t *dir = NULL;
  mc_state_t *s = NULL;
  int ret = -1;

  if (mc_state_dir_open (o->state_root, o->id, &dir, err) < 0)
    {
      if (*err && (*err)->status == ENOENT)
        {
          mc_error_release (err);
          return mc_error_make (err, 0, "container does not exist");
        }
      return -1;
    }
  if (mc_state_read (dir, &s, err) < 0)
    goto out;
  mc_state_refresh (s, dir->dir_fd);
  if (strcmp (s->status, "paused") == 0)
    {
      /* Its process would be frozen in the container's cgroup.  */
      mc_error_make (err, 0, "cannot exec in a paused container");
      goto out;
    }
  if (strcmp (s->status, "running") != 0)
    {
      mc_error_make (err, 0, "container not running");
      goto out;
    }
  for (size_t i = 0; i < N_JOIN; i++)
    if (open_ns (s->pid, join_order[i].name, &x->ns_fds[i], err) < 0)
      goto out;
  if (open_ns (s->pid, "pid", &x->pid_ns_fd, err) < 0)
    goto out;
  x->cgroup_dirs = s->cgroup_paths;
  x->cgroup_dirs_len = s->cgroup_paths_len;
  s->cgroup_paths = NULL;
  s->cgroup_paths_len = 0;
  /* The namespaces are pinned by the fds now; init must still be the
     process the state names, not one that reused its pid meanwhile.  */
  if (!mc_proc_alive (s->pid, s->pid_start_time))
    {
      mc_error_make (err, 0, "container not running");
      goto out;
    }
  ret = 0;
out:
  if (s)
    mc_state_free (s);
  mc_state_dir_close (dir);
  return ret;
}

static int
child_setup (exec_ctx_t *x, char **exe, int *exit_status, mc_error_t *err)
{
  const spec_process_t *p = x->p;

  close (x->sync[0]);
  /* Into the container's cgroups before anything else, so that its limits
     and pause hold for this process too; "0" is the writer, whatever pid
     namespace it is in.  The paths are the host's: before setns mnt.  */
  for (size_t i = 0; i < x->cgroup_dirs_len; i++)
    if (x->cgroup_dirs[i][0] == '/' /* not the "systemd:UNIT" entry */
        && mc_cgroup_write (x->cgroup_dirs[i], "cgroup.procs", "0", err) < 0)
      return mc_error_prefix (err, "join the container's cgroup");
  for (size_t i = 0; i < N_JOIN; i++)
    if (x->ns_fds[i] >= 0 && setns (x->ns_fds[i], join_order[i].type) < 0)
      return mc_error_make (err, errno, "setns %s", join_order[i].name);
  /* In the container's mount namespace: its /dev/ptmx, its devpts.  */
  if (p->terminal && mc_terminal_setup (x->sync[1], p, false, err) < 0)
    return -1;
  if (mc_process_set_rlimits (p, err) < 0
      || mc_process_set_io_priority (p, err) < 0
      || mc_process_set_scheduler (p, err) < 0
      || mc_security_apply (&x->sec, p, err) < 0
      || mc_process_enter_cwd (p, err) < 0
      || mc_process_find_executable (p, exe, exit_status, err) < 0
      || mc_process_set_personality (x->config->linux_, err) < 0)
    return -1;
  if (close_range (3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
    return mc_error_make (err, errno, "close_range");
  for (int fd = 3; fd < 3 + x->opts->preserve_fds; fd++)
    if (fcntl (fd, F_SETFD, 0) < 0 && errno != EBADF)
      return mc_error_make (err, errno, "preserve fd %d", fd);
  mc_signals_reset_for_exec (&x->saved_mask);
  return mc_security_before_exec (&x->sec, err);
}

__attribute__ ((noreturn)) static void
child_main (exec_ctx_t *x)
{
  static char *const empty_env[] = { NULL };
  mc_error_t err = NULL;
  char *exe = NULL;
  int exit_status = 1;

  if (child_setup (x, &exe, &exit_status, &err) < 0)
    {
      mc_sync_send_error (x->sync[1], err, exit_status);
      _exit (exit_status);
    }
  execve (exe, x->p->args, x->p->env ? x->p->env : empty_env);
  exit_status = errno == ENOENT ? MC_EXIT_NOT_FOUND : MC_EXIT_CANNOT_EXECUTE;
  mc_error_make (&err, errno, "exec: \"%s\"", x->p->args[0]);
  mc_sync_send_error (x->sync[1], err, exit_status);
  _exit (exit_status);
}

static int
write_pid_file (const char *path, pid_t pid, mc_error_t *err)
{
  char buf[32];
  int len = snprintf (buf, sizeof (buf), "%d", (int) pid);

  if (path == NULL)
    return 0;
  if (mc_write_file_atomic_at (AT_FDCWD, path, buf, (size_t) len, 0644, 0,
                               err) < 0)
    return mc_error_prefix (err, "pid file");
  return 0;
}

/* The pty master the child made: to the console socket (and closed), or
   kept in *master, sized like our terminal, for the relay.  */
static int
receive_console (exec_ctx_t *x, int *master, int *exit_status,
                 mc_error_t *err)
{
  if (mc_sync_expect_fd (x->sync[0], MC_SYNC_CONSOLE, master, exit_status,
                         err) < 0)
    return -1;
  if (x->opts->console_socket == NULL)
    {
      mc_terminal_copy_size (*master);
      return 0;
    }
  if (mc_console_socket_send (x->opts->console_socket, *master, err) < 0)
    return -1;
  close (*master);
  *master = -1;
  return 0;
}

static int
spawn_and_wait (exec_ctx_t *x, int *exit_status, mc_error_t *err)
{
  cleanup_close int own_pid_ns = -1;
  cleanup_close int sfd = -1;
  cleanup_close int master = -1;
  pid_t pid;
  int status;

  /* Only for our children: the one we fork is born in the container's
     pid namespace and remains ours.  Any later child (a sanitizer's
     tracer, say) is ours again: back to our pid namespace right after.  */
  if (x->pid_ns_fd >= 0)
    {
      own_pid_ns = open ("/proc/self/ns/pid_for_children",
                         O_RDONLY | O_CLOEXEC);
      if (own_pid_ns < 0)
        return mc_error_make (err, errno, "open /proc/self/ns/pid_for_children");
      if (setns (x->pid_ns_fd, CLONE_NEWPID) < 0)
        return mc_error_make (err, errno, "setns pid");
    }
  pid = fork ();
  if (pid == 0)
    child_main (x);
  if (own_pid_ns >= 0 && setns (own_pid_ns, CLONE_NEWPID) < 0 && pid > 0)
    {
      kill (pid, SIGKILL);
      while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
        ;
      return mc_error_make (err, errno, "setns back to our pid namespace");
    }
  if (pid < 0)
    return mc_error_make (err, errno, "fork");
  close (x->sync[1]);
  x->sync[1] = -1;
  if ((x->p->terminal && receive_console (x, &master, exit_status, err) < 0)
      || mc_sync_expect_eof (x->sync[0], exit_status, err) < 0)
    {
      kill (pid, SIGKILL);
      while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
        ;
      return -1;
    }
  if (write_pid_file (x->opts->pid_file, pid, err) < 0)
    {
      kill (pid, SIGKILL);
      while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
        ;
      return -1;
    }
  if (x->opts->detach)
    {
      *exit_status = 0;
      return 0;
    }
  sfd = mc_signals_fd (err);
  if (sfd < 0)
    return -1;
  if (master >= 0
      ? mc_terminal_relay (master, sfd, pid, &status, err) < 0
      : mc_signals_forward_until_exit (sfd, pid, &status, err) < 0)
    return -1;
  *exit_status = mc_exit_status_of (status);
  return 0;
}

int
mc_exec (const mc_exec_opts_t *opts, const spec_runtime_config_t *config,
         const spec_process_t *p, int *exit_status, mc_error_t *err)
{
  exec_ctx_t x = {
    .config = config, .p = p, .opts = opts, .pid_ns_fd = -1,
    .sync = { -1, -1 }, .sec = { .listener_fd = -1 },
  };
  mc_security_ids_t ids = {
    .id = opts->id,
    .status = "running",
    .annotations = config->annotations,
    .annotations_len = config->annotations_len,
  };
  bool blocked = false;
  int ret = -1;

  *exit_status = 1;
  for (size_t i = 0; i < N_JOIN; i++)
    x.ns_fds[i] = -1;
  for (int fd = 3; fd < 3 + opts->preserve_fds; fd++)
    if (fcntl (fd, F_GETFD) < 0)
      return mc_error_make (err, errno, "--preserve-fds: fd %d", fd);
  if (mc_process_validate (p, err) < 0)
    return -1;
  if (p->terminal && opts->console_socket == NULL
      && (opts->detach || !isatty (STDIN_FILENO)))
    return mc_error_make (err, 0, opts->detach
                          ? "a terminal with --detach needs --console-socket"
                          : "a terminal needs --console-socket or a "
                            "terminal on stdin");
  if (!p->terminal && opts->console_socket != NULL)
    return mc_error_make (err, 0, "--console-socket needs a terminal "
                          "(--tty or terminal: true)");
  /* Nothing in the container may open our /proc/PID/exe or memory.  */
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
    return mc_error_make (err, errno, "prctl PR_SET_DUMPABLE");
  if (open_container (&x, err) < 0
      || mc_security_prepare (config, p, &ids, &x.sec, err) < 0
      || mc_sync_pair (x.sync, err) < 0)
    goto out;
  if (mc_signals_block (&x.saved_mask, err) < 0)
    goto out;
  blocked = true;
  ret = spawn_and_wait (&x, exit_status, err);
out:
  if (blocked)
    mc_signals_restore (&x.saved_mask);
  mc_security_release (&x.sec);
  for (size_t i = 0; i < N_JOIN; i++)
    if (x.ns_fds[i] >= 0)
      close (x.ns_fds[i]);
  if (x.pid_ns_fd >= 0)
    close (x.pid_ns_fd);
  for (size_t i = 0; i < x.cgroup_dirs_len; i++)
    free (x.cgroup_dirs[i]);
  free (x.cgroup_dirs);
  for (int i = 0; i < 2; i++)
    if (x.sync[i] >= 0)
      close (x.sync[i]);
  return ret;
}
