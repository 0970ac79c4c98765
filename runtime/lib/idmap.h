/* Idmapped bind mounts (runtime-spec 1.2: mounts[].uidMappings and
   gidMappings, options "idmap" and "ridmap").  Setting MOUNT_ATTR_IDMAP
   takes CAP_SYS_ADMIN over the source's file system, which init lacks once
   it is in the container's user namespace: minirun makes the detached,
   idmapped copies before the clone, init inherits their fds and only moves
   each onto its destination (resolved inside the rootfs, see mounts.c).  */
#ifndef MC_IDMAP_H
#define MC_IDMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "runtime/lib/namespaces.h"
#include "spec/runtime-config.h"

/* Does the mount ask for an idmapped mount: the option idmap or ridmap, or
   mappings of its own (which runc takes as idmap)?  */
bool mc_idmap_wanted (const spec_mount_t *m);

/* Before the clone, in minirun's namespaces: for every idmapped mount of
   the config, a detached copy of its source (open_tree(OPEN_TREE_CLONE),
   recursive with rbind or ridmap) idmapped (recursively with ridmap) with
   a user namespace whose maps are the mount's mappings, written as given
   (containerID is the id on the file system, hostID the one seen through
   the mount, as runc), or, when it has none, the container's.  Such a user
   namespace comes from a short-lived child.  Relative sources are taken
   from `bundle`.  *fds gets one entry per mount of the config, -1 for the
   others, or NULL when no mount is idmapped.  On failure nothing is left:
   no fd, no child, no mount.  */
int mc_idmap_prepare (const spec_runtime_config_t *config, const char *bundle,
                      const mc_namespaces_t *ns, int **fds, mc_error_t *err);

/* Close what mc_idmap_prepare made (n: the number of mounts) and free it.
   NULL is fine.  */
void mc_idmap_close (int *fds, size_t n);

#endif
