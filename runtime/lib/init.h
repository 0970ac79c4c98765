/* What the cloned child (the container's init) does, in order, from the
   clone to exec.  Internal to the library.  */
#ifndef MC_INIT_H
#define MC_INIT_H

#include <signal.h>
#include <stdbool.h>

#include "runtime/lib/namespaces.h"
#include "spec/runtime-config.h"

typedef struct mc_init_args
{
  const spec_runtime_config_t *config;
  const char *bundle;           /* absolute */
  const char *rootfs;           /* absolute */
  const mc_namespaces_t *ns;
  int sync_fd;                  /* init's end of the socketpair */
  int parent_sync_fd;           /* the parent's end: closed first thing */
  sigset_t sigmask;             /* to restore before exec */
  bool kill_on_parent_death;    /* foreground run: die with minirun */
  int exec_fifo_fd;             /* O_RDWR exec fifo: a byte means start */
  /* The state directory's fds: closed first thing, since the flock lives
     on the open file and a waiting init must not hold the lock.  */
  int state_fds[2];
  int preserve_fds;             /* fds 3..3+N-1 stay open across exec */
  const char *id;               /* for the hooks' state */
  bool no_pivot;                /* MS_MOVE + chroot instead of pivot_root */
  const int *idmap_fds;         /* per mount: its idmapped copy, or -1 */
} mc_init_args_t;

/* Never returns: execs the container process or _exits after telling the
   parent why over the sync socket.  */
__attribute__ ((noreturn)) void mc_init_main (const mc_init_args_t *args);

#endif
