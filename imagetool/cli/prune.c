/* mcimg prune  */
#include <getopt.h>

#include "common/cleanup.h"
#include "imagetool/cli/cli.h"
#include "imagetool/lib/images.h"

void
mcimg_cli_prune_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg prune\n"
           "Remove the blobs and unpacked layers that no image name in the\n"
           "store references, and partial downloads.  Waits for running\n"
           "pulls to finish.\n"
           "\n"
           "Options:\n"
           "  -h, --help   show this help\n");
}

int
mcimg_cli_prune (const mcimg_cli_global_t *g, int argc, char **argv,
                 mc_error_t *err)
{
  cleanup_store mcimg_store_t *store = NULL;
  unsigned freed = 0;

  if (getopt (argc, argv, "") != -1)
    return mcimg_cli_usage ("prune", "invalid option");
  if (optind != argc)
    return mcimg_cli_usage ("prune", "no arguments expected");
  if (mcimg_store_open (mcimg_store_root_choose (g->root), &store, err) < 0
      || mcimg_store_prune (store, &freed, err) < 0)
    return 1;
  fprintf (stderr, "removed %u blobs and layers\n", freed);
  return 0;
}
