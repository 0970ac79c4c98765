/* mcimg unbundle DIR  */
#include <getopt.h>

#include "common/cleanup.h"
#include "imagetool/cli/cli.h"
#include "imagetool/lib/bundle.h"

void
mcimg_cli_unbundle_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg unbundle DIR\n"
           "Unmount the rootfs of bundle DIR, remove DIR and the store's\n"
           "record of it (prune may then remove the layers it used).\n"
           "\n"
           "Options:\n"
           "  -h, --help   show this help\n");
}

int
mcimg_cli_unbundle (const mcimg_cli_global_t *g, int argc, char **argv,
                  mc_error_t *err)
{
  cleanup_store mcimg_store_t *store = NULL;

  if (getopt (argc, argv, "") != -1)
    return mcimg_cli_usage ("unbundle", "invalid option");
  if (optind + 1 != argc)
    return mcimg_cli_usage ("unbundle", "expected one DIR");
  if (mcimg_store_open (mcimg_store_root_choose (g->root), &store, err) < 0
      || mcimg_bundle_remove (store, argv[optind], err) < 0)
    return 1;
  return 0;
}
