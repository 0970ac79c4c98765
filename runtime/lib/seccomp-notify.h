/* SCMP_ACT_NOTIFY: handing the listener fd to the agent at
   linux.seccomp.listenerPath, as the runtime-spec says: one message on a
   unix stream socket, the "container process state" JSON as data and the
   listener fd as SCM_RIGHTS.  */
#ifndef MC_SECCOMP_NOTIFY_H
#define MC_SECCOMP_NOTIFY_H

#include <sys/types.h>

#include "common/error.h"
#include "spec/state.h"

/* Connect to the agent.  Done before pivot_root: listenerPath is a host
   path.  Returns the socket (O_CLOEXEC).  */
int mc_seccomp_notify_connect (const char *path, mc_error_t *err);

/* The container process state document:
     {"ociVersion": .., "fds": ["seccompFd"], "pid": PID,
      "metadata": METADATA, "state": STATE}
   `metadata` may be NULL (then absent).  */
int mc_seccomp_notify_message (const spec_state_t *state, pid_t pid,
                               const char *metadata, char **out,
                               mc_error_t *err);

/* Send `message` with `notify_fd` attached.  */
int mc_seccomp_notify_send (int sock, const char *message, int notify_fd,
                            mc_error_t *err);

#endif
