/* mcimg inspect IMAGE  */
#include <getopt.h>
#include <stdlib.h>

#include "common/cleanup.h"
#include "imagetool/cli/cli.h"
#include "imagetool/lib/images.h"

void
mcimg_cli_inspect_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg inspect IMAGE\n"
           "Print {\"manifest\": ..., \"config\": ...} of an image in the store.\n"
           "IMAGE is a reference (`alpine`) or a manifest digest (prefix).\n"
           "\n"
           "Options:\n"
           "  -h, --help   show this help\n");
}

int
mcimg_cli_inspect (const mcimg_cli_global_t *g, int argc, char **argv,
                   mc_error_t *err)
{
  cleanup_store mcimg_store_t *store = NULL;
  cleanup_free char *json = NULL;

  if (getopt (argc, argv, "") != -1)
    return mcimg_cli_usage ("inspect", "invalid option");
  if (optind + 1 != argc)
    return mcimg_cli_usage ("inspect", "expected one IMAGE");
  if (mcimg_store_open (mcimg_store_root_choose (g->root), &store, err) < 0
      || mcimg_image_inspect (store, argv[optind], &json, err) < 0)
    return 1;
  fputs (json, stdout);
  return 0;
}
