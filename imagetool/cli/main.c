/* mcimg: global flags, then one command from the table.  */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/error.h"
#include "imagetool/cli/cli.h"

static const mcimg_cli_command_t commands[] = {
  { "pull", "pull an image from a registry into the store", mcimg_cli_pull,
    mcimg_cli_pull_help },
  { "images", "list the images in the store", mcimg_cli_images,
    mcimg_cli_images_help },
  { "inspect", "print an image's manifest and config", mcimg_cli_inspect,
    mcimg_cli_inspect_help },
  { "tag", "give an image another name", mcimg_cli_tag, mcimg_cli_tag_help },
  { "rmi", "remove an image name from the store", mcimg_cli_rmi,
    mcimg_cli_rmi_help },
  { "prune", "remove blobs and layers no image uses", mcimg_cli_prune,
    mcimg_cli_prune_help },
  { "save", "write an image to an oci- or docker-archive", mcimg_cli_save,
    mcimg_cli_save_help },
  { "load", "import the images of an oci- or docker-archive", mcimg_cli_load,
    mcimg_cli_load_help },
  { "login", "store credentials for a registry", mcimg_cli_login,
    mcimg_cli_login_help },
  { "logout", "remove stored credentials for a registry", mcimg_cli_logout,
    mcimg_cli_logout_help },
  { "bundle", "make an OCI runtime bundle of an image", mcimg_cli_bundle,
    mcimg_cli_bundle_help },
  { "mount", "mount a bundle's rootfs again", mcimg_cli_mount,
    mcimg_cli_mount_help },
  { "unbundle", "unmount and remove a bundle", mcimg_cli_unbundle,
    mcimg_cli_unbundle_help },
  { "bundles", "list the bundles made from the store", mcimg_cli_bundles,
    mcimg_cli_bundles_help },
};
#define N_COMMANDS (sizeof (commands) / sizeof (commands[0]))

static void
main_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg [GLOBAL OPTION]... COMMAND [OPTION]... [ARG]...\n"
           "Pull OCI images into a local store.\n"
           "\n"
           "Commands:\n");
  for (size_t i = 0; i < N_COMMANDS; i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out,
           "  %-10s %s\n"
           "\n"
           "Global options:\n"
           "      --root DIR   image store (default: $MCIMG_ROOT, else\n"
           "                   /var/lib/mcimg)\n"
           "  -h, --help       show this help\n"
           "  -v, --version    show the version\n"
           "\n"
           "`mcimg help COMMAND` or `mcimg COMMAND --help` describes a command.\n",
           "help", "show the help of a command");
}

static void
version (void)
{
  printf ("mcimg version %s\n"
          "commit: %s\n",
          PACKAGE_VERSION, GIT_COMMIT);
}

static const mcimg_cli_command_t *
find_command (const char *name)
{
  for (size_t i = 0; i < N_COMMANDS; i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
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

static int
wants_help (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        return 0;
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        return 1;
    }
  return 0;
}

static int
help_command (int argc, char **argv)
{
  const mcimg_cli_command_t *cmd;

  if (argc < 2)
    {
      main_help (stdout);
      return 0;
    }
  cmd = find_command (argv[1]);
  if (cmd == NULL)
    {
      fprintf (stderr, "mcimg: help: unknown command `%s`\n", argv[1]);
      return 2;
    }
  cmd->help (stdout);
  return 0;
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
  if (optind >= argc)
    {
      main_help (stderr);
      return 2;
    }
  if (strcmp (argv[optind], "help") == 0)
    return help_command (argc - optind, argv + optind);
  cmd = find_command (argv[optind]);
  if (cmd == NULL)
    {
      fprintf (stderr, "mcimg: unknown command `%s`; try `mcimg --help`\n",
               argv[optind]);
      return 2;
    }
  if (wants_help (argc - optind, argv + optind))
    {
      cmd->help (stdout);
      return 0;
    }
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
