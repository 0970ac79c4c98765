/* minirun: global flags, then one command.  */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/error.h"
#include "common/xalloc.h"
#include "runtime/cli/cli.h"
#include "runtime/cli/log.h"
#include "runtime/lib/runtime-opts.h"
#include "runtime/lib/security.h"
#include "runtime/lib/state-dir.h"

#define COMMAND(name, summary)                                                \
  { { #name, summary, cli_##name##_help, false }, cli_##name }
static const cli_command_t commands[] = {
  COMMAND (create, "create a container, leaving it waiting for start"),
  COMMAND (start, "start the process of a created container"),
  COMMAND (run,
           "create and start a container (in the foreground by default)"),
  COMMAND (state, "print the state of a container as JSON"),
  COMMAND (kill, "send a signal to a container"),
  COMMAND (delete, "delete a container"),
  COMMAND (list, "list containers"),
  /* exec reads -h/--help among its own options only.  */
  { { "exec", "run a new process in a running container", cli_exec_help,
      true },
    cli_exec },
  COMMAND (ps, "list the processes of a container"),
  COMMAND (pause, "freeze every process of a container"),
  COMMAND (resume, "thaw a paused container"),
  COMMAND (update, "change the resource limits of a running container"),
  COMMAND (events,
           "print statistics and OOM events of a container (JSON)"),
  COMMAND (features, "print the features this runtime supports (JSON)"),
  COMMAND (spec, "write a default config.json"),
};
static const mc_cli_table_t table = MC_CLI_TABLE (commands);
#undef COMMAND

static void
main_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... COMMAND [OPTION]... [ARG]...\n"
           "An OCI container runtime.\n"
           "\n"
           "Commands:\n");
  mc_cli_print_commands (&table, out);
  fprintf (out,
           "\n"
           "Global options:\n"
           "      --root DIR              state directory (default:\n"
           "                              $XDG_RUNTIME_DIR/minirun when XDG_RUNTIME_DIR\n"
           "                              is set, else /run/minirun)\n"
           "      --log FILE              also write errors and warnings to FILE\n"
           "      --log-format text|json  one logrus-like line or one JSON object\n"
           "                              {level, msg, time} per message (default: text)\n"
           "      --debug                 also log debug messages\n"
           "      --systemd-cgroup        same as --cgroup-manager systemd\n"
           "      --cgroup-manager cgroupfs|systemd|disabled\n"
           "                              how cgroups are managed (default: cgroupfs)\n"
           "      --rootless VALUE        accepted for compatibility\n"
           "  -h, --help                  show this help\n"
           "  -v, --version               show the version\n"
           "\n"
           "`minirun help COMMAND` or `minirun COMMAND --help` describes a command.\n");
}

static void
version (void)
{
  printf ("minirun version %s\n"
          "commit: %s\n"
          "spec: %s\n",
          PACKAGE_VERSION, GIT_COMMIT, OCI_RUNTIME_SPEC_VERSION);
}

int
main (int argc, char **argv)
{
  enum { OPT_LOG = 256, OPT_LOG_FORMAT, OPT_DEBUG, OPT_SYSTEMD_CGROUP,
         OPT_CGROUP_MANAGER, OPT_ROOTLESS };
  static const struct option long_options[] = {
    { "root", required_argument, NULL, 'r' },
    { "log", required_argument, NULL, OPT_LOG },
    { "log-format", required_argument, NULL, OPT_LOG_FORMAT },
    { "debug", no_argument, NULL, OPT_DEBUG },
    { "systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP },
    { "cgroup-manager", required_argument, NULL, OPT_CGROUP_MANAGER },
    { "rootless", required_argument, NULL, OPT_ROOTLESS },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'v' },
    { NULL, 0, NULL, 0 },
  };
  cleanup_free char *default_root = NULL;
  cli_global_t g = { 0 };
  mc_runtime_opts_t *o = &mc_runtime_opts;
  const cli_command_t *cmd;
  mc_error_t err = NULL;
  int c, status;

  mc_progname = "minirun";
  /* "+": stop at the command; its own options are parsed by it.  */
  opterr = 0;
  while ((c = getopt_long (argc, argv, "+:hv", long_options, NULL)) != -1)
    switch (c)
      {
      case 'r':
        g.root = optarg;
        break;
      case OPT_LOG:
        o->log_path = optarg;
        break;
      case OPT_LOG_FORMAT:
        if (strcmp (optarg, "json") != 0 && strcmp (optarg, "text") != 0)
          {
            fprintf (stderr, "minirun: invalid --log-format `%s`\n", optarg);
            return 1;
          }
        o->log_json = strcmp (optarg, "json") == 0;
        break;
      case OPT_DEBUG:
        o->debug = true;
        break;
      case OPT_SYSTEMD_CGROUP:
        o->cgroup_manager = MC_CGROUP_MANAGER_SYSTEMD;
        break;
      case OPT_CGROUP_MANAGER:
        if (strcmp (optarg, "cgroupfs") == 0)
          o->cgroup_manager = MC_CGROUP_MANAGER_CGROUPFS;
        else if (strcmp (optarg, "systemd") == 0)
          o->cgroup_manager = MC_CGROUP_MANAGER_SYSTEMD;
        else if (strcmp (optarg, "disabled") == 0)
          o->cgroup_manager = MC_CGROUP_MANAGER_DISABLED;
        else
          {
            fprintf (stderr, "minirun: invalid --cgroup-manager `%s`\n",
                     optarg);
            return 1;
          }
        break;
      case OPT_ROOTLESS:
        o->rootless = strcmp (optarg, "false") != 0;
        break;
      case 'h':
        main_help (stdout);
        return 0;
      case 'v':
        version ();
        return 0;
      case ':':
        fprintf (stderr, "minirun: option `%s` needs an argument\n",
                 argv[optind - 1]);
        return 1;
      default:
        fprintf (stderr, "minirun: invalid option `%s`; try `minirun --help`\n",
                 argv[optind - 1]);
        return 1;
      }
  cmd = (const cli_command_t *) mc_cli_select (&table, mc_progname,
                                                argc - optind, argv + optind,
                                                main_help, 1, &status);
  if (cmd == NULL)
    return status;
  /* exec joins a running container: before anything else, and before any
     setns, run from a sealed copy of ourselves (CVE-2019-5736).  */
  if (strcmp (cmd->entry.name, "exec") == 0
      && mc_protect_binary_for_join (argv, environ, &err) < 0)
    {
      mc_error_print (&err, mc_progname, stderr);
      return 1;
    }
  if (g.root == NULL || *g.root == '\0')
    g.root = default_root = mc_state_root_default ();
  o->root = g.root;
  if (o->log_path && cli_log_open (o->log_path, o->log_json, &err) < 0)
    {
      mc_error_print (&err, mc_progname, stderr);
      return 1;
    }
  if (o->debug)
    {
      cleanup_free char *msg = xasprintf ("command: %s", argv[optind]);
      cli_log ("debug", msg);
    }

  /* Each command parses its own vector with getopt from index 1; optind 0
     makes glibc's getopt start over.  */
  argc -= optind;
  argv += optind;
  optind = 0;
  status = cmd->fn (&g, argc, argv, &err);
  if (err)
    {
      cleanup_free char *msg = mc_error_string (err);
      /* The one error line of a failed command.  */
      cli_log ("error", msg);
      mc_error_print (&err, mc_progname, stderr);
      if (status == 0)
        status = 1;
    }
  cli_log_close ();
  return status;
}
