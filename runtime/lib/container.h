/* A container's life from the runtime's side: create (clone init, set it
   up, init waits), start (init execs the process), wait, delete.  `run` is
   all four in one process.  Only these functions are used by the CLI.  */
#ifndef MC_CONTAINER_H
#define MC_CONTAINER_H

#include <stdbool.h>

#include "common/error.h"

typedef struct mc_container_opts
{
  const char *state_root; /* --root */
  const char *id;
  const char *bundle;     /* NULL: the cwd */
  const char *pid_file;   /* NULL: none */
  /* Foreground: init dies with minirun while being set up and after.
     Otherwise (create, run -d) only while being set up: once created it
     waits on ROOT/ID/exec.fifo for `start`, from whatever process.  */
  bool kill_on_parent_death;
  /* Foreground: a process.terminal container gets a pty relayed to
     minirun's stdin/stdout, which must then be a terminal.  */
  bool relay_terminal;
  /* --console-socket: where the pty master of a process.terminal
     container goes (instead of being relayed).  */
  const char *console_socket;
  /* --preserve-fds N: fds 3..3+N-1 stay open in the process (after the
     LISTEN_FDS ones of socket activation, which are passed as well).  */
  int preserve_fds;
  /* --no-pivot: move the rootfs onto / and chroot instead of pivot_root
     (for a root that pivot_root refuses, such as a ramfs).  */
  bool no_pivot;
} mc_container_opts_t;

typedef struct mc_container mc_container_t;

/* Validate the ID and the bundle, claim the ID under the state root, clone
   init and let it set the container up; init then waits for start.  On
   failure nothing is left behind (no state, no process, no mount) and
   *exit_status holds the status minirun should exit with (1, or 126/127
   when the executable cannot be found or run).  */
int mc_container_create (const mc_container_opts_t *opts,
                         mc_container_t **out, int *exit_status,
                         mc_error_t *err);

/* Let init exec the process.  Fails (as create does) if exec fails.  */
int mc_container_start (mc_container_t *c, int *exit_status, mc_error_t *err);

/* Wait for the container's process, forwarding the signals minirun gets to
   it.  *exit_status: its exit code, or 128+N when killed by signal N.  */
int mc_container_wait (mc_container_t *c, int *exit_status, mc_error_t *err);

/* Kill what is left of the container, remove its state and free `c`.
   NULL is fine.  */
int mc_container_delete (mc_container_t *c, mc_error_t *err);

/* Forget `c` without touching the container (detached create/run -d):
   init keeps running or waiting for `start`.  */
void mc_container_release (mc_container_t *c);

/* What `minirun run` does once the process runs.  */
typedef enum mc_run_mode
{
  MC_RUN_DELETE,   /* wait, then delete the container (the default) */
  MC_RUN_KEEP,     /* --keep: wait; the stopped container stays until `delete` */
  MC_RUN_DETACHED, /* -d: return once started */
} mc_run_mode_t;

/* create + start, then per `mode`.  Returns 0 with the container's exit
   status in *exit_status (0 when detached), or fails as create does.  */
int mc_container_run (const mc_container_opts_t *opts, mc_run_mode_t mode,
                      int *exit_status, mc_error_t *err);

#endif
