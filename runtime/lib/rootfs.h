/* The container's root: mount propagation, the rootfs bind mount,
   pivot_root, and what is done once inside (root.readonly, maskedPaths,
   readonlyPaths).  */
#ifndef MC_ROOTFS_H
#define MC_ROOTFS_H

#include <stdbool.h>

#include "common/error.h"
#include "spec/runtime-config.h"

/* Make / recursively slave (or linux.rootfsPropagation) so nothing we mount
   reaches the host, then bind `rootfs` onto itself so that it is a mount
   point pivot_root accepts.  Returns an O_PATH fd of the new mount.  */
int mc_rootfs_prepare (const spec_runtime_config_t *config, const char *rootfs,
                       mc_error_t *err);

/* pivot_root into root_fd and detach the old root.  The cwd is / after.  */
int mc_rootfs_pivot (int root_fd, mc_error_t *err);

/* --no-pivot: what runc does instead of pivot_root.  The host's full proc
   and sysfs mounts outside the rootfs are detached (or covered), then the
   rootfs mount is moved onto / and chrooted into.  The rest of the host's
   mounts stay in the namespace, under the rootfs: a process able to
   escape a chroot can reach them, which pivot_root prevents.  The cwd is /
   after.  */
int mc_rootfs_move_root (int root_fd, const char *rootfs, mc_error_t *err);

/* What --no-pivot refuses, checked before anything is created: a private
   linux.rootfsPropagation (as runc).  */
int mc_rootfs_check_no_pivot (const spec_runtime_config_t *config,
                              mc_error_t *err);

/* After pivot_root: a shared linux.rootfsPropagation, maskedPaths,
   readonlyPaths, root.readonly.  */
int mc_rootfs_finalize (const spec_runtime_config_t *config, mc_error_t *err);

#endif
