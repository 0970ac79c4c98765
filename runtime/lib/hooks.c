#include "runtime/lib/hooks.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "spec/state.h"

char *
mc_hooks_state_json (const spec_runtime_config_t *config, const char *id,
                     const char *bundle, pid_t pid, const char *status)
{
  spec_state_t s = {
    .oci_version = (char *) OCI_RUNTIME_SPEC_VERSION,
    .id = (char *) id,
    .status = (char *) status,
    .pid = (int32_t) pid,
    .has_pid = pid > 0,
    .bundle = (char *) bundle,
    .annotations = config->annotations,
    .annotations_len = config->annotations_len,
  };
  mc_error_t ignored = NULL;
  char *json = NULL;
  size_t len;

  /* Only allocation could fail, and that aborts.  */
  if (spec_state_generate (&s, false, &json, &len, &ignored) < 0)
    {
      mc_error_release (&ignored);
      return xstrdup ("{}");
    }
  return json;
}

static int
stdin_memfd (const char *json, mc_error_t *err)
{
  cleanup_close int fd = memfd_create ("hook-state", MFD_CLOEXEC);

  if (fd < 0)
    return mc_error_make (err, errno, "memfd_create");
  if (mc_write_all (fd, json, strlen (json)) < 0 || lseek (fd, 0, SEEK_SET) < 0)
    return mc_error_make (err, errno, "write the hook's state");
  return steal_fd (&fd);
}

__attribute__ ((noreturn)) static void
hook_child (const spec_hook_t *h, int in)
{
  static char *const empty[] = { NULL };
  char *const default_args[] = { h->path, NULL };
  sigset_t none;

  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  if (dup2 (in, STDIN_FILENO) < 0)
    _exit (127);
  execve (h->path, h->args ? h->args : default_args, h->env ? h->env : empty);
  _exit (127);
}

/* Wait for `pid` at most `timeout` seconds (<= 0: forever).  */
static int
wait_hook (pid_t pid, int timeout, int *status, mc_error_t *err)
{
  cleanup_close int pidfd = (int) syscall (SYS_pidfd_open, pid, 0);

  if (pidfd >= 0 && timeout > 0)
    {
      struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
      int r;

      do
        r = poll (&pfd, 1, timeout * 1000);
      while (r < 0 && errno == EINTR);
      if (r == 0)
        {
          kill (pid, SIGKILL);
          while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
            ;
          return mc_error_make (err, ETIMEDOUT, "timed out after %d s",
                                timeout);
        }
    }
  while (waitpid (pid, status, 0) < 0)
    if (errno != EINTR)
      return mc_error_make (err, errno, "waitpid");
  return 0;
}

static int
run_one (const spec_hook_t *h, const char *state_json, mc_error_t *err)
{
  cleanup_close int in = -1;
  pid_t pid;
  int status;

  if (h->path == NULL || h->path[0] != '/')
    return mc_error_make (err, 0, "path must be absolute");
  in = stdin_memfd (state_json, err);
  if (in < 0)
    return -1;
  pid = fork ();
  if (pid < 0)
    return mc_error_make (err, errno, "fork");
  if (pid == 0)
    hook_child (h, in);
  if (wait_hook (pid, h->has_timeout ? h->timeout : 0, &status, err) < 0)
    return -1;
  if (WIFSIGNALED (status))
    return mc_error_make (err, 0, "killed by signal %d", WTERMSIG (status));
  if (WEXITSTATUS (status) != 0)
    return mc_error_make (err, 0, "exited with status %d",
                          WEXITSTATUS (status));
  return 0;
}

int
mc_hooks_run (const spec_hook_t *hooks, size_t n, const char *kind,
              const char *state_json, mc_error_t *err)
{
  for (size_t i = 0; i < n; i++)
    if (run_one (&hooks[i], state_json, err) < 0)
      return mc_error_prefix (err, "%s hook %zu `%s`", kind, i,
                              hooks[i].path ? hooks[i].path : "");
  return 0;
}

void
mc_hooks_run_warn (const spec_hook_t *hooks, size_t n, const char *kind,
                   const char *state_json)
{
  for (size_t i = 0; i < n; i++)
    {
      mc_error_t err = NULL;

      if (run_one (&hooks[i], state_json, &err) < 0)
        {
          cleanup_free char *msg = mc_error_string (err);
          mc_warning ("%s hook %zu `%s`: %s", kind, i,
                      hooks[i].path ? hooks[i].path : "", msg);
          mc_error_release (&err);
        }
    }
}
