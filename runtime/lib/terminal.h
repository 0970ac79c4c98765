/* process.terminal for a foreground container: init opens a pty in the
   container's own devpts, makes it its controlling terminal and stdio, and
   hands the master to minirun, which relays it to its own terminal.  */
#ifndef MC_TERMINAL_H
#define MC_TERMINAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/error.h"
#include "spec/runtime-config.h"

/* Init, after pivot_root: the pty, /dev/console (when `console` is set),
   setsid + controlling terminal, stdio, and the master sent over
   `sync_fd`.  */
int mc_terminal_setup (int sync_fd, const spec_process_t *p, bool console,
                       mc_error_t *err);

/* Parent: give the pty the size of minirun's terminal (before the process
   starts, so that it sees the right size from the first instant).  */
void mc_terminal_copy_size (int master);

/* Parent: relay stdin -> master -> stdout (stdin in raw mode meanwhile,
   window size kept in sync) and forward signals from `sfd` to `pid` until
   it exits; its wait status in *status.  */
int mc_terminal_relay (int master, int sfd, pid_t pid, int *status,
                       mc_error_t *err);

#endif
