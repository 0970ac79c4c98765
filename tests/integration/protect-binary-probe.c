/* Calls mc_protect_binary_for_join() as `minirun exec` will, then reports
   what a process of the container could get at:
     protect-binary-probe
   prints "dumpable=N sealed=N write=written|refused execs=N" (opening for
   writing fails with ETXTBSY, writing with EPERM: either is "refused").  */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "runtime/lib/security.h"

int
main (int argc, char **argv, char **envp)
{
  mc_error_t err = NULL;
  int fd, seals, wfd;
  char *n = getenv ("PROBE_EXECS");
  char count[16];

  /* Counts the (re-)executions, to show the copy is made only once.  */
  snprintf (count, sizeof (count), "%d", n ? atoi (n) + 1 : 1);
  setenv ("PROBE_EXECS", count, 1);
  if (mc_protect_binary_for_join (argv, environ, &err) < 0)
    {
      mc_error_print (&err, "protect-binary-probe", stderr);
      return 1;
    }
  /* Again, as from a sealed copy: a no-op.  */
  if (mc_protect_binary_for_join (argv, environ, &err) < 0)
    {
      mc_error_print (&err, "protect-binary-probe", stderr);
      return 1;
    }
  fd = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  seals = fd >= 0 ? fcntl (fd, F_GET_SEALS) : -1;
  wfd = open ("/proc/self/exe", O_WRONLY | O_CLOEXEC);
  if (wfd >= 0 && write (wfd, "x", 1) < 0)
    {
      close (wfd);
      wfd = -1;
    }
  printf ("dumpable=%d sealed=%d write=%s execs=%s\n",
          prctl (PR_GET_DUMPABLE, 0, 0, 0, 0),
          seals >= 0 && (seals & F_SEAL_WRITE) ? 1 : 0,
          wfd >= 0 ? "written" : "refused", getenv ("PROBE_EXECS"));
  return 0;
}
