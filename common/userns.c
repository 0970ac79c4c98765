/* See userns.h.  A child is cloned straight into a new user namespace and
   waits; we write its maps, open /proc/CHILD/ns/user and let it go: the
   namespace lives on through the fd.  */
#include "common/userns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/xalloc.h"

/* The child only waits for EOF on wait_fd (we close it, or die).  */
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
write_map (pid_t pid, const char *file, const char *map, const char *what,
           mc_error_t *err)
{
  cleanup_free char *path = xasprintf ("/proc/%d/%s", (int) pid, file);
  cleanup_close int fd = open (path, O_WRONLY | O_CLOEXEC);
  size_t len = strlen (map);

  if (fd < 0)
    return mc_error_make (err, errno, "open `%s`", path);
  /* The kernel takes a map in a single write(2), or refuses it.  */
  if (write (fd, map, len) != (ssize_t) len)
    return mc_error_make (err, errno, "%s", what);
  return 0;
}

int
mc_userns_open (const char *uid_map, const char *uid_what,
                const char *gid_map, const char *gid_what, mc_error_t *err)
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
    return mc_error_make (err, errno, "create a user namespace");
  if (write_map (pid, "uid_map", uid_map, uid_what, err) == 0
      && write_map (pid, "gid_map", gid_map, gid_what, err) == 0)
    {
      cleanup_free char *path = xasprintf ("/proc/%d/ns/user", (int) pid);

      userns = open (path, O_RDONLY | O_CLOEXEC);
      if (userns < 0)
        mc_error_make (err, errno, "open `%s`", path);
    }
  close (steal_fd (&wait_w));
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  return userns;
}
