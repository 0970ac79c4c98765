#include "runtime/lib/console-socket.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fdpass.h"

int
mc_console_socket_send (const char *path, int master, mc_error_t *err)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  cleanup_close int sock = -1;
  char name[64];
  int number;

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
  /* One message, one fd, the pty's name as payload: what conmon and
     containerd read.  */
  if (mc_send_with_fd (sock, name, strlen (name), master) < 0)
    return mc_error_make (err, errno, "send to console socket `%s`", path);
  return 0;
}
