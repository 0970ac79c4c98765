/* minirun run [-b BUNDLE] [--pid-file F] ID */
#include <getopt.h>
#include <stdio.h>

#include "runtime/cli/cli.h"
#include "runtime/lib/container.h"

void
cli_run_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [--root DIR] run [OPTION]... CONTAINER-ID\n"
           "Create and start a container from an OCI bundle, wait for its\n"
           "process while forwarding signals to it, delete it, and exit with\n"
           "its exit status (128+N when it was killed by signal N).\n"
           "\n"
           "Options:\n"
           "  -b, --bundle DIR     the bundle (config.json and rootfs; default: .)\n"
           "      --pid-file FILE  write the container process's pid to FILE\n"
           "  -h, --help           show this help\n"
           "\n"
           "Setup errors exit with 1, an executable that cannot be found with 127,\n"
           "one that cannot be executed with 126.\n");
}

int
cli_run (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  static const struct option long_options[] = {
    { "bundle", required_argument, NULL, 'b' },
    { "pid-file", required_argument, NULL, 'p' },
    { NULL, 0, NULL, 0 },
  };
  mc_container_opts_t opts = {
    .state_root = g->root,
    .kill_on_parent_death = true,
    .relay_terminal = true,
  };
  int c, status = 1;

  opterr = 0; /* one error line, ours */
  while ((c = getopt_long (argc, argv, ":b:", long_options, NULL)) != -1)
    switch (c)
      {
      case 'b':
        opts.bundle = optarg;
        break;
      case 'p':
        opts.pid_file = optarg;
        break;
      case ':':
        mc_error_make (err, 0, "run: option `%s` needs an argument",
                       argv[optind - 1]);
        return 1;
      default:
        mc_error_make (err, 0, "run: invalid option `%s`; try `minirun run --help`",
                       argv[optind - 1]);
        return 1;
      }
  if (argc - optind != 1)
    {
      mc_error_make (err, 0, "run: %s; try `minirun run --help`",
                     argc - optind < 1 ? "missing container ID"
                                       : "too many arguments");
      return 1;
    }
  opts.id = argv[optind];
  if (mc_container_run (&opts, &status, err) < 0)
    mc_error_prefix (err, "run %s", opts.id);
  return status;
}
