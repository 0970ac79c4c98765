#include "runtime/lib/terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <termios.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "runtime/lib/signals.h"
#include "runtime/lib/sync.h"

static int
bind_console (int pty_number, mc_error_t *err)
{
  char slave[64];
  int fd;

  snprintf (slave, sizeof (slave), "/dev/pts/%d", pty_number);
  fd = open ("/dev/console", O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return mc_error_make (err, errno, "create `/dev/console`");
  close (fd);
  if (mount (slave, "/dev/console", NULL, MS_BIND, NULL) < 0)
    return mc_error_make (err, errno, "mount `%s` on `/dev/console`", slave);
  return 0;
}

int
mc_terminal_setup (int sync_fd, const spec_process_t *p, bool console,
                   mc_error_t *err)
{
  cleanup_close int master = -1;
  cleanup_close int slave = -1;
  int unlock = 0, number;

  /* The container's /dev/ptmx (pts/ptmx of its devpts instance): the pty
     belongs to the container, not to the host.  */
  master = open ("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0)
    return mc_error_make (err, errno, "terminal: open `/dev/ptmx`");
  if (ioctl (master, TIOCSPTLCK, &unlock) < 0
      || ioctl (master, TIOCGPTN, &number) < 0)
    return mc_error_make (err, errno, "terminal: unlock the pty");
  /* TIOCGPTPEER opens the slave without a path lookup.  */
  slave = ioctl (master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0)
    return mc_error_make (err, errno, "terminal: open the pty slave");
  if (p->console_size)
    {
      struct winsize ws = {
        .ws_row = (unsigned short) p->console_size->height,
        .ws_col = (unsigned short) p->console_size->width,
      };
      if (ioctl (slave, TIOCSWINSZ, &ws) < 0)
        return mc_error_make (err, errno, "terminal: set the size");
    }
  if (fchown (slave, p->user.uid, p->user.gid) < 0)
    return mc_error_make (err, errno, "terminal: chown the pty");
  if (console && bind_console (number, err) < 0)
    return -1;
  if (setsid () < 0)
    return mc_error_make (err, errno, "setsid");
  if (ioctl (slave, TIOCSCTTY, 0) < 0)
    return mc_error_make (err, errno, "terminal: make it the controlling terminal");
  for (int i = 0; i < 3; i++)
    if (dup2 (slave, i) < 0)
      return mc_error_make (err, errno, "terminal: dup2");
  return mc_sync_send_fd (sync_fd, MC_SYNC_CONSOLE, master, err);
}

static void
copy_window_size (int from, int to)
{
  struct winsize ws;

  if (ioctl (from, TIOCGWINSZ, &ws) == 0)
    ioctl (to, TIOCSWINSZ, &ws);
}

/* Move what `from` has to `to`: 1 while open, 0 at EOF (or EIO, which is
   how a pty master says the last slave was closed).  */
static int
pump (int from, int to, mc_error_t *err)
{
  char buf[8192];
  ssize_t n;

  do
    n = read (from, buf, sizeof (buf));
  while (n < 0 && errno == EINTR);
  if (n == 0 || (n < 0 && (errno == EIO || errno == EAGAIN)))
    return 0;
  if (n < 0)
    return mc_error_make (err, errno, "terminal: read");
  /* A closed stdout must not stop the container: drop the output.  */
  mc_write_all (to, buf, (size_t) n);
  return 1;
}

void
mc_terminal_copy_size (int master)
{
  copy_window_size (STDIN_FILENO, master);
}

static int
relay (int master, int sfd, pid_t pid, int *status, mc_error_t *err)
{
  struct pollfd fds[3] = {
    { .fd = sfd, .events = POLLIN },
    { .fd = STDIN_FILENO, .events = POLLIN },
    { .fd = master, .events = POLLIN },
  };

  for (;;)
    {
      int r, signo;

      if (poll (fds, 3, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return mc_error_make (err, errno, "terminal: poll");
        }
      if (fds[2].revents)
        {
          r = pump (master, STDOUT_FILENO, err);
          if (r < 0)
            return r;
          if (r == 0)
            fds[2].fd = -1;
        }
      if (fds[1].revents)
        {
          r = pump (STDIN_FILENO, master, err);
          if (r < 0)
            return r;
          if (r == 0)
            fds[1].fd = -1;
        }
      if (!fds[0].revents)
        continue;
      if (mc_signals_read (sfd, &signo, err) < 0)
        return -1;
      if (signo == SIGWINCH)
        copy_window_size (STDIN_FILENO, master); /* the pty signals it */
      else if (signo != SIGCHLD)
        {
          if (mc_signals_forward (pid, signo, err) < 0)
            return -1;
          continue;
        }
      r = mc_signals_reap (pid, status, err);
      if (r != 0)
        {
          /* Output written before the exit is still in the pty: drain it
             without waiting for processes that may keep it open.  */
          if (r > 0 && fcntl (master, F_SETFL, O_NONBLOCK) == 0)
            {
              cleanup_error mc_error_t ignored = NULL;

              while (pump (master, STDOUT_FILENO, &ignored) > 0)
                ;
            }
          return r < 0 ? r : 0;
        }
    }
}

int
mc_terminal_relay (int master, int sfd, pid_t pid, int *status,
                   mc_error_t *err)
{
  struct termios saved, raw;
  bool restore = false;
  int r;

  if (tcgetattr (STDIN_FILENO, &saved) == 0)
    {
      raw = saved;
      /* Keystrokes go to the container's terminal, which does the line
         editing and echo; ^C is a byte for it, not a signal for us.  */
      cfmakeraw (&raw);
      if (tcsetattr (STDIN_FILENO, TCSADRAIN, &raw) == 0)
        restore = true;
    }
  r = relay (master, sfd, pid, status, err);
  if (restore)
    tcsetattr (STDIN_FILENO, TCSADRAIN, &saved);
  return r;
}
