#include "runtime/lib/sync.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fdpass.h"
#include "common/xalloc.h"

#define MC_SYNC_MAX_TEXT 4096

struct mc_sync_msg
{
  uint32_t type;
  int32_t status;      /* errno of an ERROR, 0 when not a system error */
  int32_t exit_status; /* for ERROR */
  uint32_t text_len;
  char text[MC_SYNC_MAX_TEXT];
};

#define HEADER_SIZE (offsetof (struct mc_sync_msg, text))

int
mc_sync_pair (int fds[2], mc_error_t *err)
{
  /* SEQPACKET keeps message boundaries and reports EOF when the peer's last
     copy of its end is closed, which is how exec is observed.  */
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
    return mc_error_make (err, errno, "socketpair");
  return 0;
}

static ssize_t
send_msg (int fd, const struct mc_sync_msg *m)
{
  ssize_t n;

  do
    n = send (fd, m, HEADER_SIZE + m->text_len, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n;
}

int
mc_sync_send (int fd, enum mc_sync_type type, mc_error_t *err)
{
  struct mc_sync_msg m = { .type = type };

  if (send_msg (fd, &m) < 0)
    return mc_error_make (err, errno, "sync: send message %d", (int) type);
  return 0;
}

int
mc_sync_send_fd (int fd, enum mc_sync_type type, int passfd, mc_error_t *err)
{
  struct mc_sync_msg m = { .type = type };

  if (mc_send_with_fd (fd, &m, HEADER_SIZE, passfd) < 0)
    return mc_error_make (err, errno, "sync: send message %d", (int) type);
  return 0;
}

void
mc_sync_send_error (int fd, const mc_error_t e, int exit_status)
{
  struct mc_sync_msg m = { .type = MC_SYNC_ERROR, .exit_status = exit_status };
  const char *text = e && e->msg ? e->msg : "unknown error";
  size_t len = strlen (text);

  if (len > sizeof (m.text))
    len = sizeof (m.text);
  memcpy (m.text, text, len);
  m.text_len = (uint32_t) len;
  m.status = e ? e->status : 0;
  send_msg (fd, &m);
}

/* Receive one message: 1 with *m filled, 0 on EOF.  A file descriptor that
   comes with it goes to *passfd when not NULL, and is closed otherwise.  */
static int
recv_msg (int fd, struct mc_sync_msg *m, int *passfd, mc_error_t *err)
{
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { .iov_base = m, .iov_len = sizeof (*m) };
  struct msghdr mh = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = control.buf,
    .msg_controllen = sizeof (control.buf),
  };
  struct cmsghdr *c;
  ssize_t n;

  do
    n = recvmsg (fd, &mh, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  /* ECONNRESET: the peer died with data we never read; that is an EOF.  */
  if (n == 0 || (n < 0 && errno == ECONNRESET))
    return 0;
  if (n < 0)
    return mc_error_make (err, errno, "sync: receive");
  c = CMSG_FIRSTHDR (&mh);
  if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS
      && c->cmsg_len == CMSG_LEN (sizeof (int)))
    {
      int received;

      memcpy (&received, CMSG_DATA (c), sizeof (int));
      if (passfd && *passfd < 0)
        *passfd = received;
      else
        close (received);
    }
  if ((size_t) n < HEADER_SIZE || m->text_len != (size_t) n - HEADER_SIZE)
    return mc_error_make (err, 0, "sync: malformed message");
  return 1;
}

static int
error_from_msg (const struct mc_sync_msg *m, int *exit_status, mc_error_t *err)
{
  if (exit_status)
    *exit_status = m->exit_status > 0 ? m->exit_status : 1;
  return mc_error_make (err, m->status, "%.*s", (int) m->text_len, m->text);
}

int
mc_sync_expect (int fd, enum mc_sync_type expected, int *exit_status,
                mc_error_t *err)
{
  return mc_sync_expect_fd (fd, expected, NULL, exit_status, err);
}

int
mc_sync_send_value (int fd, enum mc_sync_type type, int32_t value,
                    mc_error_t *err)
{
  struct mc_sync_msg m = { .type = type, .status = value };

  if (send_msg (fd, &m) < 0)
    return mc_error_make (err, errno, "sync: send message %d", (int) type);
  return 0;
}

static int expect_msg (int fd, enum mc_sync_type expected, int *passfd,
                       int32_t *value, int *exit_status, mc_error_t *err);

int
mc_sync_expect_value (int fd, enum mc_sync_type expected, int32_t *value,
                      mc_error_t *err)
{
  return expect_msg (fd, expected, NULL, value, NULL, err);
}

int
mc_sync_expect_fd (int fd, enum mc_sync_type expected, int *passfd,
                   int *exit_status, mc_error_t *err)
{
  return expect_msg (fd, expected, passfd, NULL, exit_status, err);
}

static int
expect_msg (int fd, enum mc_sync_type expected, int *passfd, int32_t *value,
            int *exit_status, mc_error_t *err)
{
  struct mc_sync_msg m;
  cleanup_close int received = -1;
  int r = recv_msg (fd, &m, passfd ? &received : NULL, err);

  if (r < 0)
    return r;
  if (r == 0)
    return mc_error_make (err, EPIPE, "sync: peer exited");
  if (m.type == MC_SYNC_ERROR)
    return error_from_msg (&m, exit_status, err);
  if (m.type != expected)
    return mc_error_make (err, 0, "sync: expected message %d, got %d",
                          (int) expected, (int) m.type);
  if (passfd)
    {
      if (received < 0)
        return mc_error_make (err, 0, "sync: message %d without its fd",
                              (int) expected);
      *passfd = steal_fd (&received);
    }
  if (value)
    *value = m.status;
  return 0;
}

int
mc_sync_expect_eof (int fd, int *exit_status, mc_error_t *err)
{
  struct mc_sync_msg m;
  int r = recv_msg (fd, &m, NULL, err);

  if (r <= 0)
    return r;
  if (m.type == MC_SYNC_ERROR)
    return error_from_msg (&m, exit_status, err);
  return mc_error_make (err, 0, "sync: unexpected message %d", (int) m.type);
}
