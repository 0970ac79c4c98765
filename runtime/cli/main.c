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

static const cli_command_t commands[] = {
  { "create", "create a container, leaving it waiting for start", cli_create, cli_create_help },
  { "start", "start the process of a created container", cli_start, cli_start_help },
  { "run", "create and start a container (in the foreground by default)", cli_run, cli_run_help },
  { "state", "print the state of a container as JSON", cli_state, cli_state_help },
  { "kill", "send a signal to a container", cli_kill, cli_kill_help },
  { "delete", "delete a container", cli_delete, cli_delete_help },
  { "list", "list containers", cli_list, cli_list_help },
  { "exec", "run a new process in a running container", cli_exec, cli_exec_help },
  { "ps", "list the processes of a container", cli_ps, cli_ps_help },
  { "pause", "freeze every process of a container", cli_pause, cli_pause_help },
  { "resume", "thaw a paused container", cli_resume, cli_resume_help },
  { "update", "change the resource limits of a running container", cli_update, cli_update_help },
  { "events", "print statistics and OOM events of a container (JSON)", cli_events, cli_events_help },
  { "features", "print the features this runtime supports (JSON)", cli_features, cli_features_help },
  { "spec", "write a default config.json", cli_spec, cli_spec_help },
};
#define N_COMMANDS (sizeof (commands) / sizeof (commands[0]))

static void
main_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... COMMAND [OPTION]... [ARG]...\n"
           "An OCI container runtime.\n"
           "\n"
           "Commands:\n");
  for (size_t i = 0; i < N_COMMANDS; i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out,
           "  %-10s %s\n"
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
           "`minirun help COMMAND` or `minirun COMMAND --help` describes a command.\n",
           "help", "show the help of a command");
}

static void
version (void)
{
  printf ("minirun version %s\n"
          "commit: %s\n"
          "spec: %s\n",
          PACKAGE_VERSION, GIT_COMMIT, OCI_RUNTIME_SPEC_VERSION);
}

static const cli_command_t *
find_command (const char *name)
{
  for (size_t i = 0; i < N_COMMANDS; i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

int
cli_wants_help (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        return 0;
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        return 1;
    }
  return 0;
}

static int
help_command (int argc, char **argv)
{
  const cli_command_t *cmd;

  if (argc < 2)
    {
      main_help (stdout);
      return 0;
    }
  cmd = find_command (argv[1]);
  if (cmd == NULL)
    {
      fprintf (stderr, "minirun: help: unknown command `%s`\n", argv[1]);
      return 1;
    }
  cmd->help (stdout);
  return 0;
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
  if (optind >= argc)
    {
      main_help (stderr);
      return 1;
    }
  if (strcmp (argv[optind], "help") == 0)
    return help_command (argc - optind, argv + optind);
  cmd = find_command (argv[optind]);
  if (cmd == NULL)
    {
      fprintf (stderr, "minirun: unknown command `%s`; try `minirun --help`\n",
               argv[optind]);
      return 1;
    }
  /* exec reads -h/--help among its own options only: after the container
     ID, they are the command's (`minirun exec c1 ls --help`).  */
  if (strcmp (cmd->name, "exec") != 0
      && cli_wants_help (argc - optind, argv + optind))
    {
      cmd->help (stdout);
      return 0;
    }
  /* exec joins a running container: before anything else, and before any
     setns, run from a sealed copy of ourselves (CVE-2019-5736).  */
  if (strcmp (cmd->name, "exec") == 0
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
