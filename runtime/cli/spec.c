/* minirun spec [-b BUNDLE] */
#include <getopt.h>
#include <stdio.h>

#include "runtime/cli/cli.h"
#include "runtime/lib/spec-default.h"

void
cli_spec_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun spec [OPTION]...\n"
           "Write a default config.json (like `runc spec`) into the bundle:\n"
           "process `sh` on a terminal, a read-only `rootfs`, the usual mounts\n"
           "and namespaces.  An existing config.json is never replaced.\n"
           "\n"
           "Options:\n"
           "  -b, --bundle DIR  where to write config.json (default: .)\n"
           "  -h, --help        show this help\n");
}

int
cli_spec (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  static const struct option long_options[] = {
    { "bundle", required_argument, NULL, 'b' },
    { NULL, 0, NULL, 0 },
  };
  const char *bundle = NULL;
  int c;

  opterr = 0; /* one error line, ours */
  while ((c = getopt_long (argc, argv, ":b:", long_options, NULL)) != -1)
    switch (c)
      {
      case 'b':
        bundle = optarg;
        break;
      case ':':
        mc_error_make (err, 0, "spec: option `%s` needs an argument",
                       argv[optind - 1]);
        return 1;
      default:
        mc_error_make (err, 0, "spec: invalid option `%s`; try `minirun spec --help`",
                       argv[optind - 1]);
        return 1;
      }
  if (optind != argc)
    {
      mc_error_make (err, 0, "spec: unexpected argument `%s`", argv[optind]);
      return 1;
    }
  if (mc_spec_write_default (bundle, err) < 0)
    {
      mc_error_prefix (err, "spec");
      return 1;
    }
  return 0;
}
