/* mcimg pull REF [OPTION]...  */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "imagetool/cli/cli.h"
#include "imagetool/lib/pull.h"
#include "imagetool/lib/registries-conf.h"

void
mcimg_cli_pull_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg pull [OPTION]... REFERENCE\n"
           "Pull an image from a registry into the store.\n"
           "\n"
           "REFERENCE is NAME[:TAG][@DIGEST]: `alpine`, `127.0.0.1:5000/app:v1`.\n"
           "\n"
           "Options:\n"
           "      --platform OS/ARCH[/VARIANT]  image of a multi-platform index\n"
           "                           (default: this machine's)\n"
           "  -j, --jobs N             layers pulled at once (default 3)\n"
           "      --no-unpack          store the blobs only\n"
           "  -q, --quiet              print only the manifest digest\n"
           "      --creds USER:PASS    credentials for the registry\n"
           "      --authfile FILE      read credentials from FILE only\n"
           "      --cert-dir DIR       CA certificates and client keys\n"
           "      --tls-verify=false   do not verify TLS; allow plain http\n"
           "      --registries-conf FILE  per-registry settings (default\n"
           "                           $MCIMG_REGISTRIES_CONF, else\n"
           "                           " MCIMG_REGISTRIES_CONF_DEFAULT ")\n"
           "  -h, --help               show this help\n"
           "\n"
           "The registries file is JSON: {\"registries\": {\"HOST[:PORT]\": {\n"
           "  \"insecure\": true, \"certDir\": DIR, \"mirrors\": [HOST...],\n"
           "  \"blocked\": true}}}.  Mirrors are tried in order before the\n"
           "registry itself, each with its own settings and credentials;\n"
           "--tls-verify and --cert-dir win over the file.\n");
}

int
mcimg_cli_pull (const mcimg_cli_global_t *g, int argc, char **argv,
                mc_error_t *err)
{
  enum { OPT_PLATFORM = 256, OPT_NO_UNPACK, OPT_CREDS, OPT_AUTHFILE,
         OPT_CERT_DIR, OPT_TLS_VERIFY, OPT_REGISTRIES_CONF };
  static const struct option long_options[] = {
    { "platform", required_argument, NULL, OPT_PLATFORM },
    { "jobs", required_argument, NULL, 'j' },
    { "no-unpack", no_argument, NULL, OPT_NO_UNPACK },
    { "quiet", no_argument, NULL, 'q' },
    { "creds", required_argument, NULL, OPT_CREDS },
    { "authfile", required_argument, NULL, OPT_AUTHFILE },
    { "cert-dir", required_argument, NULL, OPT_CERT_DIR },
    { "tls-verify", optional_argument, NULL, OPT_TLS_VERIFY },
    { "registries-conf", required_argument, NULL, OPT_REGISTRIES_CONF },
    { NULL, 0, NULL, 0 },
  };
  mcimg_pull_opts_t opts = { .jobs = 3 };
  mcimg_pull_result_t result;
  cleanup_store mcimg_store_t *store = NULL;
  cleanup_registries_conf mcimg_registries_conf_t *conf = NULL;
  const char *conf_path = NULL;
  bool quiet = false;
  char *end;
  int c;

  while ((c = getopt_long (argc, argv, "j:q", long_options, NULL)) != -1)
    switch (c)
      {
      case OPT_PLATFORM:
        opts.platform = optarg;
        break;
      case 'j':
        opts.jobs = (int) strtol (optarg, &end, 10);
        if (*end || opts.jobs < 1 || opts.jobs > 16)
          return mcimg_cli_usage ("pull", "--jobs wants 1 to 16, not `%s`",
                                  optarg);
        break;
      case OPT_NO_UNPACK:
        opts.no_unpack = true;
        break;
      case 'q':
        quiet = true;
        break;
      case OPT_CREDS:
        opts.registry.userpass = optarg;
        break;
      case OPT_AUTHFILE:
        opts.registry.auth_file = optarg;
        break;
      case OPT_CERT_DIR:
        opts.registry.cert_dir = optarg;
        break;
      case OPT_TLS_VERIFY:
        if (optarg == NULL || strcmp (optarg, "true") == 0)
          opts.registry.insecure = false;
        else if (strcmp (optarg, "false") == 0)
          opts.registry.insecure = true;
        else
          return mcimg_cli_usage ("pull", "--tls-verify wants true or false");
        opts.tls_verify_set = true;
        break;
      case OPT_REGISTRIES_CONF:
        conf_path = optarg;
        break;
      default:
        return mcimg_cli_usage ("pull", "invalid option");
      }
  if (optind + 1 != argc)
    return mcimg_cli_usage ("pull", "expected one REFERENCE");
  opts.progress = quiet                ? MCIMG_PROGRESS_QUIET
                  : isatty (STDERR_FILENO) ? MCIMG_PROGRESS_TTY
                                           : MCIMG_PROGRESS_LINES;
  opts.progress_out = stderr;

  if (mcimg_registries_conf_load (conf_path, &conf, err) < 0)
    return 1;
  opts.registries = conf;
  if (mcimg_store_open (mcimg_store_root_choose (g->root), &store, err) < 0)
    return 1;
  if (mcimg_pull (store, argv[optind], &opts, &result, err) < 0)
    return 1;
  if (!quiet)
    fprintf (stderr,
             "pulled %s: %u layers fetched (%llu bytes), %u already present\n",
             result.name, result.layers_fetched, result.bytes_fetched,
             result.layers_present);
  printf ("%s\n", result.manifest_digest);
  mcimg_pull_result_clear (&result);
  return 0;
}
