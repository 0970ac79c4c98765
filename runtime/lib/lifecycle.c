#include "runtime/lib/lifecycle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "runtime/lib/cgroup.h"
#include "runtime/lib/container-id.h"
#include "runtime/lib/hooks.h"
#include "runtime/lib/manage.h"


const char *
mc_state_refresh (mc_state_t *s, int dir_fd)
{
  const char *status = "stopped";

  if (mc_proc_alive (s->pid, s->pid_start_time))
    {
      /* Frozen (by `pause`) whatever it was: as runc, "paused".  */
      if (mc_manage_saved_frozen (s->cgroup_paths, s->cgroup_paths_len))
        status = "paused";
      else if (strcmp (s->status, "created") == 0
               && faccessat (dir_fd, MC_EXEC_FIFO, F_OK,
                             AT_SYMLINK_NOFOLLOW) < 0)
        status = "running"; /* a `start` died between release and write */
      else
        status = s->status;
    }
  if (strcmp (status, "stopped") == 0)
    s->pid = 0;
  if (s->status != status)
    {
      char *copy = xstrdup (status);
      free (s->status);
      s->status = copy;
    }
  return s->status;
}

/* Open and lock ROOT/ID and read its state; `state_optional` lets a
   missing or broken state.json through with *state NULL.  */
static int
load (const char *root, const char *id, bool state_optional,
      mc_state_dir_t **dir, mc_state_t **state, mc_error_t *err)
{
  *dir = NULL;
  *state = NULL;
  if (mc_container_id_validate (id, err) < 0)
    return -1;
  if (mc_state_dir_open (root, id, dir, err) < 0)
    {
      if (*err && (*err)->status == ENOENT)
        {
          mc_error_release (err);
          return mc_error_make (err, 0, "container does not exist");
        }
      return -1;
    }
  if (mc_state_read (*dir, state, err) < 0)
    {
      if (!state_optional)
        return -1;
      mc_error_release (err);
      *state = NULL;
      return 0;
    }
  mc_state_refresh (*state, (*dir)->dir_fd);
  return 0;
}

int
mc_lifecycle_open (const char *root, const char *id, mc_state_dir_t **dir,
                   mc_state_t **state, mc_error_t *err)
{
  return load (root, id, false, dir, state, err);
}

/* poststart / poststop from the config saved at create (only a config
   with hooks is saved).  Warnings only, as the spec wants.  */
static void
run_post_hooks (mc_state_dir_t *dir, const mc_state_t *s, bool start)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir->path, MC_SAVED_CONFIG);
  cleanup_free char *json = NULL;
  spec_runtime_config_t *config = NULL;
  mc_error_t err = NULL;
  const spec_hooks_t *h;

  if (faccessat (dir->dir_fd, MC_SAVED_CONFIG, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
    return;
  if (spec_runtime_config_load (path, &config, &err) < 0)
    {
      cleanup_free char *msg = mc_error_string (err);
      mc_warning ("hooks not run: %s", msg);
      mc_error_release (&err);
      return;
    }
  h = config->hooks;
  if (h != NULL)
    {
      json = mc_hooks_state_json (config, s->id, s->bundle,
                                  start ? s->pid : 0,
                                  start ? "running" : "stopped");
      if (start)
        mc_hooks_run_warn (h->poststart, h->poststart_len, "poststart", json);
      else
        mc_hooks_run_warn (h->poststop, h->poststop_len, "poststop", json);
    }
  spec_runtime_config_free (config);
}

/* A pidfd for init, checked to be the same process after opening it, so
   that a signal never reaches a process that reused the pid.  */
static int
open_init (const mc_state_t *s, mc_error_t *err)
{
  int fd;

  if (s->pid <= 0)
    return mc_error_make (err, 0, "container not running");
  fd = (int) syscall (SYS_pidfd_open, s->pid, 0);
  if (fd < 0 && errno == ESRCH)
    return mc_error_make (err, 0, "container not running");
  if (fd < 0)
    return mc_error_make (err, errno, "pidfd_open %d", (int) s->pid);
  if (!mc_proc_alive (s->pid, s->pid_start_time))
    {
      close (fd);
      return mc_error_make (err, 0, "container not running");
    }
  return fd;
}

int
mc_lifecycle_start (const char *root, const char *id, mc_error_t *err)
{
  cleanup_state_dir mc_state_dir_t *dir = NULL;
  cleanup_state mc_state_t *s = NULL;
  cleanup_close int fifo = -1;
  static const char byte = 0;

  if (load (root, id, false, &dir, &s, err) < 0)
    return -1;
  if (strcmp (s->status, "running") == 0)
    return mc_error_make (err, 0, "cannot start an already running container");
  if (strcmp (s->status, "stopped") == 0)
    return mc_error_make (err, 0, "cannot start a container that has stopped");
  if (strcmp (s->status, "created") != 0)
    return mc_error_make (err, 0, "cannot start a container in the %s state",
                          s->status);
  /* Non-blocking: ENXIO means nobody reads, i.e. init is not waiting.  */
  fifo = openat (dir->dir_fd, MC_EXEC_FIFO,
                 O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
  if (fifo < 0 && errno == ENXIO)
    return mc_error_make (err, 0, "cannot start a container that has stopped");
  if (fifo < 0)
    return mc_error_make (err, errno, "open `%s/%s`", dir->path, MC_EXEC_FIFO);
  if (mc_write_all (fifo, &byte, 1) < 0)
    return mc_error_make (err, errno, "write `%s/%s`", dir->path,
                          MC_EXEC_FIFO);
  unlinkat (dir->dir_fd, MC_EXEC_FIFO, 0);
  free (s->status);
  s->status = xstrdup ("running");
  if (mc_state_write (dir, s, err) < 0)
    return -1;
  run_post_hooks (dir, s, true);
  return 0;
}

int
mc_lifecycle_state (const char *root, const char *id, char **json,
                    mc_error_t *err)
{
  cleanup_state_dir mc_state_dir_t *dir = NULL;
  cleanup_state mc_state_t *s = NULL;

  if (load (root, id, false, &dir, &s, err) < 0)
    return -1;
  /* runc names the owner only in `list`.  */
  return mc_state_generate_public (s, "", true, json, err);
}

static int
signal_pids (const mc_state_t *s, int pidfd, int signo, bool all,
             mc_error_t *err)
{
  cleanup_free pid_t *pids = NULL;
  size_t n = 0;

  if (syscall (SYS_pidfd_send_signal, pidfd, signo, NULL, 0) < 0)
    {
      if (errno == ESRCH)
        return mc_error_make (err, 0, "container not running");
      return mc_error_make (err, errno, "kill %d", (int) s->pid);
    }
  if (!all)
    return 0;
  if (mc_container_pids (s->pid, &pids, &n, err) < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    if (pids[i] != s->pid)
      kill (pids[i], signo); /* may have exited meanwhile */
  return 0;
}

int
mc_lifecycle_kill (const char *root, const char *id, int signo, bool all,
                   mc_error_t *err)
{
  cleanup_state_dir mc_state_dir_t *dir = NULL;
  cleanup_state mc_state_t *s = NULL;
  cleanup_close int pidfd = -1;

  if (load (root, id, false, &dir, &s, err) < 0)
    return -1;
  if (strcmp (s->status, "stopped") == 0)
    return mc_error_make (err, 0, "container not running");
  pidfd = open_init (s, err);
  if (pidfd < 0)
    return -1;
  if (signal_pids (s, pidfd, signo, all, err) < 0)
    return -1;
  /* A frozen process acts on SIGKILL only once thawed (as runc).  */
  if (signo == SIGKILL && strcmp (s->status, "paused") == 0)
    return mc_manage_thaw_saved (s->cgroup_paths, s->cgroup_paths_len, err);
  return 0;
}

/* SIGKILL everything and wait for init to be gone (its pidfd becomes
   readable when it exits, whoever its parent is).  */
static int
kill_and_wait (const mc_state_t *s, mc_error_t *err)
{
  cleanup_close int pidfd = -1;
  struct pollfd pfd;

  pidfd = open_init (s, err);
  if (pidfd < 0)
    {
      mc_error_release (err); /* already gone */
      return 0;
    }
  if (signal_pids (s, pidfd, SIGKILL, true, err) < 0)
    return -1;
  /* A paused container dies only once thawed (frozen now, whatever the
     status said a moment ago).  */
  if (mc_manage_thaw_saved (s->cgroup_paths, s->cgroup_paths_len, err) < 0)
    return -1;
  pfd = (struct pollfd) { .fd = pidfd, .events = POLLIN };
  while (poll (&pfd, 1, -1) < 0)
    if (errno != EINTR)
      return mc_error_make (err, errno, "poll pidfd");
  return 0;
}

int
mc_lifecycle_delete (const char *root, const char *id, bool force,
                     mc_error_t *err)
{
  cleanup_state_dir mc_state_dir_t *dir = NULL;
  cleanup_state mc_state_t *s = NULL;

  if (load (root, id, force, &dir, &s, err) < 0)
    return -1;
  if (s != NULL)
    {
      if (!force && strcmp (s->status, "stopped") != 0
          && strcmp (s->status, "created") != 0)
        return mc_error_make (err, 0, "cannot delete container %s that is "
                              "not stopped: %s", id, s->status);
      if (strcmp (s->status, "stopped") != 0 && kill_and_wait (s, err) < 0)
        return -1;
      /* Cgroup call site: kills what is left in the group, removes it.  */
      if (mc_cgroup_destroy_saved (s->cgroup_paths, s->cgroup_paths_len,
                                   err) < 0)
        return -1;
      run_post_hooks (dir, s, false);
    }
  else if (force)
    {
      /* The state is lost (a crash while it was written, or removed by
         hand): the default group is the only one that can still be
         found.  A custom linux.cgroupsPath cannot be.  */
      cleanup_free char *name = mc_cgroup_default_name (root, id);

      if (mc_cgroup_destroy_default (name, err) < 0)
        return -1;
    }
  return mc_state_dir_remove (dir, err);
}

static int
compare_states (const void *a, const void *b)
{
  const mc_state_t *const *x = a, *const *y = b;
  return strcmp ((*x)->id, (*y)->id);
}

int
mc_lifecycle_list (const char *root, mc_state_t ***out, size_t *n,
                   mc_error_t *err)
{
  cleanup_dir DIR *d = NULL;
  mc_state_t **states = NULL;
  struct dirent *e;
  int root_fd;

  *out = NULL;
  *n = 0;
  d = opendir (root);
  if (d == NULL && errno == ENOENT)
    return 0;
  if (d == NULL)
    return mc_error_make (err, errno, "open state root `%s`", root);
  root_fd = dirfd (d);
  /* Without the locks: state.json is replaced atomically, so each read
     sees a whole state, and a long create does not hold up the list.  */
  while ((errno = 0, e = readdir (d)) != NULL)
    {
      cleanup_free char *path = NULL;
      cleanup_free char *json = NULL;
      cleanup_close int dir_fd = -1;
      mc_error_t ignored = NULL;
      void *state;
      size_t len;

      if (e->d_name[0] == '.')
        continue;
      dir_fd = openat (root_fd, e->d_name,
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (dir_fd < 0)
        continue;
      path = xasprintf ("%s/%s/%s", root, e->d_name, MC_STATE_FILE);
      /* A container being created has no state yet; a broken one is left
         to `delete --force`.  */
      if (mc_read_file_at (dir_fd, MC_STATE_FILE, 1 << 20, &json, &len,
                           &ignored) < 0
          || spec_parse (&mc_state_type, json, len, path, &state,
                         &ignored) < 0)
        {
          mc_error_release (&ignored);
          continue;
        }
      mc_state_refresh (state, dir_fd);
      states = xgrow (states, *n, sizeof (*states));
      states[(*n)++] = state;
    }
  if (errno != 0)
    {
      int saved_errno = errno;
      mc_lifecycle_list_free (states, *n);
      *n = 0;
      return mc_error_make (err, saved_errno, "read state root `%s`", root);
    }
  if (*n > 1)
    qsort (states, *n, sizeof (*states), compare_states);
  *out = states;
  return 0;
}

void
mc_lifecycle_list_free (mc_state_t **states, size_t n)
{
  for (size_t i = 0; i < n; i++)
    mc_state_free (states[i]);
  free (states);
}

static int
compare_pids (const void *a, const void *b)
{
  pid_t x = *(const pid_t *) a, y = *(const pid_t *) b;
  return (x > y) - (x < y);
}

int
mc_container_pids (pid_t pid, pid_t **out, size_t *n, mc_error_t *err)
{
  cleanup_free char *path = xasprintf ("/proc/%d/ns/pid", (int) pid);
  cleanup_dir DIR *d = NULL;
  struct stat init_ns, self_ns;
  pid_t *pids = NULL;
  struct dirent *e;

  *out = NULL;
  *n = 0;
  if (stat (path, &init_ns) < 0)
    return mc_error_make (err, errno, "stat `%s`", path);
  if (stat ("/proc/self/ns/pid", &self_ns) < 0)
    return mc_error_make (err, errno, "stat `/proc/self/ns/pid`");
  if (init_ns.st_ino == self_ns.st_ino && init_ns.st_dev == self_ns.st_dev)
    {
      /* No pid namespace of its own: its other processes cannot be told
         from the host's without cgroups.  */
      pids = xmalloc (sizeof (*pids));
      pids[0] = pid;
      *out = pids;
      *n = 1;
      return 0;
    }
  d = opendir ("/proc");
  if (d == NULL)
    return mc_error_make (err, errno, "open /proc");
  while ((e = readdir (d)) != NULL)
    {
      char nspath[64];
      struct stat st;
      char *end;
      long p = strtol (e->d_name, &end, 10);

      if (*end != '\0' || p <= 0)
        continue;
      snprintf (nspath, sizeof (nspath), "/proc/%ld/ns/pid", p);
      if (stat (nspath, &st) < 0 || st.st_ino != init_ns.st_ino
          || st.st_dev != init_ns.st_dev)
        continue;
      pids = xgrow (pids, *n, sizeof (*pids));
      pids[(*n)++] = (pid_t) p;
    }
  if (*n > 1)
    qsort (pids, *n, sizeof (*pids), compare_pids);
  *out = pids;
  return 0;
}

int
mc_lifecycle_pids (const char *root, const char *id, pid_t **out, size_t *n,
                   mc_error_t *err)
{
  cleanup_state_dir mc_state_dir_t *dir = NULL;
  cleanup_state mc_state_t *s = NULL;

  *out = NULL;
  *n = 0;
  if (load (root, id, false, &dir, &s, err) < 0)
    return -1;
  if (strcmp (s->status, "stopped") == 0)
    return mc_error_make (err, 0, "container not running");
  if (s->cgroup_paths_len > 0)
    {
      mc_cgroup_t *cg = NULL;
      int ret;

      if (mc_cgroup_load (s->cgroup_paths, s->cgroup_paths_len, &cg, err) < 0)
        return -1;
      ret = mc_cgroup_pids (cg, out, n, err);
      mc_cgroup_free (cg);
      return ret;
    }
  return mc_container_pids (s->pid, out, n, err);
}
