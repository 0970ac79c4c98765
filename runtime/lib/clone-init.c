#include "runtime/lib/clone-init.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"

/* A fork-like clone (no new stack: the child continues here with a copy of
   our memory) straight into the new namespaces, so that with a new pid
   namespace the child is its init (clone_via_userns is the one case that
   needs a process in between).
   With a cgroup2 directory (CGROUP_FD >= 0) the child starts in it
   (CLONE_INTO_CGROUP, Linux 5.7): its first instruction already runs
   there.  When that fails (an older kernel, a group that cannot take
   processes directly...) the clone is made without it and
   *CLONED_INTO stays false: the parent moves init before GO, as before.  */
static pid_t
clone_child (unsigned long flags, int cgroup_fd, bool *cloned_into)
{
  struct clone_args args = {
    .flags = flags,
    /* clone3 wants none with CLONE_PARENT: the child gets the caller's.  */
    .exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD,
  };
  long pid;

  *cloned_into = false;
  if (cgroup_fd >= 0)
    {
      args.flags |= CLONE_INTO_CGROUP;
      args.cgroup = (uint64_t) cgroup_fd;
      pid = syscall (SYS_clone3, &args, sizeof (args));
      if (pid >= 0)
        {
          *cloned_into = true;
          return (pid_t) pid;
        }
      args.flags = flags;
      args.cgroup = 0;
    }
  pid = syscall (SYS_clone3, &args, sizeof (args));
  if (pid < 0 && errno == ENOSYS)
    pid = syscall (SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
  return (pid_t) pid;
}

/* What the intermediate tells the parent: init's PID, or where and why
   it failed.  */
struct via_userns_report
{
  pid_t pid;
  bool cloned_into;
  int error;
  char what[256];
};

/* The intermediate: enter the user namespace, make the pid namespace
   there, clone init as the parent's child (CLONE_PARENT), report, exit.
   Returns only in init.  */
static void
intermediate (mc_namespaces_t *ns, int cgroup_fd, int report_fd)
{
  struct via_userns_report r = { 0 };
  mc_error_t err = NULL;

  if (mc_namespaces_enter_user_for_pid (ns, &err) < 0)
    {
      r.error = err->status;
      snprintf (r.what, sizeof (r.what), "%s", err->msg);
      mc_error_release (&err);
    }
  else
    {
      r.pid = clone_child (CLONE_PARENT, cgroup_fd, &r.cloned_into);
      if (r.pid == 0)
        {
          close (report_fd);
          return;
        }
      if (r.pid < 0)
        {
          r.error = errno;
          snprintf (r.what, sizeof (r.what), "clone init in the joined "
                    "user namespace");
        }
    }
  if (write (report_fd, &r, sizeof (r)) != (ssize_t) sizeof (r))
    _exit (2);
  _exit (r.pid > 0 ? 0 : 1);
}

/* A new pid namespace belongs to the user namespace of the process that
   makes it, and /proc can only be mounted for it from that user namespace
   (or an ancestor).  When init joins a user namespace by path (a
   Kubernetes pod with user namespaces: every container joins the pod's),
   a clone from here would make the pid namespace ours, so the /proc
   mount would fail; as runc does, an intermediate joins the user
   namespace first, unshares the pid namespace and clones init.  */
static pid_t
clone_via_userns (mc_namespaces_t *ns, int cgroup_fd, bool *cloned_into,
                  mc_error_t *err)
{
  struct via_userns_report r;
  cleanup_close int report_fd = -1;
  int p[2];
  int status;
  ssize_t n;
  bool unused;
  pid_t mid;

  if (pipe2 (p, O_CLOEXEC) < 0)
    return mc_error_make (err, errno, "pipe");
  mid = clone_child (0, -1, &unused);
  if (mid == 0)
    {
      close (p[0]);
      intermediate (ns, cgroup_fd, p[1]);
      return 0;
    }
  if (mid < 0)
    {
      int saved_errno = errno;

      close (p[0]);
      close (p[1]);
      return mc_error_make (err, saved_errno, "clone");
    }
  close (p[1]);
  report_fd = p[0];
  do
    n = read (report_fd, &r, sizeof (r));
  while (n < 0 && errno == EINTR);
  while (waitpid (mid, &status, 0) < 0 && errno == EINTR)
    ;
  if (n != (ssize_t) sizeof (r))
    return mc_error_make (err, 0, "the process that clones init in the "
                          "joined user namespace died");
  if (r.pid <= 0)
    return mc_error_make (err, r.error, "%s", r.what);
  *cloned_into = r.cloned_into;
  return r.pid;
}

pid_t
mc_clone_init (mc_namespaces_t *ns, int cgroup_fd, bool *cloned_into,
               mc_error_t *err)
{
  pid_t pid;

  if (mc_namespaces_pid_needs_joined_user (ns))
    return clone_via_userns (ns, cgroup_fd, cloned_into, err);
  pid = clone_child (ns->clone_flags, cgroup_fd, cloned_into);
  if (pid < 0)
    return mc_error_make (err, errno, "clone");
  return pid;
}
