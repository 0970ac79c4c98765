#include "runtime/lib/signals.h"

#include <errno.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static void
forwarded_set (sigset_t *set)
{
  sigfillset (set);
  /* Faults are about minirun itself, and cannot be blocked usefully.  */
  sigdelset (set, SIGSEGV);
  sigdelset (set, SIGBUS);
  sigdelset (set, SIGFPE);
  sigdelset (set, SIGILL);
  sigdelset (set, SIGTRAP);
  sigdelset (set, SIGSYS);
  sigdelset (set, SIGABRT);
  /* SIGKILL and SIGSTOP cannot be caught; sigprocmask ignores them.  */
}

int
mc_signals_block (sigset_t *old, mc_error_t *err)
{
  sigset_t set;

  forwarded_set (&set);
  if (sigprocmask (SIG_BLOCK, &set, old) < 0)
    return mc_error_make (err, errno, "block signals");
  return 0;
}

void
mc_signals_restore (const sigset_t *old)
{
  sigprocmask (SIG_SETMASK, old, NULL);
}

void
mc_signals_reset_for_exec (const sigset_t *mask)
{
  struct sigaction sa = { .sa_handler = SIG_DFL };

  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      sigaction (sig, &sa, NULL); /* EINVAL for glibc's internal ones */
  sigprocmask (SIG_SETMASK, mask, NULL);
}

int
mc_signals_fd (mc_error_t *err)
{
  sigset_t set;
  int fd;

  forwarded_set (&set);
  fd = signalfd (-1, &set, SFD_CLOEXEC);
  if (fd < 0)
    return mc_error_make (err, errno, "signalfd");
  return fd;
}

int
mc_exit_status_of (int wait_status)
{
  if (WIFEXITED (wait_status))
    return WEXITSTATUS (wait_status);
  if (WIFSIGNALED (wait_status))
    return 128 + WTERMSIG (wait_status);
  return 255;
}

int
mc_signals_read (int sfd, int *signo, mc_error_t *err)
{
  struct signalfd_siginfo si;
  ssize_t n;

  do
    n = read (sfd, &si, sizeof (si));
  while (n < 0 && errno == EINTR);
  if (n != (ssize_t) sizeof (si))
    return mc_error_make (err, n < 0 ? errno : EIO, "read signalfd");
  *signo = (int) si.ssi_signo;
  return 0;
}

int
mc_signals_reap (pid_t pid, int *status, mc_error_t *err)
{
  pid_t r;

  do
    r = waitpid (pid, status, WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return mc_error_make (err, errno, "waitpid %d", (int) pid);
  return r == pid;
}

int
mc_signals_forward (pid_t pid, int signo, mc_error_t *err)
{
  /* ESRCH: it just exited; SIGCHLD follows.  */
  if (kill (pid, signo) < 0 && errno != ESRCH)
    return mc_error_make (err, errno, "forward signal %d to %d", signo,
                          (int) pid);
  return 0;
}

int
mc_signals_forward_until_exit (int sfd, pid_t pid, int *status,
                               mc_error_t *err)
{
  for (;;)
    {
      int signo, r;

      /* SIGCHLD is blocked, so an exit before the first read still has
         its signal pending: reaping first is only a shortcut.  */
      r = mc_signals_reap (pid, status, err);
      if (r != 0)
        return r < 0 ? r : 0;
      if (mc_signals_read (sfd, &signo, err) < 0)
        return -1;
      if (signo != SIGCHLD && mc_signals_forward (pid, signo, err) < 0)
        return -1;
    }
}
