/* minirun features */
#include <stdio.h>
#include <stdlib.h>

#include "common/cleanup.h"
#include "runtime/cli/cli.h"
#include "runtime/lib/features.h"

void
cli_features_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... features\n"
           "Print the runtime-spec features document: the spec versions, hooks,\n"
           "mount options, namespaces, cgroup, seccomp and LSM support of this\n"
           "minirun.\n");
}

int
cli_features (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  cleanup_free char *json = NULL;

  (void) g;
  (void) argv;
  if (argc > 1)
    {
      mc_error_make (err, 0, "features: too many arguments");
      return 1;
    }
  if (mc_features_json (&json, err) < 0)
    {
      mc_error_prefix (err, "features");
      return 1;
    }
  printf ("%s\n", json);
  return 0;
}
