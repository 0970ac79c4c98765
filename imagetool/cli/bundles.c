/* mcimg bundles  */
#include <getopt.h>

#include "common/cleanup.h"
#include "imagetool/cli/cli.h"
#include "imagetool/lib/bundle.h"

void
mcimg_cli_bundles_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg bundles\n"
           "List the bundles made from the store: path, image, manifest\n"
           "digest, mode (overlay or copy) and state (mounted, unmounted,\n"
           "ready, missing), tab-separated.\n"
           "\n"
           "Options:\n"
           "  -h, --help   show this help\n");
}

int
mcimg_cli_bundles (const mcimg_cli_global_t *g, int argc, char **argv,
                   mc_error_t *err)
{
  cleanup_store mcimg_store_t *store = NULL;

  if (getopt (argc, argv, "") != -1)
    return mcimg_cli_usage ("bundles", "invalid option");
  if (optind != argc)
    return mcimg_cli_usage ("bundles", "no arguments expected");
  if (mcimg_store_open (mcimg_store_root_choose (g->root), &store, err) < 0
      || mcimg_bundles_list (store, stdout, err) < 0)
    return 1;
  return 0;
}
