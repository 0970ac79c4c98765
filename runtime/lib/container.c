#include "runtime/lib/container.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "runtime/lib/cgroup.h"
#include "runtime/lib/clone-init.h"
#include "runtime/lib/console-socket.h"
#include "runtime/lib/container-id.h"
#include "runtime/lib/hooks.h"
#include "runtime/lib/idmap.h"
#include "runtime/lib/init.h"
#include "runtime/lib/namespaces.h"
#include "runtime/lib/process.h"
#include "runtime/lib/rootfs.h"
#include "runtime/lib/runtime-opts.h"
#include "runtime/lib/signals.h"
#include "runtime/lib/state-dir.h"
#include "runtime/lib/sync.h"
#include "runtime/lib/terminal.h"
#include "spec/runtime-config.h"

struct mc_container
{
  spec_runtime_config_t *config;
  char *bundle;
  char *rootfs;
  mc_state_dir_t *dir;
  const char *state_root; /* --root, borrowed from the options */
  mc_state_t state;
  mc_namespaces_t ns;
  int sync_fd;  /* the parent's end */
  int console_fd; /* the pty master of a process.terminal container */
  int fifo_fd;  /* ROOT/ID/exec.fifo, O_RDWR: init waits for a byte on it */
  pid_t pid;    /* init, until reaped */
  bool created; /* reached `created`: delete runs the poststop hooks */
  mc_cgroup_t *cgroup; /* NULL with --cgroup-manager disabled */
  sigset_t saved_mask;
  bool signals_blocked;
};

static void
container_free (mc_container_t *c)
{
  if (c->signals_blocked)
    mc_signals_restore (&c->saved_mask);
  if (c->sync_fd >= 0)
    close (c->sync_fd);
  if (c->console_fd >= 0)
    close (c->console_fd);
  if (c->fifo_fd >= 0)
    close (c->fifo_fd);
  mc_namespaces_close (&c->ns);
  mc_cgroup_free (c->cgroup);
  mc_state_dir_close (c->dir);
  spec_runtime_config_free (c->config);
  free (c->state.created);
  free (c->bundle);
  free (c->rootfs);
  free (c);
}

/* Everything that can be checked before anything is created.  */
static int
load_bundle (mc_container_t *c, const mc_container_opts_t *opts,
             mc_error_t *err)
{
  cleanup_free char *config_path = NULL;
  cleanup_free char *root = NULL;
  struct stat st;

  const char *bundle = opts->bundle;

  c->bundle = realpath (bundle ? bundle : ".", NULL);
  if (c->bundle == NULL)
    return mc_error_make (err, errno, "bundle `%s`", bundle ? bundle : ".");
  config_path = xasprintf ("%s/config.json", c->bundle);
  if (spec_runtime_config_load (config_path, &c->config, err) < 0)
    return -1;
  if (mc_process_validate (c->config->process, err) < 0
      || mc_process_validate_personality (c->config->linux_, err) < 0)
    return mc_error_prefix (err, "config.json");
  if (c->config->process->terminal
      && opts->console_socket == NULL
      && !(opts->relay_terminal && isatty (STDIN_FILENO)))
    return mc_error_make (err, 0, "terminal: true needs --console-socket or a "
                          "terminal on stdin");
  if (!c->config->process->terminal && opts->console_socket != NULL)
    return mc_error_make (err, 0, "--console-socket needs terminal: true");
  if (c->config->root == NULL || c->config->root->path == NULL
      || *c->config->root->path == '\0')
    return mc_error_make (err, 0, "config.json: no root.path");
  root = c->config->root->path[0] == '/'
           ? xstrdup (c->config->root->path)
           : xasprintf ("%s/%s", c->bundle, c->config->root->path);
  c->rootfs = realpath (root, NULL);
  if (c->rootfs == NULL)
    return mc_error_make (err, errno, "rootfs `%s`", root);
  if (stat (c->rootfs, &st) < 0)
    return mc_error_make (err, errno, "rootfs `%s`", root);
  if (!S_ISDIR (st.st_mode))
    return mc_error_make (err, ENOTDIR, "rootfs `%s`", root);
  if (mc_namespaces_prepare (c->config->linux_, &c->ns, err) < 0)
    return -1;
  /* Mounting without a mount namespace would change the host.  */
  if (!(c->ns.all & CLONE_NEWNS))
    return mc_error_make (err, 0, "linux.namespaces: a mount namespace is required");
  if (opts->no_pivot && mc_rootfs_check_no_pivot (c->config, err) < 0)
    return -1;
  return 0;
}

/* Socket activation, as runc does it: when minirun itself got LISTEN_FDS
   fds (and LISTEN_PID names it), they go on to the process as fds 3...,
   announced by LISTEN_FDS=N and LISTEN_PID=1 in its environment.  Returns
   N (0 without socket activation).  */
static int
add_listen_fds (spec_process_t *p)
{
  const char *fds = getenv ("LISTEN_FDS");
  const char *pid = getenv ("LISTEN_PID");
  char *end;
  long n;

  if (fds == NULL || pid == NULL || strtol (pid, &end, 10) != getpid ()
      || *end != '\0')
    return 0;
  n = strtol (fds, &end, 10);
  if (*end != '\0' || n <= 0 || n > 1024)
    return 0;
  p->env = xrealloc (p->env, (p->env_len + 3) * sizeof (*p->env));
  p->env[p->env_len++] = xasprintf ("LISTEN_FDS=%ld", n);
  p->env[p->env_len++] = xstrdup ("LISTEN_PID=1");
  p->env[p->env_len] = NULL;
  return (int) n;
}

/* Make the cgroup before init exists, so that mc_clone_init can start init
   inside it.  */
static int
create_cgroup (mc_container_t *c, mc_error_t *err)
{
  cleanup_free char *name = NULL;

  if (mc_runtime_opts.cgroup_manager == MC_CGROUP_MANAGER_DISABLED)
    return 0;
  name = mc_cgroup_default_name (c->state_root, c->dir->id);
  return mc_cgroup_create (c->config->linux_, name,
                           mc_runtime_opts.cgroup_manager
                             == MC_CGROUP_MANAGER_SYSTEMD,
                           &c->cgroup, err);
}

/* Move init into the group (unless the clone did) while it waits for GO:
   no container code runs outside it, and the cgroup namespace init
   unshares after GO has the group as its root.  */
static int
enter_cgroup (mc_container_t *c, bool cloned_into, mc_error_t *err)
{
  if (c->cgroup == NULL)
    return 0;
  if (mc_cgroup_enter_init (c->cgroup, c->pid, cloned_into, err) < 0)
    return -1;
  /* Known only now with the systemd driver.  */
  c->state.cgroup_paths = mc_cgroup_dirs (c->cgroup);
  c->state.cgroup_paths_len = 0;
  while (c->state.cgroup_paths[c->state.cgroup_paths_len])
    c->state.cgroup_paths_len++;
  return 0;
}

static int
clone_init_with (mc_container_t *c, const mc_container_opts_t *opts,
                 const int *idmap_fds, mc_error_t *err)
{
  int fds[2];
  int saved_pid_ns = -1;
  int listen_fds = add_listen_fds (c->config->process);
  cleanup_close int cgroup_fd = -1;
  bool cloned_into = false;
  mc_init_args_t args;

  if (create_cgroup (c, err) < 0)
    return -1;
  if (c->cgroup)
    cgroup_fd = mc_cgroup_clone_fd (c->cgroup);
  if (mc_sync_pair (fds, err) < 0)
    return -1;
  c->sync_fd = fds[0];
  /* Blocked before the clone: a signal that comes while the container is
     set up waits, and is forwarded once it runs.  */
  if (mc_signals_block (&c->saved_mask, err) < 0)
    {
      close (fds[1]);
      return -1;
    }
  c->signals_blocked = true;
  if (mc_namespaces_enter_pid (&c->ns, &saved_pid_ns, err) < 0)
    {
      close (fds[1]);
      return -1;
    }

  args = (mc_init_args_t) {
    .config = c->config,
    .bundle = c->bundle,
    .rootfs = c->rootfs,
    .ns = &c->ns,
    .sync_fd = fds[1],
    .parent_sync_fd = fds[0],
    .sigmask = c->saved_mask,
    .kill_on_parent_death = opts->kill_on_parent_death,
    .exec_fifo_fd = c->fifo_fd,
    .state_fds = { c->dir->dir_fd, c->dir->root_fd },
    .preserve_fds = listen_fds + opts->preserve_fds,
    .id = c->dir->id,
    .no_pivot = opts->no_pivot,
    .idmap_fds = idmap_fds,
  };
  c->pid = mc_clone_init (&c->ns, cgroup_fd, &cloned_into, err);
  if (c->pid == 0)
    {
      /* A host directory: it must not reach the container.  */
      if (cgroup_fd >= 0)
        close (cgroup_fd);
      mc_init_main (&args);
    }
  if (c->pid < 0)
    {
      mc_error_t ignored = NULL;

      c->pid = 0;
      close (fds[1]);
      mc_namespaces_leave_pid (&saved_pid_ns, &ignored);
      mc_error_release (&ignored);
      return -1;
    }
  close (fds[1]);
  if (mc_namespaces_leave_pid (&saved_pid_ns, err) < 0)
    return -1;
  if ((c->ns.clone_flags & CLONE_NEWUSER)
      && mc_namespaces_write_id_maps (c->pid, c->config->linux_, err) < 0)
    return -1;
  if (enter_cgroup (c, cloned_into, err) < 0)
    return -1;
  return mc_sync_send (c->sync_fd, MC_SYNC_GO, err);
}

/* Why init went away without telling us.  */
static int
init_died (mc_container_t *c, mc_error_t *err)
{
  int status;

  mc_error_release (err);
  if (waitpid (c->pid, &status, 0) == c->pid)
    {
      c->pid = 0;
      if (WIFSIGNALED (status))
        return mc_error_make (err, 0, "container init killed by signal %d "
                              "during setup", WTERMSIG (status));
      return mc_error_make (err, 0, "container init exited with status %d "
                            "during setup", WEXITSTATUS (status));
    }
  return mc_error_make (err, 0, "container init exited during setup");
}

static int
write_state (mc_container_t *c, const char *status, mc_error_t *err)
{
  c->state.status = (char *) status;
  return mc_state_write (c->dir, &c->state, err);
}

/* The exec fifo: opened O_RDWR, which never blocks and makes init (which
   inherits it) a reader for as long as it waits, so that `start` in another
   process can both release it (write a byte) and know whether anybody
   waits at all (opening it O_WRONLY|O_NONBLOCK fails with ENXIO when no
   reader exists).  Unlike a wait on the sync socket, this survives the exit
   of the creating minirun.  */
static int
make_exec_fifo (mc_container_t *c, mc_error_t *err)
{
  if (mkfifoat (c->dir->dir_fd, MC_EXEC_FIFO, 0600) < 0)
    return mc_error_make (err, errno, "mkfifo `%s/%s`", c->dir->path,
                          MC_EXEC_FIFO);
  c->fifo_fd = openat (c->dir->dir_fd, MC_EXEC_FIFO, O_RDWR | O_CLOEXEC);
  if (c->fifo_fd < 0)
    return mc_error_make (err, errno, "open `%s/%s`", c->dir->path,
                          MC_EXEC_FIFO);
  return 0;
}

/* The idmapped mounts are made here, before the clone (init, in the
   container's user namespace, could not); init inherits them, and ours
   are closed once it runs.  */
static int
spawn_init (mc_container_t *c, const mc_container_opts_t *opts,
            mc_error_t *err)
{
  int *idmap_fds = NULL;
  int ret;

  if (mc_idmap_prepare (c->config, c->bundle, &c->ns, &idmap_fds, err) < 0)
    return -1;
  ret = clone_init_with (c, opts, idmap_fds, err);
  mc_idmap_close (idmap_fds, c->config->mounts_len);
  return ret;
}

/* Init has made its mounts and waits before pivot_root: prestart and
   createRuntime run now, in our namespaces (see hooks.h).  */
static int
run_runtime_hooks (mc_container_t *c, int *exit_status, mc_error_t *err)
{
  const spec_hooks_t *h = c->config->hooks;
  cleanup_free char *json = NULL;

  if (h == NULL)
    return 0;
  if (mc_sync_expect (c->sync_fd, MC_SYNC_HOOKS, exit_status, err) < 0)
    return -1;
  json = mc_hooks_state_json (c->config, c->dir->id, c->bundle, c->pid,
                              "creating");
  if (mc_hooks_run (h->prestart, h->prestart_len, "prestart", json, err) < 0
      || mc_hooks_run (h->create_runtime, h->create_runtime_len,
                       "createRuntime", json, err) < 0)
    return -1;
  return mc_sync_send_value (c->sync_fd, MC_SYNC_HOOKS_DONE, c->pid, err);
}

/* With hooks, `start` and `delete` (later processes) need them: keep the
   config as it was at create, whatever happens to the bundle.  */
static int
save_config (mc_container_t *c, mc_error_t *err)
{
  cleanup_free char *path = NULL;
  cleanup_free char *json = NULL;
  size_t len;

  if (c->config->hooks == NULL)
    return 0;
  path = xasprintf ("%s/config.json", c->bundle);
  if (mc_read_file_at (AT_FDCWD, path, SPEC_MAX_DOCUMENT_SIZE, &json, &len,
                       err) < 0
      || mc_write_file_atomic_at (c->dir->dir_fd, MC_SAVED_CONFIG, json, len,
                                  0600, 0, err) < 0)
    return mc_error_prefix (err, "save the config");
  return 0;
}

/* poststart/poststop: failures are warnings.  */
static void
run_post_hooks (mc_container_t *c, bool start)
{
  const spec_hooks_t *h = c->config->hooks;
  cleanup_free char *json = NULL;

  if (h == NULL || (start ? h->poststart_len : h->poststop_len) == 0)
    return;
  json = mc_hooks_state_json (c->config, c->dir->id, c->bundle,
                              start ? c->state.pid : 0,
                              start ? "running" : "stopped");
  if (start)
    mc_hooks_run_warn (h->poststart, h->poststart_len, "poststart", json);
  else
    mc_hooks_run_warn (h->poststop, h->poststop_len, "poststop", json);
}

static int
write_pid_file (const char *path, pid_t pid, mc_error_t *err)
{
  char buf[32];
  int len;

  if (path == NULL)
    return 0;
  len = snprintf (buf, sizeof (buf), "%d", (int) pid);
  if (mc_write_file_atomic_at (AT_FDCWD, path, buf, (size_t) len, 0644, 0,
                               err) < 0)
    return mc_error_prefix (err, "pid file");
  return 0;
}

/* Delete after a failure: the first error is the one that matters.  */
static void
discard_container (mc_container_t *c)
{
  mc_error_t ignored = NULL;

  mc_container_delete (c, &ignored);
  mc_error_release (&ignored);
}

int
mc_container_create (const mc_container_opts_t *opts, mc_container_t **out,
                     int *exit_status, mc_error_t *err)
{
  mc_container_t *c;

  *exit_status = 1;
  if (mc_container_id_validate (opts->id, err) < 0)
    return -1;
  /* A preserved fd that is not open would let one of ours take its
     number and leak into the container.  */
  for (int fd = 3; fd < 3 + opts->preserve_fds; fd++)
    if (fcntl (fd, F_GETFD) < 0)
      return mc_error_make (err, errno, "--preserve-fds: fd %d", fd);
  c = xzalloc (sizeof (*c));
  c->sync_fd = -1;
  c->console_fd = -1;
  c->fifo_fd = -1;
  c->state_root = opts->state_root;
  for (int i = 0; i < MC_NS_COUNT; i++)
    c->ns.join_fds[i] = -1;
  if (load_bundle (c, opts, err) < 0
      || mc_state_dir_create (opts->state_root, opts->id, &c->dir, err) < 0)
    {
      container_free (c);
      return -1;
    }
  if (make_exec_fifo (c, err) < 0 || save_config (c, err) < 0)
    {
      discard_container (c);
      return -1;
    }

  c->state = (mc_state_t) {
    .oci_version = (char *) OCI_RUNTIME_SPEC_VERSION,
    .id = c->dir->id,
    .bundle = c->bundle,
    .rootfs = c->rootfs,
    .created = mc_now_rfc3339 (),
    .owner = (uint32_t) geteuid (),
    .annotations = c->config->annotations,
    .annotations_len = c->config->annotations_len,
  };
  /* "creating" with init's pid as soon as init exists: whatever happens to
     this process from now on, `delete --force` finds init and kills it.  */
  if (spawn_init (c, opts, err) < 0
      || (c->state.pid = c->pid,
          mc_proc_start_time (c->pid, &c->state.pid_start_time, err) < 0)
      || write_state (c, "creating", err) < 0
      || run_runtime_hooks (c, exit_status, err) < 0
      || (c->config->process->terminal
          && mc_sync_expect_fd (c->sync_fd, MC_SYNC_CONSOLE, &c->console_fd,
                                exit_status, err) < 0)
      || mc_sync_expect (c->sync_fd, MC_SYNC_READY, exit_status, err) < 0)
    {
      if (*err && (*err)->status == EPIPE && c->pid > 0)
        init_died (c, err);
      discard_container (c);
      return -1;
    }

  if (c->console_fd >= 0 && opts->console_socket != NULL)
    {
      if (mc_console_socket_send (opts->console_socket, c->console_fd,
                                  err) < 0)
        {
          discard_container (c);
          return -1;
        }
      close (c->console_fd);
      c->console_fd = -1;
    }
  if (c->console_fd >= 0)
    mc_terminal_copy_size (c->console_fd);
  if (write_state (c, "created", err) < 0
      || write_pid_file (opts->pid_file, c->pid, err) < 0)
    {
      discard_container (c);
      return -1;
    }
  c->created = true;
  *out = c;
  return 0;
}

int
mc_container_start (mc_container_t *c, int *exit_status, mc_error_t *err)
{
  static const char byte = 0;

  *exit_status = 1;
  if (mc_write_all (c->fifo_fd, &byte, 1) < 0)
    return mc_error_make (err, errno, "write `%s/%s`", c->dir->path,
                          MC_EXEC_FIFO);
  close (c->fifo_fd);
  c->fifo_fd = -1;
  if (mc_sync_expect_eof (c->sync_fd, exit_status, err) < 0)
    {
      if (*err && (*err)->status == EPIPE && c->pid > 0)
        init_died (c, err);
      return -1;
    }
  close (c->sync_fd);
  c->sync_fd = -1;
  unlinkat (c->dir->dir_fd, MC_EXEC_FIFO, 0);
  if (write_state (c, "running", err) < 0)
    return -1;
  run_post_hooks (c, true);
  /* Other commands (kill, state) may look at the container while it runs;
     delete takes the lock again.  */
  mc_state_dir_unlock (c->dir);
  return 0;
}

int
mc_container_wait (mc_container_t *c, int *exit_status, mc_error_t *err)
{
  cleanup_close int sfd = mc_signals_fd (err);
  int status;

  if (sfd < 0)
    return -1;
  if (c->console_fd >= 0
      ? mc_terminal_relay (c->console_fd, sfd, c->pid, &status, err) < 0
      : mc_signals_forward_until_exit (sfd, c->pid, &status, err) < 0)
    return -1;
  c->pid = 0;
  *exit_status = mc_exit_status_of (status);
  return 0;
}

int
mc_container_delete (mc_container_t *c, mc_error_t *err)
{
  int ret = 0;

  if (c == NULL)
    return 0;
  if (c->pid > 0)
    {
      /* With a pid namespace, killing init kills every process of it.  */
      kill (c->pid, SIGKILL);
      while (waitpid (c->pid, NULL, 0) < 0 && errno == EINTR)
        ;
      c->pid = 0;
    }
  /* Without a pid namespace, processes may outlive init.  A group that
     cannot be removed keeps the state, for `delete` to try again.  */
  if (c->cgroup && mc_cgroup_destroy (c->cgroup, err) < 0)
    ret = -1;
  else
    {
      if (c->created)
        run_post_hooks (c, false);
      if (mc_state_dir_lock (c->dir, err) < 0
          || mc_state_dir_remove (c->dir, err) < 0)
        ret = -1;
    }
  container_free (c);
  return ret;
}

void
mc_container_release (mc_container_t *c)
{
  if (c != NULL)
    container_free (c);
}

int
mc_container_run (const mc_container_opts_t *opts, mc_run_mode_t mode,
                  int *exit_status, mc_error_t *err)
{
  mc_container_t *c = NULL;

  if (mc_container_create (opts, &c, exit_status, err) < 0)
    return -1;
  if (mc_container_start (c, exit_status, err) < 0
      || (mode != MC_RUN_DETACHED
          && mc_container_wait (c, exit_status, err) < 0))
    {
      discard_container (c);
      return -1;
    }
  if (mode == MC_RUN_DELETE)
    return mc_container_delete (c, err);
  if (mode == MC_RUN_DETACHED)
    *exit_status = 0;
  /* Detached, init runs on; kept, it is reaped and `state` reports it
     stopped until `delete` removes it.  */
  mc_container_release (c);
  return 0;
}
