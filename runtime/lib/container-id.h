/* Container IDs name a directory under the state root, so they are checked
   before anything touches the file system.  */
#ifndef MC_CONTAINER_ID_H
#define MC_CONTAINER_ID_H

#include "common/error.h"

#define MC_CONTAINER_ID_MAX 1024

/* Accept only [A-Za-z0-9][A-Za-z0-9_.-]* of at most MC_CONTAINER_ID_MAX
   bytes: no '/', no leading '.', so "." and ".." and any path are out.  */
int mc_container_id_validate (const char *id, mc_error_t *err);

#endif
