/* Commands on an existing container, by ID, from any minirun process:
   start, state, kill, delete, list.  Each takes the container's lock
   (list reads without it), so commands on one ID serialise while
   different IDs proceed in parallel.

   The status is derived, not trusted: a container whose init is gone (or
   whose pid now belongs to another process, as the stored start time
   tells) is "stopped" even though nobody told minirun.  */
#ifndef MC_LIFECYCLE_H
#define MC_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "runtime/lib/state-dir.h"

/* The live status of `s` (creating, created, running, paused, stopped:
   paused when its cgroup is frozen), stored
   back into s->status; s->pid becomes 0 when stopped.  `dir_fd` is
   ROOT/ID, used to see whether init still waits on the exec fifo.  */
const char *mc_state_refresh (mc_state_t *s, int dir_fd);

/* Open and lock ROOT/ID and read its refreshed state, for the commands
   that act on one container (manage.c).  The caller closes `dir`, which
   releases the lock, and frees `state`.  */
int mc_lifecycle_open (const char *root, const char *id, mc_state_dir_t **dir,
                       mc_state_t **state, mc_error_t *err);

/* Release a created container's init (through the exec fifo).  */
int mc_lifecycle_start (const char *root, const char *id, mc_error_t *err);

/* The runtime-spec state document of ID, pretty JSON.  */
int mc_lifecycle_state (const char *root, const char *id, char **json,
                        mc_error_t *err);

/* Send `signo` to init, or with `all` to every process of the container's
   pid namespace.  Fails with "container not running" once it stopped.  */
int mc_lifecycle_kill (const char *root, const char *id, int signo, bool all,
                       mc_error_t *err);

/* Remove a stopped (or created) container; `force` kills a running one
   first.  With `force`, a container whose state is missing or unreadable
   (a minirun killed half-way) is removed all the same.  */
int mc_lifecycle_delete (const char *root, const char *id, bool force,
                         mc_error_t *err);

/* The refreshed states of every container under ROOT, sorted by ID.  */
int mc_lifecycle_list (const char *root, mc_state_t ***out, size_t *n,
                       mc_error_t *err);
void mc_lifecycle_list_free (mc_state_t **states, size_t n);

/* The host pids of a running (or created) container: those of its cgroup
   when it has one, else those of its pid namespace (mc_container_pids).  */
int mc_lifecycle_pids (const char *root, const char *id, pid_t **out,
                       size_t *n, mc_error_t *err);

/* The host pids of the container whose init is `pid`: every process in
   init's pid namespace, or just init when it shares minirun's.  */
int mc_container_pids (pid_t pid, pid_t **out, size_t *n, mc_error_t *err);

#endif
