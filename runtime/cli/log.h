/* --log FILE / --log-format text|json / --debug: one line per message,
   errors and warnings alike.  In json, one object per line
   {"level":…,"msg":…,"time":RFC3339}; a failed command writes exactly one
   "error" line (containerd keeps the last error line, podman reads the
   file as a single object).  */
#ifndef MC_CLI_LOG_H
#define MC_CLI_LOG_H

#include <stdbool.h>

#include "common/error.h"

/* Open FILE (append, created 0600) and route mc_warning() there too.  */
int cli_log_open (const char *path, bool json, mc_error_t *err);
void cli_log (const char *level, const char *msg);
void cli_log_close (void);

#endif
