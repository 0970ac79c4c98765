/* minirun run [OPTION]... ID */
#include <stdio.h>

#include "runtime/cli/cli.h"
#include "runtime/lib/container.h"

void
cli_run_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... run [OPTION]... CONTAINER-ID\n"
           "Create and start a container from an OCI bundle, wait for its\n"
           "process while forwarding signals to it, delete it, and exit with\n"
           "its exit status (128+N when it was killed by signal N).\n"
           "\n"
           "Options:\n"
           "  -d, --detach           return once the process runs, leaving it\n"
           "                         running (like create + start)\n"
           "      --keep             do not delete the container when it exits\n");
  cli_create_options_help (out);
  fprintf (out,
           "\n"
           "Setup errors exit with 1, an executable that cannot be found with 127,\n"
           "one that cannot be executed with 126.\n");
}

int
cli_run (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  mc_container_opts_t opts = { .state_root = g->root };
  bool detach = false, keep = false;
  int status = 1;
  int ret;

  if (cli_parse_create ("run", true, argc, argv, &opts, &detach, &keep,
                        err) < 0)
    return 1;
  if (!detach)
    {
      opts.kill_on_parent_death = true;
      opts.relay_terminal = true;
    }
  ret = mc_container_run (&opts,
                          detach ? MC_RUN_DETACHED
                                 : keep ? MC_RUN_KEEP : MC_RUN_DELETE,
                          &status, err);
  if (ret < 0)
    mc_error_prefix (err, "run %s", opts.id);
  return status;
}
