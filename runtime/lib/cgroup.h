/* A container's cgroup, behind one interface with two drivers:
 *
 *   v2 (unified):  one directory under the cgroup2 mount (/sys/fs/cgroup);
 *   v1 (legacy or hybrid): one directory per hierarchy mounted below
 *                  /sys/fs/cgroup (memory, cpu, ..., name=systemd and, on a
 *                  hybrid host, the cgroup2 `unified` one, which holds the
 *                  process but no resources, as runc does).
 *
 * The mode comes from the filesystem magic of /sys/fs/cgroup.  The group's
 * path comes from linux.cgroupsPath (see mc_cgroup_resolve_path).  With
 * --systemd-cgroup a third driver (cgroup-systemd.c) asks systemd for a
 * transient scope holding init and then works on the scope's directories
 * like the v1 or v2 one.
 *
 * A group lives like this: mc_cgroup_create (make the directories and apply
 * the resources) -> mc_cgroup_enter (place init, before it runs container
 * code) -> update / freeze / stats while it runs -> mc_cgroup_destroy (kill
 * what is left, rmdir).  A later process finds the group again through
 * mc_cgroup_dirs (saved in the state) and mc_cgroup_load.  */
#ifndef MC_CGROUP_H
#define MC_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"
#include "spec/runtime-config.h"

#define MC_CGROUP_ROOT "/sys/fs/cgroup"

typedef enum mc_cgroup_mode
{
  MC_CGROUP_V1 = 1, /* legacy or hybrid */
  MC_CGROUP_V2,     /* unified */
} mc_cgroup_mode_t;

/* What `events --stats` reports; a field is 0 when its file is missing.  */
typedef struct mc_cgroup_stats
{
  uint64_t cpu_usage_ns;        /* total, user, system */
  uint64_t cpu_user_ns;
  uint64_t cpu_system_ns;
  uint64_t memory_usage;
  uint64_t memory_limit;        /* UINT64_MAX when unlimited */
  uint64_t memory_max_usage;    /* v1 only */
  uint64_t swap_usage;          /* v2: swap alone; v1: memsw - memory */
  uint64_t swap_limit;
  uint64_t pids_current;
  uint64_t pids_limit;          /* UINT64_MAX when unlimited */
  uint64_t blkio_read_bytes;
  uint64_t blkio_write_bytes;
  uint64_t hugetlb_usage;       /* summed over page sizes */
  uint64_t oom_kills;           /* memory.events oom_kill / oom_control */
} mc_cgroup_stats_t;

typedef struct mc_cgroup mc_cgroup_t;

/* One driver.  Every function takes the group made by mc_cgroup_create or
   found by mc_cgroup_load.  */
typedef struct mc_cgroup_ops
{
  const char *name;
  /* Make the directories (the caller removes them on failure).  */
  int (*create) (mc_cgroup_t *cg, mc_error_t *err);
  /* Move `pid` (all its threads) into the group.  */
  int (*enter) (mc_cgroup_t *cg, pid_t pid, mc_error_t *err);
  /* Write the resources, at create or for a live update (which leaves
     the device rules alone when it has none).  */
  int (*apply) (mc_cgroup_t *cg, const spec_resources_t *r, bool update,
                mc_error_t *err);
  int (*freeze) (mc_cgroup_t *cg, bool frozen, mc_error_t *err);
  int (*stats) (mc_cgroup_t *cg, mc_cgroup_stats_t *st, mc_error_t *err);
  /* Kill every process in the group (it may be frozen).  */
  int (*kill_all) (mc_cgroup_t *cg, mc_error_t *err);
} mc_cgroup_ops_t;

struct mc_cgroup
{
  const mc_cgroup_ops_t *ops;
  mc_cgroup_mode_t mode;
  /* Absolute directories of the group: v2 one, v1 one per hierarchy.  */
  char **dirs;
  size_t dirs_len;
  /* v1: the controllers of each hierarchy ("cpu,cpuacct", "name=systemd",
     "" for the hybrid cgroup2 one), parallel to dirs.  */
  char **controllers;
  /* Per dir: how many leading path components existed before create
     (destroy removes the others), SIZE_MAX when it existed whole or is
     not known (loaded from the state: destroy removes the leaf only).  */
  size_t *existing_depth;
  bool created;
  /* The systemd driver: the scope ("minirun-ID.scope"), its slice, its
     path below each hierarchy's root, the resources to apply once it
     exists, whether it was started here, and what the state saves (dirs
     and "systemd:UNIT").  NULL / false for the cgroupfs drivers.  */
  char *unit;
  char *unit_slice;
  char *unit_path;
  const spec_resources_t *pending;
  bool unit_started;
  char **saved;
};

extern const mc_cgroup_ops_t mc_cgroup_v1_ops;
extern const mc_cgroup_ops_t mc_cgroup_v2_ops;
extern const mc_cgroup_ops_t mc_cgroup_systemd_ops;

/* What the state saves after the directories of a systemd scope.  */
#define MC_CGROUP_SYSTEMD_TAG "systemd:"

/* linux.cgroupsPath for the systemd driver, runc's "slice:prefix:name":
   "" -> "system.slice:minirun:ID"; an empty slice is system.slice, an
   empty prefix gives the unit "NAME.scope", else "PREFIX-NAME.scope".
   *PATH is where the scope's group is below a hierarchy's root, the slice
   expanded as systemd does ("a-b.slice" -> "/a.slice/a-b.slice").  Pure.  */
int mc_cgroup_systemd_parse (const char *cgroups_path, const char *id,
                             char **slice, char **unit, char **path,
                             mc_error_t *err);

/* One property of StartTransientUnit, built without a bus (pure, for the
   unit tests): TYPE is 's', 'b', 't', "au" as 'u' (one pid) or "ay" as
   'y' (a bit mask).  */
typedef struct mc_systemd_prop
{
  const char *name;
  char type;
  uint64_t num;       /* 'b', 't', 'u' */
  char *str;          /* 's' */
  uint8_t *bytes;     /* 'y' */
  size_t bytes_len;
} mc_systemd_prop_t;

/* The properties of the scope: slice, description, delegation, and the
   resources that map onto systemd's own (MemoryMax/MemoryLimit, MemoryLow,
   CPUWeight/CPUShares, CPUQuotaPerSecUSec, CPUQuotaPeriodUSec, TasksMax,
   AllowedCPUs, AllowedMemoryNodes); the rest is written to the scope's
   files afterwards, as runc does.  SLICE NULL: the resources alone (for
   SetUnitProperties on a live update).  */
int mc_cgroup_systemd_props (const spec_resources_t *r, mc_cgroup_mode_t mode,
                             const char *slice, const char *description,
                             pid_t pid, mc_systemd_prop_t **out, size_t *len,
                             mc_error_t *err);
void mc_cgroup_systemd_props_free (mc_systemd_prop_t *p, size_t len);

/* "0-3,8" -> the bit mask systemd's AllowedCPUs takes (bit N of byte
   N / 8 for CPU N).  */
int mc_cgroup_systemd_cpu_mask (const char *list, uint8_t **out, size_t *len,
                                mc_error_t *err);

/* Stop the scope and wait for it to go (a missing unit is fine).  */
int mc_cgroup_systemd_stop (const char *unit, mc_error_t *err);

/* Fill cg->dirs with PATH below every hierarchy (cgroup.c).  */
int mc_cgroup_locate_path (mc_cgroup_t *cg, const char *path,
                           mc_error_t *err);

/* Cgroup mode of the host, from the magic of /sys/fs/cgroup.  */
int mc_cgroup_detect_mode (mc_cgroup_mode_t *out, mc_error_t *err);

/* The name that stands for ID in the default cgroup path "/minirun/NAME".
   Container ids are unique only within one state root while cgroups are
   host-wide, so two roots (containerd's and podman's, or two test runs
   side by side) that each hold a container "c1" must not share one group:
   NAME is the id itself for the default root and "ID-XXXXXXXX" (a hash of
   the root's path) for any other.  Owned by the caller.  */
char *mc_cgroup_default_name (const char *state_root, const char *id);

/* Call `fn` for every cgroup or cgroup2 mount directly below /sys/fs/cgroup
   in /proc/self/mountinfo (MNT its path, NAME the last component), in
   mount order; a negative return stops the walk.  */
typedef int (*mc_cgroup_hierarchy_fn) (const char *mnt, const char *name,
                                       const char *fstype,
                                       const char *superopts, void *data,
                                       mc_error_t *err);
int mc_cgroup_for_each_hierarchy (mc_cgroup_hierarchy_fn fn, void *data,
                                  mc_error_t *err);

/* Resolve linux.cgroupsPath as runc does: NULL or "" -> "/minirun/ID";
   absolute -> itself; relative -> below `own` (the cgroup the runtime is
   in, for that hierarchy).  The result is cleaned ("//", "." removed) and
   "..", which could escape the root, is refused.  A "slice:prefix:name"
   path is refused; so is `systemd` (that driver names its group with
   mc_cgroup_systemd_parse).  Pure: no file is read.  */
int mc_cgroup_resolve_path (const char *cgroups_path, const char *id,
                            const char *own, bool systemd, char **out,
                            mc_error_t *err);

/* The cgroup of the calling process in the hierarchy holding `controller`
   (v1; "" selects the cgroup2 line "0::") from /proc/self/cgroup text.  */
int mc_cgroup_own_path (const char *proc_self_cgroup, const char *controller,
                        char **out, mc_error_t *err);

/* Make the container's group and apply config->linux.resources.  On failure
   nothing is left.  */
int mc_cgroup_create (const spec_linux_t *linux_, const char *id,
                      bool systemd, mc_cgroup_t **out, mc_error_t *err);

int mc_cgroup_enter (mc_cgroup_t *cg, pid_t pid, mc_error_t *err);

/* An fd (O_DIRECTORY, close-on-exec; the caller closes it) on the group's
   cgroup2 directory, for clone3's CLONE_INTO_CGROUP: the v2 group, or on a
   hybrid host the one in the `unified` hierarchy.  -1 when there is none
   (v1 only, or a driver that makes the group only once init exists).  */
int mc_cgroup_clone_fd (mc_cgroup_t *cg);

/* Place init after the clone.  `cloned_into` says that clone3 already put
   it into the directory of mc_cgroup_clone_fd: on v2 nothing is left to
   do; on a hybrid host the v1 hierarchies still are.  */
int mc_cgroup_enter_init (mc_cgroup_t *cg, pid_t pid, bool cloned_into,
                          mc_error_t *err);
int mc_cgroup_update (mc_cgroup_t *cg, const spec_resources_t *r,
                      mc_error_t *err);
int mc_cgroup_freeze (mc_cgroup_t *cg, bool frozen, mc_error_t *err);
int mc_cgroup_stats (mc_cgroup_t *cg, mc_cgroup_stats_t *st, mc_error_t *err);

/* The pids in the group (its first directory's cgroup.procs).  */
int mc_cgroup_pids (mc_cgroup_t *cg, pid_t **pids, size_t *len,
                    mc_error_t *err);

/* The directories to save in the state (borrowed from cg; NULL-terminated). */
char **mc_cgroup_dirs (const mc_cgroup_t *cg);
/* The directory holding `controller`: on v2 the group's one; on v1 that
   of the hierarchy whose name lists it ("cpu,cpuacct"), or NULL.  */
const char *mc_cgroup_controller_dir (const mc_cgroup_t *cg,
                                      const char *controller);

/* Find a group again from the saved directories (in a later process).  */
int mc_cgroup_load (char **dirs, size_t dirs_len, mc_cgroup_t **out,
                    mc_error_t *err);

/* Kill what is left in the group and remove its directories (and the
   parents create made, when empty).  Missing directories are fine.  */
int mc_cgroup_destroy (mc_cgroup_t *cg, mc_error_t *err);

void mc_cgroup_free (mc_cgroup_t *cg);

/* For `delete` in a later process: load the directories saved in the
   state (mc_state_t.cgroup_paths), destroy, free.  No directory: 0.  */
int mc_cgroup_destroy_saved (char **dirs, size_t dirs_len, mc_error_t *err);

/* For `delete --force` of a container whose state is lost: destroy the
   group at the default place (/minirun/ID), if there is one.  A group at a
   custom linux.cgroupsPath cannot be found without the state.  */
int mc_cgroup_destroy_default (const char *id, mc_error_t *err);

/* Helpers shared by the drivers (cgroup-file.c).  */
int mc_cgroup_write (const char *dir, const char *file, const char *value,
                     mc_error_t *err);
int mc_cgroup_writef (const char *dir, const char *file, mc_error_t *err,
                      const char *fmt, ...)
  __attribute__ ((format (printf, 4, 5)));
/* Read a file of the group; *out is owned by the caller.  */
int mc_cgroup_read (const char *dir, const char *file, char **out,
                    mc_error_t *err);
bool mc_cgroup_has_file (const char *dir, const char *file);
/* A "key value" line of a flat keyed file (memory.events, cpu.stat...).  */
uint64_t mc_cgroup_read_key (const char *dir, const char *file,
                             const char *key);
/* A single number ("max" -> UINT64_MAX); 0 when missing.  */
uint64_t mc_cgroup_read_u64 (const char *dir, const char *file);
/* The sum of the numbers in the files PREFIX*SUFFIX, reservation files
   (*.rsvd.*) left out: hugetlb usage over every page size.  */
uint64_t mc_cgroup_sum_files (const char *dir, const char *prefix,
                              const char *suffix);
/* Read the pids of a cgroup.procs file.  */
int mc_cgroup_read_pids (const char *dir, pid_t **pids, size_t *len,
                         mc_error_t *err);
/* mkdir every missing component of cg->dirs[i], remembering how many
   existed (so that destroy removes only what create made); `made`, when
   given, is called for each new directory (v1 cpuset copies its values).  */
int mc_cgroup_mkdirs (mc_cgroup_t *cg, size_t i,
                      int (*made) (mc_cgroup_t *cg, size_t i,
                                   const char *dir, mc_error_t *err),
                      mc_error_t *err);
/* rmdir, retrying for a while when EBUSY (processes still exiting).  */
int mc_cgroup_rmdir (const char *dir, mc_error_t *err);

#endif
