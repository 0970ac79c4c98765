#include "runtime/lib/console-socket.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/cleanup.h"

int
mc_console_socket_send (const char *path, int master, mc_error_t *err)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  cleanup_close int sock = -1;
  struct msghdr mh = { 0 };
  struct cmsghdr *cmsg;
  struct iovec iov;
  char name[64];
  int number;
  ssize_t n;

  if (strlen (path) >= sizeof (addr.sun_path))
    return mc_error_make (err, ENAMETOOLONG, "console socket `%s`", path);
  strcpy (addr.sun_path, path);
  sock = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0)
    return mc_error_make (err, errno, "console socket: socket");
  if (connect (sock, (struct sockaddr *) &addr, sizeof (addr)) < 0)
    return mc_error_make (err, errno, "connect to console socket `%s`", path);
  /* The slave's name inside the container (its own devpts).  */
  if (ioctl (master, TIOCGPTN, &number) < 0)
    return mc_error_make (err, errno, "console socket: TIOCGPTN");
  snprintf (name, sizeof (name), "/dev/pts/%d", number);
  iov = (struct iovec) { .iov_base = name, .iov_len = strlen (name) };
  memset (&control, 0, sizeof (control));
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  mh.msg_control = control.buf;
  mh.msg_controllen = sizeof (control.buf);
  cmsg = CMSG_FIRSTHDR (&mh);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cmsg), &master, sizeof (int));
  do
    n = sendmsg (sock, &mh, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return mc_error_make (err, errno, "send to console socket `%s`", path);
  return 0;
}
