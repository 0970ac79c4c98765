/* minirun events [--stats] [--interval DURATION] ID */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/cleanup.h"
#include "runtime/cli/cli.h"
#include "runtime/lib/manage.h"

void
cli_events_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... events [OPTION]... CONTAINER-ID\n"
           "Print the events of a running container as JSON lines, as runc does:\n"
           "{\"type\":\"stats\",\"id\":ID,\"data\":{cpu, memory, pids, blkio,\n"
           "hugetlb}} every interval, and {\"type\":\"oom\",\"id\":ID} when the\n"
           "kernel kills one of its processes for lack of memory.  Stops when the\n"
           "container does.\n"
           "\n"
           "Options:\n"
           "      --stats               print the statistics once and exit\n"
           "      --interval DURATION   time between statistics, a Go duration\n"
           "                            such as 1s, 500ms or 1m (default: 5s)\n"
           "  -h, --help                show this help\n");
}

static int
print_line (const char *json, void *data, mc_error_t *err)
{
  (void) data;
  if (printf ("%s\n", json) < 0 || fflush (stdout) != 0)
    return mc_error_make (err, errno, "write the standard output");
  return 0;
}

int
cli_events (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  enum { OPT_STATS = 256, OPT_INTERVAL };
  static const struct option long_options[] = {
    { "stats", no_argument, NULL, OPT_STATS },
    { "interval", required_argument, NULL, OPT_INTERVAL },
    { NULL, 0, NULL, 0 },
  };
  uint64_t interval = 5000000000u;
  const char *interval_arg = NULL;
  bool stats = false;
  const char *id;
  int c;

  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:", long_options, NULL)) != -1)
    switch (c)
      {
      case OPT_STATS:
        stats = true;
        break;
      case OPT_INTERVAL:
        interval_arg = optarg;
        break;
      case ':':
        mc_error_make (err, 0, "events: option `%s` needs an argument",
                       argv[optind - 1]);
        return 1;
      default:
        mc_error_make (err, 0, "events: invalid option `%s`; try `minirun "
                       "events --help`", argv[optind - 1]);
        return 1;
      }
  if (cli_one_id ("events", argc, argv, &id, err) < 0)
    return 1;
  if (interval_arg && mc_parse_duration (interval_arg, &interval, err) < 0)
    {
      mc_error_prefix (err, "events %s: --interval", id);
      return 1;
    }
  if (stats)
    {
      cleanup_free char *json = NULL;

      if (mc_manage_stats_json (g->root, id, &json, err) < 0
          || print_line (json, NULL, err) < 0)
        mc_error_prefix (err, "events %s", id);
      return 0;
    }
  if (mc_manage_events (g->root, id, interval, print_line, NULL, err) < 0)
    mc_error_prefix (err, "events %s", id);
  return 0;
}
