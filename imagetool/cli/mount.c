/* mcimg mount DIR  */
#include <getopt.h>

#include "common/cleanup.h"
#include "imagetool/cli/cli.h"
#include "imagetool/lib/bundle.h"

void
mcimg_cli_mount_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg mount DIR\n"
           "Mount the rootfs of bundle DIR again (after a reboot); nothing\n"
           "to do when it is mounted or a --copy bundle.\n"
           "\n"
           "Options:\n"
           "  -h, --help   show this help\n");
}

int
mcimg_cli_mount (const mcimg_cli_global_t *g, int argc, char **argv,
                  mc_error_t *err)
{
  cleanup_store mcimg_store_t *store = NULL;

  if (getopt (argc, argv, "") != -1)
    return mcimg_cli_usage ("mount", "invalid option");
  if (optind + 1 != argc)
    return mcimg_cli_usage ("mount", "expected one DIR");
  if (mcimg_store_open (mcimg_store_root_choose (g->root), &store, err) < 0
      || mcimg_bundle_mount (store, argv[optind], err) < 0)
    return 1;
  return 0;
}
