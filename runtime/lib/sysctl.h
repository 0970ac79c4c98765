/* linux.sysctl: kernel parameters of the container's own namespaces.  */
#ifndef MC_SYSCTL_H
#define MC_SYSCTL_H

#include "common/error.h"
#include "spec/runtime-config.h"

/* Check that `key` names a sysctl of a namespace the container has
   (`namespaces`: the CLONE_NEW* flags of the namespaces it creates or
   joins), as the runtime-spec asks: IPC (kernel.msg*, kernel.sem,
   kernel.shm*, fs.mqueue.*), network (net.*) and UTS (kernel.hostname,
   kernel.domainname).  Anything else would change the host.  Pure.  */
int mc_sysctl_check (const char *key, unsigned long namespaces,
                     mc_error_t *err);

/* Check and write every linux.sysctl entry under /proc/sys.  Called in the
   container after pivot_root, before /proc/sys is made read-only.  */
int mc_sysctl_apply (const spec_linux_t *linux_, unsigned long namespaces,
                     mc_error_t *err);

#endif
