/* minirun exec: a new process in a running container.
 *
 * minirun (made non-dumpable first) joins the container's pid namespace
 * for its children only, so the one process it forks is born inside it
 * and stays minirun's own child (waitable, signals forwarded).  That
 * child joins every other namespace of init (user first), then sets the
 * process up as init does (rlimits, capabilities, user, cwd, seccomp) and
 * execs; a failure comes back over a sync socket, its EOF means exec.
 * With process.terminal the child opens a pty in the container's devpts,
 * as init does, and sends the master over the sync socket first: minirun
 * passes it on to --console-socket or relays it.  */
#ifndef MC_EXEC_H
#define MC_EXEC_H

#include <stdbool.h>

#include "common/error.h"
#include "spec/runtime-config.h"

typedef struct mc_exec_opts
{
  const char *state_root;
  const char *id;
  const char *pid_file;   /* NULL: none */
  bool detach;            /* return once exec'd */
  int preserve_fds;       /* fds 3..3+N-1 stay open */
  /* With process.terminal: where the pty master goes (as for create);
     NULL: minirun relays it to its own terminal (foreground only).  */
  const char *console_socket;
} mc_exec_opts_t;

/* The container's config (the copy saved at create, else the bundle's),
   for the process defaults and the security settings.  */
int mc_exec_load_config (const char *root, const char *id,
                         spec_runtime_config_t **out, mc_error_t *err);

/* Run `p` in the container.  Foreground: *exit_status is the process's
   (128+N for signal N); failures to set up exit 1, 126 or 127.  */
int mc_exec (const mc_exec_opts_t *opts, const spec_runtime_config_t *config,
             const spec_process_t *p, int *exit_status, mc_error_t *err);

#endif
