/* mcimg save -o FILE [--format oci-archive|docker-archive] IMAGE  */
#include <getopt.h>
#include <string.h>

#include "common/cleanup.h"
#include "imagetool/cli/cli.h"
#include "imagetool/lib/images.h"

void
mcimg_cli_save_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg save -o FILE [--format FORMAT] IMAGE\n"
           "Write IMAGE as an archive: an oci-archive (a tar of an OCI image\n"
           "layout whose one entry is named like the image, as `skopeo copy\n"
           "... oci-archive:FILE:NAME` writes it) or a docker-archive (the\n"
           "format of `docker save`, layers kept compressed).\n"
           "\n"
           "Options:\n"
           "  -o, --output FILE   the archive to write (replaced atomically)\n"
           "      --format FORMAT oci-archive (default) or docker-archive\n"
           "  -h, --help          show this help\n");
}

int
mcimg_cli_save (const mcimg_cli_global_t *g, int argc, char **argv,
                mc_error_t *err)
{
  static const struct option long_options[] = {
    { "output", required_argument, NULL, 'o' },
    { "format", required_argument, NULL, 'f' },
    { NULL, 0, NULL, 0 },
  };
  cleanup_store mcimg_store_t *store = NULL;
  mcimg_archive_format_t format = MCIMG_ARCHIVE_OCI;
  const char *output = NULL;
  int c;

  while ((c = getopt_long (argc, argv, "o:", long_options, NULL)) != -1)
    switch (c)
      {
      case 'o':
        output = optarg;
        break;
      case 'f':
        if (strcmp (optarg, "oci-archive") == 0)
          format = MCIMG_ARCHIVE_OCI;
        else if (strcmp (optarg, "docker-archive") == 0)
          format = MCIMG_ARCHIVE_DOCKER;
        else
          return mcimg_cli_usage ("save", "unknown format `%s`", optarg);
        break;
      default:
        return mcimg_cli_usage ("save", "invalid option");
      }
  if (output == NULL)
    return mcimg_cli_usage ("save", "--output FILE is required");
  if (optind + 1 != argc)
    return mcimg_cli_usage ("save", "expected one IMAGE");
  if (mcimg_store_open (mcimg_store_root_choose (g->root), &store, err) < 0
      || mcimg_image_save (store, argv[optind], format, output, err) < 0)
    return 1;
  return 0;
}
