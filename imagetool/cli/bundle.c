/* mcimg bundle [OPTION]... IMAGE DIR [-- CMD [ARG]...]  */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "imagetool/cli/cli.h"
#include "imagetool/lib/bundle.h"

void
mcimg_cli_bundle_help (FILE *out)
{
  fprintf (out,
           "Usage: mcimg bundle [OPTION]... IMAGE DIR [-- CMD [ARG]...]\n"
           "Make DIR an OCI runtime bundle of IMAGE: DIR/config.json from\n"
           "the image config (docker's defaults) and DIR/rootfs an overlay\n"
           "of the image's unpacked layers (DIR/upper holds the changes).\n"
           "CMD replaces the image's Entrypoint and Cmd.\n"
           "\n"
           "Options:\n"
           "      --copy             a flat, self-contained rootfs instead\n"
           "      --force            DIR may exist and not be empty\n"
           "  -e, --env K=V          set an environment variable\n"
           "      --env-file FILE    read K=V lines from FILE\n"
           "  -v, --volume H:C[:ro]  bind-mount host path H on C\n"
           "      --tmpfs PATH       mount a tmpfs on PATH\n"
           "  -u, --user U[:G]       name, uid, name:group or uid:gid\n"
           "  -w, --workdir DIR      working directory\n"
           "      --hostname NAME    (default: mini-XXXXX)\n"
           "      --read-only        read-only rootfs\n"
           "  -t, --tty              allocate a terminal\n"
           "      --cap-add CAP      add a capability (ALL: every one)\n"
           "      --cap-drop CAP     drop a capability (ALL: every one)\n"
           "      --security-opt OPT seccomp=unconfined (no filter), seccomp=FILE\n"
           "                         (an OCI linux.seccomp object; default: docker's\n"
           "                         profile for the capabilities), no-new-privileges,\n"
           "                         apparmor=PROFILE, label=user:|role:|type:|level:|\n"
           "                         filetype:VALUE (all four of user..level) or\n"
           "                         label=disable\n"
           "      --network MODE     none (own namespace, lo only) or host\n"
           "      --memory SIZE      memory limit (256m, 1g)\n"
           "      --cpus N           CPU limit (0.5)\n"
           "      --pids-limit N     process limit\n"
           "      --userns[=MODE]    a user namespace: auto (the default\n"
           "                         MODE: container 0-65535 is host\n"
           "                         100000-165535), HOSTID:SIZE, or host\n"
           "                         (none); the layers are idmapped, a\n"
           "                         --copy rootfs is chowned\n"
           "  -h, --help             show this help\n");
}

static void
push (char ***v, size_t *n, char *s)
{
  *v = xrealloc (*v, (*n + 2) * sizeof (**v));
  (*v)[(*n)++] = s;
  (*v)[*n] = NULL;
}

enum
{
  OPT_COPY = 256,
  OPT_FORCE,
  OPT_ENV_FILE,
  OPT_TMPFS,
  OPT_HOSTNAME,
  OPT_READ_ONLY,
  OPT_CAP_ADD,
  OPT_CAP_DROP,
  OPT_SECURITY_OPT,
  OPT_NETWORK,
  OPT_MEMORY,
  OPT_CPUS,
  OPT_PIDS,
  OPT_USERNS,
};

static int
parse (int argc, char **argv, mcimg_bundle_options_t *o, mc_error_t *err)
{
  static const struct option longopts[] = {
    { "copy", no_argument, NULL, OPT_COPY },
    { "force", no_argument, NULL, OPT_FORCE },
    { "env", required_argument, NULL, 'e' },
    { "env-file", required_argument, NULL, OPT_ENV_FILE },
    { "volume", required_argument, NULL, 'v' },
    { "tmpfs", required_argument, NULL, OPT_TMPFS },
    { "user", required_argument, NULL, 'u' },
    { "workdir", required_argument, NULL, 'w' },
    { "hostname", required_argument, NULL, OPT_HOSTNAME },
    { "read-only", no_argument, NULL, OPT_READ_ONLY },
    { "tty", no_argument, NULL, 't' },
    { "cap-add", required_argument, NULL, OPT_CAP_ADD },
    { "cap-drop", required_argument, NULL, OPT_CAP_DROP },
    { "security-opt", required_argument, NULL, OPT_SECURITY_OPT },
    { "network", required_argument, NULL, OPT_NETWORK },
    { "memory", required_argument, NULL, OPT_MEMORY },
    { "cpus", required_argument, NULL, OPT_CPUS },
    { "pids-limit", required_argument, NULL, OPT_PIDS },
    { "userns", optional_argument, NULL, OPT_USERNS },
    { NULL, 0, NULL, 0 },
  };
  int c;

  while ((c = getopt_long (argc, argv, "e:v:u:w:t", longopts, NULL)) != -1)
    switch (c)
      {
      case OPT_COPY: o->copy = true; break;
      case OPT_FORCE: o->force = true; break;
      case 'e': push (&o->env, &o->env_len, xstrdup (optarg)); break;
      case OPT_ENV_FILE:
        if (mcimg_bundle_read_env_file (optarg, o, err) < 0)
          return 1;
        break;
      case 'v': push (&o->volumes, &o->volumes_len, optarg); break;
      case OPT_TMPFS: push (&o->tmpfs, &o->tmpfs_len, optarg); break;
      case 'u': o->user = optarg; break;
      case 'w': o->workdir = optarg; break;
      case OPT_HOSTNAME: o->hostname = optarg; break;
      case OPT_READ_ONLY: o->read_only = true; break;
      case 't': o->tty = true; break;
      case OPT_CAP_ADD: push (&o->cap_add, &o->cap_add_len, optarg); break;
      case OPT_CAP_DROP: push (&o->cap_drop, &o->cap_drop_len, optarg); break;
      case OPT_SECURITY_OPT:
        if (mcimg_bundle_security_opt_check (optarg, err) < 0)
          return mc_error_prefix (err, "bundle"), 2;
        push (&o->security_opts, &o->security_opts_len, optarg);
        break;
      case OPT_NETWORK:
        if (strcmp (optarg, "none") != 0 && strcmp (optarg, "host") != 0)
          return mcimg_cli_usage ("bundle", "--network `%s`: expected none "
                                  "or host", optarg);
        o->network = optarg;
        break;
      case OPT_MEMORY:
        if (mcimg_parse_size (optarg, &o->memory, err) < 0)
          return mc_error_prefix (err, "bundle: --memory"), 2;
        break;
      case OPT_CPUS:
        if (mcimg_parse_cpus (optarg, &o->cpu_quota, err) < 0)
          return mc_error_prefix (err, "bundle"), 2;
        break;
      case OPT_PIDS:
        if (mcimg_parse_positive ("--pids-limit", optarg, &o->pids_limit,
                                  err) < 0)
          return mc_error_prefix (err, "bundle"), 2;
        break;
      case OPT_USERNS:
        if (mcimg_parse_userns (optarg ? optarg : "auto", &o->userns, err)
            < 0)
          return mc_error_prefix (err, "bundle"), 2;
        break;
      default:
        return mcimg_cli_usage ("bundle", "invalid option");
      }
  if (o->hostname && (*o->hostname == '\0' || strlen (o->hostname) > 64
                      || strpbrk (o->hostname, "/ \t\n")))
    return mcimg_cli_usage ("bundle", "invalid --hostname `%s`",
                            o->hostname);
  return 0;
}

int
mcimg_cli_bundle (const mcimg_cli_global_t *g, int argc, char **argv,
                  mc_error_t *err)
{
  cleanup_store mcimg_store_t *store = NULL;
  mcimg_bundle_options_t o = { 0 };
  int dashdash = argc, status;

  /* Everything after `--` is the command, never options.  */
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--") == 0)
      {
        dashdash = i;
        break;
      }
  status = parse (dashdash, argv, &o, err);
  if (status == 0 && optind + 2 != dashdash)
    status = mcimg_cli_usage ("bundle", "expected IMAGE and DIR");
  if (status == 0 && dashdash < argc)
    {
      for (int i = dashdash + 1; i < argc; i++)
        push (&o.args, &o.args_len, argv[i]);
      if (o.args_len == 0)
        status = mcimg_cli_usage ("bundle", "no command after `--`");
    }
  if (status == 0
      && (mcimg_store_open (mcimg_store_root_choose (g->root), &store, err) < 0
          || mcimg_bundle_create (store, argv[optind], argv[optind + 1], &o,
                                  err) < 0))
    status = 1;
  mcimg_bundle_options_clear (&o);
  return status;
}
