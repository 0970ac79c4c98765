/* `minirun features`: the runtime-spec features document.  Every list is
   filtered through the code that will handle the config (mount option
   table, seccomp name tables, LSM probes), so the document can only claim
   what this build actually accepts.  */
#ifndef MC_FEATURES_H
#define MC_FEATURES_H

#include "common/error.h"

int mc_features_json (char **json, mc_error_t *err);

#endif
