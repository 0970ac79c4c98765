/* The parent/init message protocol over a SOCK_SEQPACKET socketpair.
 *
 * Each message is one packet: a fixed header and, for MC_SYNC_ERROR, the
 * message text.  The sequence for a container is
 *
 *   parent -> init   GO       namespaces joined by the parent, id maps written
 *   init  -> parent  CONSOLE  with process.terminal: the pty master
 *   init  -> parent  READY    everything set up, executable found
 *   parent -> init   START    exec now
 *   (init's end is O_CLOEXEC: the parent reading EOF means exec succeeded)
 *
 * and any step of init may answer ERROR instead (errno + message + the exit
 * status minirun should use), which the parent turns back into an
 * mc_error_t, so the user sees the exact message of the failing step.  */
#ifndef MC_SYNC_H
#define MC_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

enum mc_sync_type
{
  MC_SYNC_GO = 1,
  MC_SYNC_READY,
  MC_SYNC_START,
  MC_SYNC_ERROR,
  MC_SYNC_CONSOLE, /* init -> parent: the pty master, as SCM_RIGHTS */
  MC_SYNC_HOOKS,      /* init -> parent: mounts done, run createRuntime */
  MC_SYNC_HOOKS_DONE, /* parent -> init: done; value: init's host pid */
};

/* Create the socketpair; fds[0] is the parent's end, fds[1] init's.  Both
   are O_CLOEXEC.  */
int mc_sync_pair (int fds[2], mc_error_t *err);

int mc_sync_send (int fd, enum mc_sync_type type, mc_error_t *err);

/* Send `e` as an ERROR message; `exit_status` is what the parent should exit
   with (1, or 126/127 for exec failures).  Best effort: init is about to die
   and has nobody else to tell.  */
void mc_sync_send_error (int fd, const mc_error_t e, int exit_status);

/* Wait for a message of type `expected`.  An ERROR message becomes *err and
   its exit status is stored in *exit_status (when not NULL); EOF fails with
   EPIPE (the caller then looks at how the peer died).  */
int mc_sync_expect (int fd, enum mc_sync_type expected, int *exit_status,
                    mc_error_t *err);
/* Send a message carrying the file descriptor `passfd`.  */
int mc_sync_send_fd (int fd, enum mc_sync_type type, int passfd,
                     mc_error_t *err);

/* mc_sync_expect for a message carrying a file descriptor, stored (with
   O_CLOEXEC) in *passfd.  */
int mc_sync_expect_fd (int fd, enum mc_sync_type expected, int *passfd,
                       int *exit_status, mc_error_t *err);

/* Messages carrying one integer.  */
int mc_sync_send_value (int fd, enum mc_sync_type type, int32_t value,
                        mc_error_t *err);
int mc_sync_expect_value (int fd, enum mc_sync_type expected, int32_t *value,
                          mc_error_t *err);

/* Wait for EOF (init exec'd): 0, or an ERROR as above.  */
int mc_sync_expect_eof (int fd, int *exit_status, mc_error_t *err);

#endif
