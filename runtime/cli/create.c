/* minirun create / run: the same options, run adds --detach and --keep.  */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/cli/cli.h"
#include "runtime/lib/container.h"

void
cli_create_options_help (FILE *out)
{
  fprintf (out,
           "  -b, --bundle DIR       the bundle (config.json and rootfs; default: .)\n"
           "      --pid-file FILE    write init's pid to FILE (decimal, no newline)\n"
           "      --console-socket PATH  send the pty master of a terminal: true\n"
           "                         container to the unix socket PATH\n"
           "      --preserve-fds N   pass fds 3..3+N-1 on to the process\n"
           "      --no-pivot         do not use pivot_root: move the rootfs onto /\n"
           "                         and chroot into it (for a rootfs on ramfs;\n"
           "                         less isolated, see the man page)\n"
           "      --no-new-keyring   accepted (minirun never creates a session keyring)\n"
           "  -h, --help             show this help\n");
}

void
cli_create_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... create [OPTION]... CONTAINER-ID\n"
           "Create a container from an OCI bundle and exit, leaving its init\n"
           "waiting for `minirun start`.  The state is then `created`.\n"
           "\n"
           "Options:\n");
  cli_create_options_help (out);
}

int
cli_parse_create (const char *cmd, bool is_run, int argc, char **argv,
                  mc_container_opts_t *opts, bool *detach, bool *keep,
                  mc_error_t *err)
{
  enum { OPT_PID_FILE = 256, OPT_NO_PIVOT, OPT_NO_NEW_KEYRING, OPT_KEEP,
         OPT_CONSOLE_SOCKET, OPT_PRESERVE_FDS };
  static const struct option create_options[] = {
    { "bundle", required_argument, NULL, 'b' },
    { "pid-file", required_argument, NULL, OPT_PID_FILE },
    { "no-pivot", no_argument, NULL, OPT_NO_PIVOT },
    { "no-new-keyring", no_argument, NULL, OPT_NO_NEW_KEYRING },
    { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
    { "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
    { NULL, 0, NULL, 0 },
  };
  static const struct option run_options[] = {
    { "bundle", required_argument, NULL, 'b' },
    { "pid-file", required_argument, NULL, OPT_PID_FILE },
    { "no-pivot", no_argument, NULL, OPT_NO_PIVOT },
    { "no-new-keyring", no_argument, NULL, OPT_NO_NEW_KEYRING },
    { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
    { "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
    { "detach", no_argument, NULL, 'd' },
    { "keep", no_argument, NULL, OPT_KEEP },
    { NULL, 0, NULL, 0 },
  };
  int c;

  opterr = 0; /* one error line, ours */
  while ((c = getopt_long (argc, argv, is_run ? ":b:d" : ":b:",
                           is_run ? run_options : create_options, NULL)) != -1)
    switch (c)
      {
      case 'b':
        opts->bundle = optarg;
        break;
      case OPT_PID_FILE:
        opts->pid_file = optarg;
        break;
      case OPT_CONSOLE_SOCKET:
        opts->console_socket = optarg;
        break;
      case OPT_PRESERVE_FDS:
        {
          char *end;
          long n = strtol (optarg, &end, 10);

          if (*optarg == '\0' || *end != '\0' || n < 0 || n > 65536)
            return mc_error_make (err, 0, "%s: invalid --preserve-fds `%s`",
                                  cmd, optarg);
          opts->preserve_fds = (int) n;
        }
        break;
      case OPT_NO_PIVOT:
        opts->no_pivot = true;
        break;
      case OPT_NO_NEW_KEYRING:
        break;
      case 'd':
        *detach = true;
        break;
      case OPT_KEEP:
        *keep = true;
        break;
      case ':':
        return mc_error_make (err, 0, "%s: option `%s` needs an argument", cmd,
                              argv[optind - 1]);
      default:
        return mc_error_make (err, 0, "%s: invalid option `%s`; try `minirun "
                              "%s --help`", cmd, argv[optind - 1], cmd);
      }
  return cli_one_id (cmd, argc, argv, &opts->id, err);
}

int
cli_create (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  mc_container_opts_t opts = { .state_root = g->root };
  mc_container_t *c = NULL;
  bool detach = true, keep = false;
  int status = 1;

  if (cli_parse_create ("create", false, argc, argv, &opts, &detach, &keep,
                        err) < 0)
    return 1;
  if (mc_container_create (&opts, &c, &status, err) < 0)
    {
      mc_error_prefix (err, "create %s", opts.id);
      return status;
    }
  mc_container_release (c);
  return 0;
}

/* Exactly one operand, the container ID.  */
int
cli_one_id (const char *cmd, int argc, char **argv, const char **id,
            mc_error_t *err)
{
  if (argc - optind != 1)
    return mc_error_make (err, 0, "%s: %s; try `minirun %s --help`", cmd,
                          argc - optind < 1 ? "missing container ID"
                                            : "too many arguments", cmd);
  *id = argv[optind];
  return 0;
}
