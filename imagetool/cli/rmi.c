/* mcimg rmi IMAGE...  */
#include <getopt.h>

#include "common/cleanup.h"
#include "imagetool/cli/cli.h"
#include "imagetool/lib/images.h"

void
mcimg_cli_rmi_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg rmi IMAGE\n"
           "Remove the name IMAGE from the store.  Blobs and unpacked layers\n"
           "stay until no image uses them and they are pruned.\n"
           "\n"
           "Options:\n"
           "  -h, --help   show this help\n");
}

int
mcimg_cli_rmi (const mcimg_cli_global_t *g, int argc, char **argv,
               mc_error_t *err)
{
  cleanup_store mcimg_store_t *store = NULL;

  if (getopt (argc, argv, "") != -1)
    return mcimg_cli_usage ("rmi", "invalid option");
  if (optind + 1 != argc)
    return mcimg_cli_usage ("rmi", "expected one IMAGE");
  if (mcimg_store_open (mcimg_store_root_choose (g->root), &store, err) < 0
      || mcimg_image_remove (store, argv[optind], err) < 0)
    return 1;
  return 0;
}
