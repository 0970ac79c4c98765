/* The state root (--root) and one directory per container under it.
 *
 *   ROOT/              0700, created on demand
 *   ROOT/ID/           0700; claimed atomically by mkdir (so an existing ID
 *                      is refused), locked with flock(LOCK_EX) on its fd by
 *                      every command that reads or changes the container
 *   ROOT/ID/state.json minirun's own state (mc_state_t), written atomically
 *
 * Removing a container removes ROOT/ID while holding its lock; a command that
 * was waiting for the lock then sees the directory unlinked (st_nlink == 0)
 * and reports that the container does not exist.  */
#ifndef MC_STATE_DIR_H
#define MC_STATE_DIR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"
#include "spec/json-desc.h"
#include "spec/runtime-config.h"

#define MC_STATE_FILE "state.json"
/* Exists from create to start: init waits for a byte on it.  */
#define MC_EXEC_FIFO "exec.fifo"
/* The config as it was at create, kept when it has hooks.  */
#define MC_SAVED_CONFIG "config.json"

/* What minirun remembers about a container between commands.  */
typedef struct mc_state
{
  char *oci_version;       /* ociVersion of the runtime that wrote it */
  char *id;
  char *status;            /* creating | created | running */
  int32_t pid;             /* container init, in minirun's pid namespace */
  uint64_t pid_start_time; /* /proc/PID/stat field 22: guards against reuse */
  char *bundle;            /* absolute */
  char *rootfs;            /* absolute */
  char *created;           /* RFC 3339, UTC */
  uint32_t owner;          /* uid that created it */
  spec_kv_t *annotations;
  size_t annotations_len;
  /* The container's cgroup directories (one per v1 hierarchy), for
     mc_cgroup_load in a later command.  */
  char **cgroup_paths;
  size_t cgroup_paths_len;
} mc_state_t;

extern const spec_type_t mc_state_type;
/* The state document `state` (owner "") and `list --format json` (the
   owner's name) print, as runc prints them: the runtime-spec state plus
   rootfs, created and owner; no pidStartTime, no cgroupPaths.  */
int mc_state_generate_public (const mc_state_t *s, const char *owner,
                              bool pretty, char **json, mc_error_t *err);
/* The name of the user who created it, or "#UID" (malloc'ed).  */
char *mc_state_owner_name (const mc_state_t *s);

typedef struct mc_state_dir
{
  int root_fd;  /* the state root */
  int dir_fd;   /* ROOT/ID, O_DIRECTORY; carries the flock */
  char *id;
  char *path;   /* ROOT/ID, for messages */
  bool locked;
} mc_state_dir_t;

/* $XDG_RUNTIME_DIR/minirun when XDG_RUNTIME_DIR is set, else /run/minirun.
   Owned by the caller.  */
char *mc_state_root_default (void);

/* Claim ID under ROOT (creating ROOT as needed) and lock it.  Fails with
   "container ID already exists" when ROOT/ID is there.  */
int mc_state_dir_create (const char *root, const char *id,
                         mc_state_dir_t **out, mc_error_t *err);

/* Open and lock an existing ROOT/ID.  */
int mc_state_dir_open (const char *root, const char *id, mc_state_dir_t **out,
                       mc_error_t *err);

int mc_state_dir_lock (mc_state_dir_t *d, mc_error_t *err);
void mc_state_dir_unlock (mc_state_dir_t *d);

int mc_state_write (mc_state_dir_t *d, const mc_state_t *state,
                    mc_error_t *err);
int mc_state_read (mc_state_dir_t *d, mc_state_t **out, mc_error_t *err);
void mc_state_free (mc_state_t *state);

/* Remove ROOT/ID and everything in it (the caller holds the lock).  */
int mc_state_dir_remove (mc_state_dir_t *d, mc_error_t *err);

/* Close the fds (releasing the lock) and free.  NULL is fine.  */
void mc_state_dir_close (mc_state_dir_t *d);

static inline void
mc_cleanup_state_dirp (mc_state_dir_t **d)
{
  mc_state_dir_close (*d);
}
static inline void
mc_cleanup_statep (mc_state_t **s)
{
  if (*s)
    mc_state_free (*s);
}
/* A state directory closed (lock released), a state freed at scope end.  */
#define cleanup_state_dir __attribute__ ((cleanup (mc_cleanup_state_dirp)))
#define cleanup_state __attribute__ ((cleanup (mc_cleanup_statep)))

/* The start time of PID in clock ticks since boot (field 22 of
   /proc/PID/stat), used with the pid to recognise the same process later. */
int mc_proc_start_time (pid_t pid, uint64_t *out, mc_error_t *err);

/* Whether PID is still the process that started at `start_time` and has
   not exited (a zombie counts as exited).  */
bool mc_proc_alive (pid_t pid, uint64_t start_time);

/* Current time as RFC 3339 with nanoseconds, UTC.  Owned by the caller.  */
char *mc_now_rfc3339 (void);

#endif
