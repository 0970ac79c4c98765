/* linux.seccomp: the filter built with libseccomp from the whole spec
   object, and loading it.  Building happens early (a bad profile fails
   `create` before anything runs in the container); loading as late as
   possible, so minirun's own setup is not filtered (see security.h).  */
#ifndef MC_SECCOMP_H
#define MC_SECCOMP_H

#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/error.h"
#include "spec/runtime-config.h"

/* Name mappings, exported for the unit tests.  Each returns 0 and stores
   the value, or fails with a message naming what was wrong.  */

/* "SCMP_ACT_ERRNO" with errnoRet (EPERM when absent) -> SCMP_ACT_ERRNO(n),
   and every other SCMP_ACT_* name.  */
int mc_seccomp_action (const char *name, bool has_errno_ret,
                       uint32_t errno_ret, uint32_t *action, mc_error_t *err);
/* "SCMP_CMP_MASKED_EQ" -> SCMP_CMP_MASKED_EQ ...  */
int mc_seccomp_operator (const char *name, enum scmp_compare *op,
                         mc_error_t *err);
/* "SCMP_ARCH_X86_64" -> SCMP_ARCH_X86_64 (libseccomp's token).  */
int mc_seccomp_arch (const char *name, uint32_t *arch, mc_error_t *err);
/* "SECCOMP_FILTER_FLAG_TSYNC" -> SCMP_FLTATR_CTL_TSYNC ...  Fails for a
   flag this libseccomp cannot set.  */
int mc_seccomp_flag (const char *name, enum scmp_filter_attr *attr,
                     mc_error_t *err);

/* Build the filter of `s`.  Syscall names unknown to libseccomp (on every
   configured architecture) are skipped: profiles list syscalls of many
   architectures and kernels.  *uses_notify tells whether any action is
   SCMP_ACT_NOTIFY (the listener fd must then be passed on).  */
int mc_seccomp_build (const spec_seccomp_t *s, scmp_filter_ctx *out,
                      bool *uses_notify, mc_error_t *err);

/* Load the filter into the calling thread.  With `uses_notify`,
   *notify_fd receives the listener fd (O_CLOEXEC is set on it), else -1.
   Loading needs no_new_privs or CAP_SYS_ADMIN.  */
int mc_seccomp_load (scmp_filter_ctx ctx, bool uses_notify, int *notify_fd,
                     mc_error_t *err);

#endif
