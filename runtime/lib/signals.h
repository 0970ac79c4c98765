/* Signal forwarding for foreground containers.  minirun blocks every
   catchable signal before it clones init (so none is lost or acted upon
   while the container is being set up) and later reads them from a
   signalfd: each one is sent on to the container's process, SIGCHLD tells
   that it exited.  No handler ever runs, so no async-signal-safety issues
   and no sleep/poll loops.  */
#ifndef MC_SIGNALS_H
#define MC_SIGNALS_H

#include <signal.h>
#include <sys/types.h>

#include "common/error.h"

/* Block all forwardable signals and SIGCHLD; *old receives the previous
   mask, which init restores before exec.  */
int mc_signals_block (sigset_t *old, mc_error_t *err);
void mc_signals_restore (const sigset_t *old);

/* In init, before exec: every signal back to its default action (what
   minirun's caller ignored, such as SIGINT for a background job, must not
   be ignored in the container) and the mask back to `mask`.  */
void mc_signals_reset_for_exec (const sigset_t *mask);

/* A signalfd for the signals mc_signals_block blocked.  */
int mc_signals_fd (mc_error_t *err);

/* Forward signals from `sfd` to `pid` until it exits; its wait status is
   stored in *status.  */
int mc_signals_forward_until_exit (int sfd, pid_t pid, int *status,
                                   mc_error_t *err);

/* The building blocks of such loops: read one signal from `sfd` into
   *signo; reap `pid` if it exited (1, with *status), else 0; forward a
   signal to `pid`.  */
int mc_signals_read (int sfd, int *signo, mc_error_t *err);
int mc_signals_reap (pid_t pid, int *status, mc_error_t *err);
int mc_signals_forward (pid_t pid, int signo, mc_error_t *err);

/* The exit status for a wait status: the code, or 128+N for signal N.  */
int mc_exit_status_of (int wait_status);

#endif
