/* minirun pause ID / minirun resume ID */
#include <getopt.h>
#include <stdio.h>

#include "runtime/cli/cli.h"
#include "runtime/lib/manage.h"

void
cli_pause_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... pause CONTAINER-ID\n"
           "Freeze every process of a running container (its cgroup's freezer):\n"
           "its status becomes `paused` until `minirun resume`.\n");
}

void
cli_resume_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... resume CONTAINER-ID\n"
           "Thaw the processes of a paused container: its status becomes\n"
           "`running` again.\n");
}

static int
pause_or_resume (const char *cmd, const cli_global_t *g, int argc,
                 char **argv, mc_error_t *err)
{
  static const struct option none[] = { { NULL, 0, NULL, 0 } };
  bool pause = cmd[0] == 'p';
  const char *id;

  opterr = 0;
  if (getopt_long (argc, argv, "+", none, NULL) != -1)
    {
      mc_error_make (err, 0, "%s: invalid option `%s`; try `minirun %s "
                     "--help`", cmd, argv[optind - 1], cmd);
      return 1;
    }
  if (cli_one_id (cmd, argc, argv, &id, err) < 0)
    return 1;
  if ((pause ? mc_manage_pause (g->root, id, err)
             : mc_manage_resume (g->root, id, err)) < 0)
    mc_error_prefix (err, "%s %s", cmd, id);
  return 0;
}

int
cli_pause (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  return pause_or_resume ("pause", g, argc, argv, err);
}

int
cli_resume (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  return pause_or_resume ("resume", g, argc, argv, err);
}
