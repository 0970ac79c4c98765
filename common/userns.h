/* A user namespace with given ID maps, held by an fd: what an idmapped
   mount (MOUNT_ATTR_IDMAP) needs.  minirun's idmap/ridmap mounts and
   mcimg's --userns overlay layers both get theirs here.  */
#ifndef MC_COMMON_USERNS_H
#define MC_COMMON_USERNS_H

#include "common/error.h"

/* uid_map and gid_map are in /proc/PID/uid_map syntax ("0 100000 65536\n",
   one line per range); uid_what and gid_what name them in an error (the
   kernel refusing a map gives "WHAT: Invalid argument").  Returns the
   namespace's fd (O_CLOEXEC), or -1.  */
int mc_userns_open (const char *uid_map, const char *uid_what,
                    const char *gid_map, const char *gid_what,
                    mc_error_t *err);

#endif
