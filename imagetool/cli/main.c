/* mcimg: global flags, then one command from the table.  */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "imagetool/cli/cli.h"

#define COMMAND(name, summary)                                                \
  { { #name, summary, mcimg_cli_##name##_help, false }, mcimg_cli_##name }
static const mcimg_cli_command_t commands[] = {
  COMMAND (pull, "pull an image from a registry into the store"),
  COMMAND (images, "list the images in the store"),
  COMMAND (inspect, "print an image's manifest and config"),
  COMMAND (tag, "give an image another name"),
  COMMAND (rmi, "remove an image name from the store"),
  COMMAND (prune, "remove blobs and layers no image uses"),
  COMMAND (save, "write an image to an oci- or docker-archive"),
  COMMAND (load, "import the images of an oci- or docker-archive"),
  COMMAND (login, "store credentials for a registry"),
  COMMAND (logout, "remove stored credentials for a registry"),
  COMMAND (bundle, "make an OCI runtime bundle of an image"),
  COMMAND (mount, "mount a bundle's rootfs again"),
  COMMAND (unbundle, "unmount and remove a bundle"),
  COMMAND (bundles, "list the bundles made from the store"),
};
static const mc_cli_table_t table = MC_CLI_TABLE (commands);
#undef COMMAND

static void
main_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg [GLOBAL OPTION]... COMMAND [OPTION]... [ARG]...\n"
           "Pull OCI images into a local store.\n"
           "\n"
           "Commands:\n");
  mc_cli_print_commands (&table, out);
  fprintf (out,
           "\n"
           "Global options:\n"
           "      --root DIR   image store (default: $MCIMG_ROOT, else\n"
           "                   /var/lib/mcimg)\n"
           "  -h, --help       show this help\n"
           "  -v, --version    show the version\n"
           "\n"
           "`mcimg help COMMAND` or `mcimg COMMAND --help` describes a command.\n");
}

static void
version (void)
{
  printf ("mcimg version %s\n"
          "commit: %s\n",
          PACKAGE_VERSION, GIT_COMMIT);
}

int
mcimg_cli_usage (const char *cmd, const char *fmt, ...)
{
  va_list ap;

  fprintf (stderr, "mcimg: %s: ", cmd);
  va_start (ap, fmt);
  vfprintf (stderr, fmt, ap);
  va_end (ap);
  fprintf (stderr, "; try `mcimg %s --help`\n", cmd);
  return 2;
}

int
main (int argc, char **argv)
{
  static const struct option long_options[] = {
    { "root", required_argument, NULL, 'r' },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'v' },
    { NULL, 0, NULL, 0 },
  };
  mcimg_cli_global_t g = { 0 };
  const mcimg_cli_command_t *cmd;
  mc_error_t err = NULL;
  int c, status;

  mc_progname = "mcimg";
  /* "+": stop at the command; its own options are parsed by it.  */
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+hv", long_options, NULL)) != -1)
    switch (c)
      {
      case 'r':
        g.root = optarg;
        break;
      case 'h':
        main_help (stdout);
        return 0;
      case 'v':
        version ();
        return 0;
      default:
        fprintf (stderr, "mcimg: invalid option `%s`; try `mcimg --help`\n",
                 argv[optind - 1]);
        return 2;
      }
  cmd = (const mcimg_cli_command_t *) mc_cli_select (&table, mc_progname,
                                                      argc - optind,
                                                      argv + optind,
                                                      main_help, 2, &status);
  if (cmd == NULL)
    return status;
  /* Each command parses its own vector from index 1; optind 0 makes
     glibc's getopt start over.  */
  argc -= optind;
  argv += optind;
  optind = 0;
  opterr = 1;
  status = cmd->fn (&g, argc, argv, &err);
  if (err)
    {
      mc_error_print (&err, mc_progname, stderr);
      if (status == 0)
        status = 1;
    }
  return status;
}
