/* mcimg load -i FILE [--no-unpack]  */
#include <getopt.h>
#include <stdlib.h>

#include "common/cleanup.h"
#include "imagetool/cli/cli.h"
#include "imagetool/lib/images.h"

void
mcimg_cli_load_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg load -i FILE [--no-unpack]\n"
           "Import the named images of an oci-archive or a docker-archive\n"
           "into the store; print their names.  Every blob is checked\n"
           "against its digest, every layer against its diff_id.\n"
           "\n"
           "Options:\n"
           "  -i, --input FILE   the archive to read\n"
           "      --no-unpack    store the blobs only\n"
           "  -h, --help         show this help\n");
}

int
mcimg_cli_load (const mcimg_cli_global_t *g, int argc, char **argv,
                mc_error_t *err)
{
  enum { OPT_NO_UNPACK = 256 };
  static const struct option long_options[] = {
    { "input", required_argument, NULL, 'i' },
    { "no-unpack", no_argument, NULL, OPT_NO_UNPACK },
    { NULL, 0, NULL, 0 },
  };
  cleanup_store mcimg_store_t *store = NULL;
  cleanup_strv char **names = NULL;
  const char *input = NULL;
  bool unpack = true;
  int c;

  while ((c = getopt_long (argc, argv, "i:", long_options, NULL)) != -1)
    switch (c)
      {
      case 'i':
        input = optarg;
        break;
      case OPT_NO_UNPACK:
        unpack = false;
        break;
      default:
        return mcimg_cli_usage ("load", "invalid option");
      }
  if (input == NULL || optind != argc)
    return mcimg_cli_usage ("load", "expected -i FILE and no arguments");
  if (mcimg_store_open (mcimg_store_root_choose (g->root), &store, err) < 0
      || mcimg_image_load (store, input, unpack, &names, err) < 0)
    return 1;
  for (char **n = names; *n; n++)
    printf ("loaded %s\n", *n);
  return 0;
}
