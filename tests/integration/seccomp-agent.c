/* A seccomp notify agent for the tests:
     seccomp-agent SOCKET STATE-FILE MODE [HOLD-FILE]
   listens on SOCKET, takes one connection, writes the container process
   state JSON it receives to STATE-FILE (atomically: STATE-FILE.tmp, then
   renamed), and answers every notified syscall with the listener fd:
     MODE "ehostdown": fail it with EHOSTDOWN (a value no real mkdir gives);
     MODE "continue": let it run (SECCOMP_USER_NOTIF_FLAG_CONTINUE), but
                      only once HOLD-FILE exists (keeps the process blocked
                      in the notified syscall until the test says so).
   It runs until killed.  */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void
die (const char *what)
{
  fprintf (stderr, "seccomp-agent: %s: %s\n", what, strerror (errno));
  exit (1);
}

static int
receive (int conn, char *buf, size_t size)
{
  union
  {
    char b[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { .iov_base = buf, .iov_len = size - 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                        .msg_control = control.b,
                        .msg_controllen = sizeof (control.b) };
  struct cmsghdr *c;
  ssize_t n = recvmsg (conn, &msg, MSG_CMSG_CLOEXEC);
  size_t len;
  int fd = -1;

  if (n <= 0)
    die ("recvmsg");
  len = (size_t) n;
  c = CMSG_FIRSTHDR (&msg);
  if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
    memcpy (&fd, CMSG_DATA (c), sizeof (int));
  /* The rest of the message, if it came in pieces, until EOF.  */
  while (len < size - 1 && (n = read (conn, buf + len, size - 1 - len)) > 0)
    len += (size_t) n;
  buf[len] = '\0';
  return fd;
}

int
main (int argc, char **argv)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  static char json[65536];
  char tmp[4096];
  int sock, conn, fd;
  FILE *f;

  if (argc < 4)
    {
      fprintf (stderr, "usage: seccomp-agent SOCKET STATE-FILE MODE [HOLD]\n");
      return 2;
    }
  snprintf (addr.sun_path, sizeof (addr.sun_path), "%s", argv[1]);
  sock = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0 || bind (sock, (struct sockaddr *) &addr, sizeof (addr)) < 0
      || listen (sock, 1) < 0)
    die ("listen");
  conn = accept4 (sock, NULL, NULL, SOCK_CLOEXEC);
  if (conn < 0)
    die ("accept");
  fd = receive (conn, json, sizeof (json));
  snprintf (tmp, sizeof (tmp), "%s.tmp", argv[2]);
  f = fopen (tmp, "w");
  if (f == NULL)
    die ("fopen");
  fprintf (f, "%s\n%s\n", json, fd >= 0 ? "fd-received" : "no-fd");
  fclose (f);
  if (rename (tmp, argv[2]) < 0)
    die ("rename");
  if (fd < 0)
    return 1;
  for (;;)
    {
      struct seccomp_notif *req;
      struct seccomp_notif_resp *resp;

      if (seccomp_notify_alloc (&req, &resp) < 0)
        die ("seccomp_notify_alloc");
      if (seccomp_notify_receive (fd, req) < 0)
        return 0; /* the filter's processes are gone */
      resp->id = req->id;
      if (strcmp (argv[3], "continue") == 0)
        {
          while (argc > 4 && access (argv[4], F_OK) < 0)
            usleep (50000);
          resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        }
      else
        resp->error = -EHOSTDOWN;
      /* ENOENT: the process died meanwhile, fine.  */
      seccomp_notify_respond (fd, resp);
      seccomp_notify_free (req, resp);
    }
}
