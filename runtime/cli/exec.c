/* minirun exec [OPTION]... ID [COMMAND [ARG]...] */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "runtime/cli/cli.h"
#include "runtime/lib/exec.h"

void
cli_exec_help (FILE *out)
{
  fprintf (out,
           "Usage: minirun [GLOBAL OPTION]... exec [OPTION]... CONTAINER-ID COMMAND [ARG]...\n"
           "   or: minirun [GLOBAL OPTION]... exec [OPTION]... -p FILE CONTAINER-ID\n"
           "Run a new process in a running container, in all its namespaces, and\n"
           "exit with its exit status (128+N when killed by signal N).  The\n"
           "process starts from the container's process settings.\n"
           "\n"
           "Options:\n"
           "  -p, --process FILE       the process as a JSON process object\n"
           "  -e, --env NAME=VALUE     set an environment variable (repeatable)\n"
           "      --cwd DIR            the working directory in the container\n"
           "  -u, --user UID[:GID]     the user (numeric)\n"
           "  -g, --additional-gids GID  a supplementary group (repeatable)\n"
           "      --cap CAP            add a capability (repeatable)\n"
           "      --no-new-privs       set no_new_privs\n"
           "  -t, --tty                a pty of the container's for the process\n"
           "                           (also: terminal: true in --process)\n"
           "      --console-socket PATH  send the pty master to the unix socket\n"
           "                           PATH (as create does); without it, a\n"
           "                           foreground exec relays it to its own terminal\n"
           "  -d, --detach             return once the process runs\n"
           "      --pid-file FILE      write its pid to FILE (decimal, no newline)\n"
           "      --preserve-fds N     pass fds 3..3+N-1 on to it\n"
           "  -h, --help               show this help\n");
}

static void
strv_append (char ***v, size_t *len, const char *s)
{
  *v = xrealloc (*v, (*len + 2) * sizeof (**v));
  (*v)[(*len)++] = xstrdup (s);
  (*v)[*len] = NULL;
}

/* NAME=VALUE replaces an existing NAME.  */
static void
env_set (spec_process_t *p, const char *kv)
{
  const char *eq = strchr (kv, '=');
  size_t n = eq ? (size_t) (eq - kv) + 1 : strlen (kv);

  for (size_t i = 0; i < p->env_len; i++)
    if (strncmp (p->env[i], kv, n) == 0)
      {
        free (p->env[i]);
        p->env[i] = xstrdup (kv);
        return;
      }
  strv_append (&p->env, &p->env_len, kv);
}

static int
parse_u32 (const char *s, uint32_t *out)
{
  char *end;
  unsigned long v;

  if (*s < '0' || *s > '9')
    return -1;
  v = strtoul (s, &end, 10);
  if (*end != '\0' || v > UINT32_MAX)
    return -1;
  *out = (uint32_t) v;
  return 0;
}

static int
set_user (spec_process_t *p, const char *spec, mc_error_t *err)
{
  cleanup_free char *copy = xstrdup (spec);
  char *colon = strchr (copy, ':');

  if (colon)
    *colon = '\0';
  if (parse_u32 (copy, &p->user.uid) < 0
      || (colon && parse_u32 (colon + 1, &p->user.gid) < 0))
    return mc_error_make (err, 0, "exec: invalid --user `%s` (UID[:GID])", spec);
  if (!colon)
    p->user.gid = 0;
  return 0;
}

static void
add_cap (spec_process_t *p, const char *cap)
{
  spec_capabilities_t *c;

  if (p->capabilities == NULL)
    p->capabilities = xzalloc (sizeof (*p->capabilities));
  c = p->capabilities;
  strv_append (&c->bounding, &c->bounding_len, cap);
  strv_append (&c->effective, &c->effective_len, cap);
  strv_append (&c->permitted, &c->permitted_len, cap);
}

static int
load_process_file (const char *path, spec_process_t **out, mc_error_t *err)
{
  cleanup_free char *json = NULL;
  size_t len;

  if (mc_read_file_at (AT_FDCWD, path, 1 << 20, &json, &len, err) < 0)
    return -1;
  return spec_process_parse (json, len, path, out, err);
}

int
cli_exec (const cli_global_t *g, int argc, char **argv, mc_error_t *err)
{
  enum { OPT_CWD = 256, OPT_CAP, OPT_NO_NEW_PRIVS, OPT_PID_FILE,
         OPT_PRESERVE_FDS, OPT_CONSOLE_SOCKET };
  static const struct option long_options[] = {
    { "process", required_argument, NULL, 'p' },
    { "tty", no_argument, NULL, 't' },
    { "env", required_argument, NULL, 'e' },
    { "cwd", required_argument, NULL, OPT_CWD },
    { "user", required_argument, NULL, 'u' },
    { "additional-gids", required_argument, NULL, 'g' },
    { "cap", required_argument, NULL, OPT_CAP },
    { "no-new-privs", no_argument, NULL, OPT_NO_NEW_PRIVS },
    { "detach", no_argument, NULL, 'd' },
    { "pid-file", required_argument, NULL, OPT_PID_FILE },
    { "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
    { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  cleanup_runtime_config spec_runtime_config_t *config = NULL;
  spec_process_t *file_process = NULL;
  spec_process_t *p;
  mc_exec_opts_t opts = { .state_root = g->root };
  const char *process_file = NULL, *cwd = NULL, *user = NULL;
  cleanup_free char **envs = NULL, **gids = NULL, **caps = NULL;
  size_t n_envs = 0, n_gids = 0, n_caps = 0;
  bool tty = false, nnp = false;
  int c, status = 1;

  opterr = 0;
  /* "+": the container's command keeps its own options (--help too).  */
  while ((c = getopt_long (argc, argv, "+:p:te:u:g:dh", long_options,
                           NULL)) != -1)
    switch (c)
      {
      case 'h':
        cli_exec_help (stdout);
        return 0;
      case 'p': process_file = optarg; break;
      case 't': tty = true; break;
      case 'e':
        envs = xrealloc (envs, (n_envs + 1) * sizeof (*envs));
        envs[n_envs++] = optarg;
        break;
      case OPT_CWD: cwd = optarg; break;
      case 'u': user = optarg; break;
      case 'g':
        gids = xrealloc (gids, (n_gids + 1) * sizeof (*gids));
        gids[n_gids++] = optarg;
        break;
      case OPT_CAP:
        caps = xrealloc (caps, (n_caps + 1) * sizeof (*caps));
        caps[n_caps++] = optarg;
        break;
      case OPT_NO_NEW_PRIVS: nnp = true; break;
      case 'd': opts.detach = true; break;
      case OPT_PID_FILE: opts.pid_file = optarg; break;
      case OPT_CONSOLE_SOCKET: opts.console_socket = optarg; break;
      case OPT_PRESERVE_FDS:
        {
          char *end;
          long n = strtol (optarg, &end, 10);

          if (*optarg == '\0' || *end != '\0' || n < 0 || n > 65536)
            {
              mc_error_make (err, 0, "exec: invalid --preserve-fds `%s`", optarg);
              return 1;
            }
          opts.preserve_fds = (int) n;
        }
        break;
      case ':':
        mc_error_make (err, 0, "exec: option `%s` needs an argument",
                       argv[optind - 1]);
        return 1;
      default:
        mc_error_make (err, 0, "exec: invalid option `%s`; try `minirun exec "
                       "--help`", argv[optind - 1]);
        return 1;
      }
  if (optind >= argc)
    {
      mc_error_make (err, 0, "exec: missing container ID; try `minirun exec --help`");
      return 1;
    }
  opts.id = argv[optind++];
  /* `exec ID -- COMMAND...`, as some callers write it.  */
  if (optind < argc && strcmp (argv[optind], "--") == 0)
    optind++;
  if (process_file == NULL && optind >= argc)
    {
      mc_error_make (err, 0, "exec %s: missing command", opts.id);
      return 1;
    }
  if (mc_exec_load_config (g->root, opts.id, &config, err) < 0)
    {
      mc_error_prefix (err, "exec %s", opts.id);
      return 1;
    }
  if (process_file)
    {
      if (load_process_file (process_file, &file_process, err) < 0)
        {
          mc_error_prefix (err, "exec %s", opts.id);
          return 1;
        }
      p = file_process;
      /* conmon sends --tty together with a process that says so.  */
      if (tty)
        p->terminal = true;
    }
  else
    {
      p = config->process;
      for (char **a = p->args; a && *a; a++)
        free (*a);
      free (p->args);
      p->args = NULL;
      p->args_len = 0;
      for (int i = optind; i < argc; i++)
        strv_append (&p->args, &p->args_len, argv[i]);
      p->terminal = tty;
    }
  for (size_t i = 0; i < n_envs; i++)
    env_set (p, envs[i]);
  if (cwd)
    {
      free (p->cwd);
      p->cwd = xstrdup (cwd);
    }
  if (user && set_user (p, user, err) < 0)
    goto out;
  for (size_t i = 0; i < n_gids; i++)
    {
      uint32_t gid;

      if (parse_u32 (gids[i], &gid) < 0)
        {
          mc_error_make (err, 0, "exec: invalid --additional-gids `%s`", gids[i]);
          goto out;
        }
      p->user.additional_gids = xrealloc (p->user.additional_gids,
                                          (p->user.additional_gids_len + 1)
                                          * sizeof (uint32_t));
      p->user.additional_gids[p->user.additional_gids_len++] = gid;
    }
  for (size_t i = 0; i < n_caps; i++)
    add_cap (p, caps[i]);
  if (nnp)
    p->no_new_privileges = true;
  if (mc_exec (&opts, config, p, &status, err) < 0)
    mc_error_prefix (err, "exec %s", opts.id);
out:
  if (file_process)
    spec_process_free (file_process);
  return *err ? (status ? status : 1) : status;
}
