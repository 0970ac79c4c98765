#include "runtime/lib/seccomp-notify.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fdpass.h"
#include "common/fileutil.h"
#include "common/xalloc.h"

int
mc_seccomp_notify_connect (const char *path, mc_error_t *err)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  cleanup_close int fd = -1;

  if (strlen (path) >= sizeof (addr.sun_path))
    return mc_error_make (err, ENAMETOOLONG, "linux.seccomp.listenerPath `%s`",
                          path);
  strcpy (addr.sun_path, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return mc_error_make (err, errno, "linux.seccomp.listenerPath: socket");
  if (connect (fd, (struct sockaddr *) &addr, sizeof (addr)) < 0)
    return mc_error_make (err, errno, "linux.seccomp.listenerPath: connect "
                          "to `%s`", path);
  return steal_fd (&fd);
}

/* Append `s` as a JSON string.  */
static void
json_string (FILE *f, const char *s)
{
  fputc ('"', f);
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        fprintf (f, "\\%c", *p);
      else if (*p < 0x20)
        fprintf (f, "\\u%04x", *p);
      else
        fputc (*p, f);
    }
  fputc ('"', f);
}

int
mc_seccomp_notify_message (const spec_state_t *state, pid_t pid,
                           const char *metadata, char **out, mc_error_t *err)
{
  cleanup_free char *state_json = NULL;
  char *buf = NULL;
  size_t state_len, len;
  FILE *f;

  if (spec_state_generate (state, false, &state_json, &state_len, err) < 0)
    return mc_error_prefix (err, "seccomp listener message");
  f = open_memstream (&buf, &len);
  if (f == NULL)
    xoom ();
  fputs ("{\"ociVersion\":", f);
  json_string (f, state->oci_version ? state->oci_version : "");
  /* The index of the listener fd among the SCM_RIGHTS fds.  */
  fprintf (f, ",\"fds\":[\"seccompFd\"],\"pid\":%d", (int) pid);
  if (metadata)
    {
      fputs (",\"metadata\":", f);
      json_string (f, metadata);
    }
  fprintf (f, ",\"state\":%s}", state_json);
  if (fclose (f) != 0)
    xoom ();
  *out = buf;
  return 0;
}

int
mc_seccomp_notify_send (int sock, const char *message, int notify_fd,
                        mc_error_t *err)
{
  size_t len = strlen (message);
  ssize_t n = mc_send_with_fd (sock, message, len, notify_fd);

  if (n < 0)
    return mc_error_make (err, errno, "send the seccomp listener fd");
  /* The fd went with the first byte; the rest is plain data.  */
  if ((size_t) n < len && mc_write_all (sock, message + n, len - (size_t) n) < 0)
    return mc_error_make (err, errno, "send the seccomp listener message");
  return 0;
}
