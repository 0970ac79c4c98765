/* The last steps of init, in the container, before exec: resource limits,
   the user, umask, cwd, and finding the executable.  */
#ifndef MC_PROCESS_H
#define MC_PROCESS_H

#include <stdbool.h>

#include "common/error.h"
#include "spec/runtime-config.h"

/* Exit statuses of a failed exec, as shells use them.  */
#define MC_EXIT_CANNOT_EXECUTE 126
#define MC_EXIT_NOT_FOUND 127

/* Check what the parent can check without entering the container:
   args present, cwd absolute, ioPriority and scheduler names and ranges
   (as runc checks them)...  */
int mc_process_validate (const spec_process_t *p, mc_error_t *err);

/* process.ioPriority: ioprio_set(IOPRIO_WHO_PROCESS, 0, ...).  */
int mc_process_set_io_priority (const spec_process_t *p, mc_error_t *err);

/* process.scheduler: sched_setattr(2) on ourselves.  Before the
   capabilities are dropped: real-time policies need CAP_SYS_NICE.  */
int mc_process_set_scheduler (const spec_process_t *p, mc_error_t *err);

/* linux.personality: domain LINUX or LINUX32, no flags (the spec defines
   none).  The check, for create; personality(2), before exec.  */
int mc_process_validate_personality (const spec_linux_t *linux_,
                                     mc_error_t *err);
int mc_process_set_personality (const spec_linux_t *linux_, mc_error_t *err);

int mc_process_set_rlimits (const spec_process_t *p, mc_error_t *err);

/* process.oomScoreAdj into /proc/self/oom_score_adj, while init still has
   the privileges that lowering it needs.  */
int mc_process_set_oom_score_adj (const spec_process_t *p, mc_error_t *err);

/* setgroups(additionalGids), setgid, setuid; umask.  `userns`: setgroups
   may be denied there and is then skipped when no group is asked for.  */
int mc_process_set_user (const spec_process_t *p, mc_error_t *err);

/* process.cwd, resolved inside `root_fd` and created when missing (before
   pivot_root: the root may become read-only).  */
int mc_process_create_cwd (int root_fd, const spec_process_t *p,
                           mc_error_t *err);

/* chdir to process.cwd, resolved inside the current root (after
   pivot_root) without following magic links: never a host directory
   reached through an fd (CVE-2024-21626).  */
int mc_process_enter_cwd (const spec_process_t *p, mc_error_t *err);

/* Look args[0] up in the PATH of process.env (a default PATH when it has
   none) as execvp would, relative to the current root and cwd.  On failure
   *exit_status is 127 (not found) or 126 (found, not executable).  */
int mc_process_find_executable (const spec_process_t *p, char **path,
                                int *exit_status, mc_error_t *err);

#endif
