/* mcimg tag SRC DST  */
#include <getopt.h>

#include "common/cleanup.h"
#include "imagetool/cli/cli.h"
#include "imagetool/lib/images.h"

void
mcimg_cli_tag_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg tag IMAGE NAME\n"
           "Give the image IMAGE the further name NAME (a reference).\n"
           "\n"
           "Options:\n"
           "  -h, --help   show this help\n");
}

int
mcimg_cli_tag (const mcimg_cli_global_t *g, int argc, char **argv,
               mc_error_t *err)
{
  cleanup_store mcimg_store_t *store = NULL;

  if (getopt (argc, argv, "") != -1)
    return mcimg_cli_usage ("tag", "invalid option");
  if (optind + 2 != argc)
    return mcimg_cli_usage ("tag", "expected IMAGE and NAME");
  if (mcimg_store_open (mcimg_store_root_choose (g->root), &store, err) < 0
      || mcimg_image_tag (store, argv[optind], argv[optind + 1], err) < 0)
    return 1;
  return 0;
}
