/* /dev inside the rootfs: the default devices every container gets when /dev
   is a fresh tmpfs, the usual symlinks, and linux.devices.  */
#ifndef MC_DEVICES_H
#define MC_DEVICES_H

#include <stdbool.h>

#include "common/error.h"
#include "spec/runtime-config.h"

/* `defaults`: create null zero full random urandom tty, /dev/ptmx and the
   fd links (when the config mounted its own /dev).  In a user namespace
   device nodes cannot be created: they are bind-mounted from the host.  */
int mc_devices_setup (int root_fd, const spec_linux_t *linux_, bool defaults,
                      bool userns, mc_error_t *err);

#endif
