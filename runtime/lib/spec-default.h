/* The config.json `minirun spec` writes: the same defaults as `runc spec`
   (a read-only busybox-style rootfs running `sh` on a terminal).  */
#ifndef MC_SPEC_DEFAULT_H
#define MC_SPEC_DEFAULT_H

#include "common/error.h"
#include "spec/runtime-config.h"

/* A newly allocated default config; free with spec_runtime_config_free. */
spec_runtime_config_t *mc_spec_default (void);

/* Write the default config to BUNDLE/config.json (BUNDLE NULL: the cwd),
   refusing to replace an existing file.  */
int mc_spec_write_default (const char *bundle, mc_error_t *err);

#endif
