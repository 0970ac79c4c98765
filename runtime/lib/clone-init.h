/* How the container's init comes to exist: a fork-like clone straight
   into its new namespaces (and, where the kernel can, its cgroup), or,
   when a new pid namespace must belong to a user namespace joined by
   path, through a short-lived intermediate process.  */
#ifndef MC_CLONE_INIT_H
#define MC_CLONE_INIT_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/error.h"
#include "runtime/lib/namespaces.h"

/* Clone init with NS's clone flags, into the cgroup2 directory CGROUP_FD
   when it is >= 0 (*CLONED_INTO tells whether that worked; if not, the
   caller moves init itself).  Returns 0 in init (with NS updated for
   it), init's PID in the caller, -1 with ERR set on failure.  Init is
   always the caller's child.  */
pid_t mc_clone_init (mc_namespaces_t *ns, int cgroup_fd, bool *cloned_into,
                     mc_error_t *err);

#endif
