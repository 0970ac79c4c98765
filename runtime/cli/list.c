/* minirun list [--format table|json] [-q] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "runtime/cli/cli.h"
#include "runtime/lib/lifecycle.h"

void
cli_list_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... list [OPTION]...\n"
           "List the containers of the state root.\n"
           "\n"
           "Options:\n"
           "  -f, --format table|json  a table (default) or a JSON array of states\n"
           "  -q, --quiet              only the IDs\n"
           "  -h, --help               show this help\n");
}

static int
print_json (mc_state_t **states, size_t n, mc_error_t *err)
{
  /* An array of the documents `state` prints.  */
  fputs ("[", stdout);
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *json = NULL;
      cleanup_free char *owner = mc_state_owner_name (states[i]);

      if (mc_state_generate_public (states[i], owner, false, &json, err) < 0)
        return -1;
      printf ("%s%s", i ? "," : "", json);
    }
  fputs ("]\n", stdout);
  return 0;
}

int
cli_list (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  static const struct option long_options[] = {
    { "format", required_argument, NULL, 'f' },
    { "quiet", no_argument, NULL, 'q' },
    { NULL, 0, NULL, 0 },
  };
  mc_state_t **states = NULL;
  bool quiet = false, json = false;
  size_t n;
  int c, ret = 0;

  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:f:q", long_options, NULL)) != -1)
    switch (c)
      {
      case 'f':
        if (strcmp (optarg, "json") == 0)
          json = true;
        else if (strcmp (optarg, "table") != 0)
          {
            mc_error_make (err, 0, "list: invalid format `%s`", optarg);
            return 1;
          }
        break;
      case 'q':
        quiet = true;
        break;
      case ':':
        mc_error_make (err, 0, "list: option `%s` needs an argument",
                       argv[optind - 1]);
        return 1;
      default:
        mc_error_make (err, 0, "list: invalid option `%s`; try `minirun list "
                       "--help`", argv[optind - 1]);
        return 1;
      }
  if (optind != argc)
    {
      mc_error_make (err, 0, "list: too many arguments");
      return 1;
    }
  if (mc_lifecycle_list (g->root, &states, &n, err) < 0)
    {
      mc_error_prefix (err, "list");
      return 1;
    }
  if (quiet)
    for (size_t i = 0; i < n; i++)
      printf ("%s\n", states[i]->id);
  else if (json)
    ret = print_json (states, n, err);
  else
    {
      printf ("%-12s %-8s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS",
              "BUNDLE", "CREATED", "OWNER");
      for (size_t i = 0; i < n; i++)
        {
          cleanup_free char *owner = mc_state_owner_name (states[i]);

          printf ("%-12s %-8d %-10s %-40s %-30s %s\n", states[i]->id,
                  (int) states[i]->pid, states[i]->status, states[i]->bundle,
                  states[i]->created ? states[i]->created : "", owner);
        }
    }
  mc_lifecycle_list_free (states, n);
  if (ret < 0)
    mc_error_prefix (err, "list");
  return ret < 0 ? 1 : 0;
}
