/* Linux security modules: process.apparmorProfile, process.selinuxLabel
   and linux.mountLabel.  No libapparmor or libselinux: the kernel
   interface is a write to /proc/self/attr, which takes effect at the next
   execve, i.e. the container process's.  */
#ifndef MC_LSM_H
#define MC_LSM_H

#include <stdbool.h>

#include "common/error.h"
#include "spec/runtime-config.h"

/* Whether the host runs the module (read from /sys, so call it before
   pivot_root).  */
bool mc_lsm_apparmor_enabled (void);
bool mc_lsm_selinux_enabled (void);

/* Check what the config asks for against what the host has: a profile or
   label asked for on a host without the module is an error, never
   silently ignored (the container would run unconfined).  */
int mc_lsm_check (const spec_process_t *p, const char *mount_label,
                  mc_error_t *err);

/* Arrange for the next execve to enter the AppArmor profile and the
   SELinux label of `p` (nothing when neither is set).  Uses the host's
   /proc/self, so call it before pivot_root.  */
int mc_lsm_set_exec_labels (const spec_process_t *p, mc_error_t *err);

#endif
