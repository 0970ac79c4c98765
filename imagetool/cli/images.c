/* mcimg images [--format table|json]  */
#include <getopt.h>
#include <string.h>

#include "common/cleanup.h"
#include "imagetool/cli/cli.h"
#include "imagetool/lib/images.h"

void
mcimg_cli_images_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg images [--format table|json]\n"
           "List the images in the store: name, manifest digest, size\n"
           "(compressed, as pulled) and creation time.\n"
           "\n"
           "Options:\n"
           "      --format FORMAT   table (default) or json\n"
           "  -h, --help            show this help\n");
}

int
mcimg_cli_images (const mcimg_cli_global_t *g, int argc, char **argv,
                  mc_error_t *err)
{
  static const struct option long_options[] = {
    { "format", required_argument, NULL, 'f' },
    { NULL, 0, NULL, 0 },
  };
  mcimg_images_format_t format = MCIMG_IMAGES_TABLE;
  cleanup_store mcimg_store_t *store = NULL;
  int c;

  while ((c = getopt_long (argc, argv, "", long_options, NULL)) != -1)
    switch (c)
      {
      case 'f':
        if (strcmp (optarg, "table") == 0)
          format = MCIMG_IMAGES_TABLE;
        else if (strcmp (optarg, "json") == 0)
          format = MCIMG_IMAGES_JSON;
        else
          return mcimg_cli_usage ("images", "unknown format `%s`", optarg);
        break;
      default:
        return mcimg_cli_usage ("images", "invalid option");
      }
  if (optind != argc)
    return mcimg_cli_usage ("images", "no arguments expected");
  if (mcimg_store_open (mcimg_store_root_choose (g->root), &store, err) < 0)
    return 1;
  return mcimg_images_list (store, format, stdout, err) < 0 ? 1 : 0;
}
