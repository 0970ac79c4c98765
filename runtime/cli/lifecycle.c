/* minirun start / state / kill / delete: one container by ID.  */
#include <ctype.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "runtime/cli/cli.h"
#include "runtime/lib/lifecycle.h"

/* Commands without options of their own but --help.  */
static int
no_options (const char *cmd, int argc, char **argv, mc_error_t *err)
{
  static const struct option none[] = { { NULL, 0, NULL, 0 } };
  int c;

  opterr = 0;
  while ((c = getopt_long (argc, argv, "+", none, NULL)) != -1)
    return mc_error_make (err, 0, "%s: invalid option `%s`; try `minirun %s "
                          "--help`", cmd, argv[optind - 1], cmd);
  return 0;
}

void
cli_start_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... start CONTAINER-ID\n"
           "Start the process of a created container and return.\n");
}

int
cli_start (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  const char *id;

  if (no_options ("start", argc, argv, err) < 0
      || cli_one_id ("start", argc, argv, &id, err) < 0)
    return 1;
  if (mc_lifecycle_start (g->root, id, err) < 0)
    mc_error_prefix (err, "start %s", id);
  return 0;
}

void
cli_state_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... state CONTAINER-ID\n"
           "Print the state of a container as JSON, as runc does: ociVersion, id,\n"
           "pid (0 once stopped), status (creating, created, running, paused or\n"
           "stopped), bundle, rootfs, created, annotations (when there are\n"
           "any), owner (\"\"; the JSON of `list` names the owner).\n");
}

int
cli_state (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  cleanup_free char *json = NULL;
  const char *id;

  if (no_options ("state", argc, argv, err) < 0
      || cli_one_id ("state", argc, argv, &id, err) < 0)
    return 1;
  if (mc_lifecycle_state (g->root, id, &json, err) < 0)
    {
      mc_error_prefix (err, "state %s", id);
      return 1;
    }
  printf ("%s\n", json);
  return 0;
}

/* "TERM", "SIGTERM", "sigterm" or "15".  */
static int
parse_signal (const char *s, int *signo)
{
  static const struct { const char *name; int signo; } names[] = {
    { "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
    { "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
    { "IOT", SIGIOT }, { "BUS", SIGBUS }, { "FPE", SIGFPE },
    { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
    { "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM },
    { "TERM", SIGTERM }, { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD },
    { "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP },
    { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "URG", SIGURG },
    { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM },
    { "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "IO", SIGIO },
    { "POLL", SIGPOLL }, { "PWR", SIGPWR }, { "SYS", SIGSYS },
  };
  char *end;
  long n;

  if (isdigit ((unsigned char) s[0]))
    {
      n = strtol (s, &end, 10);
      if (*end != '\0' || n <= 0 || n > SIGRTMAX)
        return -1;
      *signo = (int) n;
      return 0;
    }
  if (strncasecmp (s, "SIG", 3) == 0)
    s += 3;
  for (size_t i = 0; i < sizeof (names) / sizeof (names[0]); i++)
    if (strcasecmp (s, names[i].name) == 0)
      {
        *signo = names[i].signo;
        return 0;
      }
  return -1;
}

void
cli_kill_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... kill [OPTION]... CONTAINER-ID [SIGNAL]\n"
           "Send SIGNAL (a name, with or without SIG, or a number; default\n"
           "SIGTERM) to the container's init.\n"
           "\n"
           "Options:\n"
           "  -a, --all    send it to every process of the container (of its pid\n"
           "               namespace; only init when it has none)\n"
           "  -h, --help   show this help\n");
}

int
cli_kill (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  static const struct option long_options[] = {
    { "all", no_argument, NULL, 'a' },
    { NULL, 0, NULL, 0 },
  };
  int c, signo = SIGTERM;
  bool all = false;
  const char *id;

  opterr = 0;
  while ((c = getopt_long (argc, argv, "+a", long_options, NULL)) != -1)
    switch (c)
      {
      case 'a':
        all = true;
        break;
      default:
        mc_error_make (err, 0, "kill: invalid option `%s`; try `minirun kill "
                       "--help`", argv[optind - 1]);
        return 1;
      }
  if (argc - optind < 1 || argc - optind > 2)
    {
      mc_error_make (err, 0, "kill: %s; try `minirun kill --help`",
                     argc - optind < 1 ? "missing container ID"
                                       : "too many arguments");
      return 1;
    }
  id = argv[optind];
  if (argc - optind == 2 && parse_signal (argv[optind + 1], &signo) < 0)
    {
      mc_error_make (err, 0, "kill %s: invalid signal `%s`", id,
                     argv[optind + 1]);
      return 1;
    }
  if (mc_lifecycle_kill (g->root, id, signo, all, err) < 0)
    mc_error_prefix (err, "kill %s", id);
  return 0;
}

void
cli_delete_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... delete [OPTION]... CONTAINER-ID\n"
           "Delete a stopped or created container: its processes are killed and\n"
           "its state removed.\n"
           "\n"
           "Options:\n"
           "  -f, --force  also delete a running container (SIGKILL), and\n"
           "               one whose state is broken or gone; a container that\n"
           "               does not exist is then no error\n"
           "  -h, --help   show this help\n");
}

int
cli_delete (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  static const struct option long_options[] = {
    { "force", no_argument, NULL, 'f' },
    { NULL, 0, NULL, 0 },
  };
  bool force = false;
  const char *id;
  int c;

  opterr = 0;
  while ((c = getopt_long (argc, argv, "+f", long_options, NULL)) != -1)
    switch (c)
      {
      case 'f':
        force = true;
        break;
      default:
        mc_error_make (err, 0, "delete: invalid option `%s`; try `minirun "
                       "delete --help`", argv[optind - 1]);
        return 1;
      }
  if (cli_one_id ("delete", argc, argv, &id, err) < 0)
    return 1;
  if (mc_lifecycle_delete (g->root, id, force, err) < 0)
    {
      /* As runc: deleting by force what is already gone succeeds.  */
      if (force && strcmp ((*err)->msg, "container does not exist") == 0)
        {
          mc_error_release (err);
          return 0;
        }
      mc_error_prefix (err, "delete %s", id);
    }
  return 0;
}
