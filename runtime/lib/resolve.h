/* Resolve container paths inside the rootfs, never following a symlink (or
   `..`) out of it: the final open is always openat2(RESOLVE_IN_ROOT |
   RESOLVE_NO_MAGICLINKS) relative to the rootfs fd, so the kernel enforces
   the containment even if the tree changes under us.  */
#ifndef MC_RESOLVE_H
#define MC_RESOLVE_H

#include "common/error.h"

enum mc_resolve_create
{
  MC_RESOLVE_NO_CREATE,
  MC_RESOLVE_CREATE_DIR,  /* create missing components as directories */
  MC_RESOLVE_CREATE_FILE, /* ... and the last one as an empty file */
};

/* Open `path` (absolute or not, always taken relative to root_fd) as an
   O_PATH fd, creating what is missing as asked.  A dangling symlink is
   followed as the kernel would from inside the rootfs, creating its target
   there.  */
int mc_resolve_in_root (int root_fd, const char *path,
                        enum mc_resolve_create create, mc_error_t *err);

/* "/proc/self/fd/N": the name mount(2) and friends accept for an fd.  */
#define MC_FD_PATH_SIZE 32
const char *mc_fd_path (int fd, char buf[MC_FD_PATH_SIZE]);

#endif
