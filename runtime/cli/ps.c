/* minirun ps [--format table|json] ID */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "runtime/cli/cli.h"
#include "runtime/lib/lifecycle.h"

void
cli_ps_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... ps [OPTION]... CONTAINER-ID\n"
           "List the processes of a container (host pids): those of its cgroup,\n"
           "or without one, those of its pid namespace.\n"
           "\n"
           "Options:\n"
           "  -f, --format table|json  a table of PID and CMD (default), or a JSON\n"
           "                           array of pids\n"
           "  -h, --help               show this help\n");
}

/* /proc/PID/cmdline with spaces between the arguments.  */
static char *
command_of (pid_t pid)
{
  cleanup_free char *path = xasprintf ("/proc/%d/cmdline", (int) pid);
  mc_error_t ignored = NULL;
  char *buf = NULL;
  size_t len;

  if (mc_read_file_at (AT_FDCWD, path, 1 << 16, &buf, &len, &ignored) < 0)
    {
      mc_error_release (&ignored);
      return xstrdup ("?");
    }
  for (size_t i = 0; i + 1 < len; i++)
    if (buf[i] == '\0')
      buf[i] = ' ';
  return buf;
}

int
cli_ps (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  static const struct option long_options[] = {
    { "format", required_argument, NULL, 'f' },
    { NULL, 0, NULL, 0 },
  };
  cleanup_free pid_t *pids = NULL;
  bool json = false;
  const char *id;
  size_t n;
  int c;

  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:f:", long_options, NULL)) != -1)
    switch (c)
      {
      case 'f':
        if (strcmp (optarg, "json") == 0)
          json = true;
        else if (strcmp (optarg, "table") != 0)
          {
            mc_error_make (err, 0, "ps: invalid format `%s`", optarg);
            return 1;
          }
        break;
      case ':':
        mc_error_make (err, 0, "ps: option `%s` needs an argument",
                       argv[optind - 1]);
        return 1;
      default:
        mc_error_make (err, 0, "ps: invalid option `%s`; try `minirun ps "
                       "--help`", argv[optind - 1]);
        return 1;
      }
  if (cli_one_id ("ps", argc, argv, &id, err) < 0)
    return 1;
  if (mc_lifecycle_pids (g->root, id, &pids, &n, err) < 0)
    {
      mc_error_prefix (err, "ps %s", id);
      return 1;
    }
  if (json)
    {
      fputs ("[", stdout);
      for (size_t i = 0; i < n; i++)
        printf ("%s%d", i ? "," : "", (int) pids[i]);
      fputs ("]\n", stdout);
      return 0;
    }
  printf ("%-8s %s\n", "PID", "CMD");
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *cmd = command_of (pids[i]);
      printf ("%-8d %s\n", (int) pids[i], cmd);
    }
  return 0;
}
