/* Resolving image-supplied paths inside a root directory without ever
   leaving it.

   Every name that comes out of a layer tarball is hostile until proven
   otherwise.  The unpacker never hands such a name to a path-based syscall:
   it normalises the name (mc_safe_path_normalize), resolves the PARENT with
   mc_safe_open_dir (openat2 RESOLVE_IN_ROOT, so `..` and symlinks are clamped
   to the root) and then acts on the final component with *at() calls that do
   not follow it.  */
#ifndef MCIMG_SAFE_PATH_H
#define MCIMG_SAFE_PATH_H

#include <stddef.h>
#include <sys/types.h>

#include "common/error.h"

/* Turn a tar entry name into a canonical relative path: leading `/` and
   `./` dropped, `//` collapsed, `.` components and a trailing `/` removed.
   The root itself becomes "".  Refused (EINVAL / ENAMETOOLONG): NULL or empty
   names, any `..` component, a component longer than NAME_MAX, a result
   longer than max_len bytes.  *out is malloc'ed.  */
int mc_safe_path_normalize (const char *name, size_t max_len, char **out,
                            mc_error_t *err);

/* Split a normalised path in place: returns the base name and sets *parent
   to the directory part ("" for entries directly in the root).  `path` must
   not be "".  */
const char *mc_safe_path_split (char *path, const char **parent);

/* Open the directory `path` (normalised, "" = root) resolved inside
   root_fd: symlinks met on the way are followed but clamped to root_fd, as
   if root_fd were `/` (the OCI meaning of an absolute symlink in a rootfs);
   magic links and mount crossings are refused.  When create_missing, absent
   components are created with mode 0755 (as Docker and umoci do for entries
   whose parents the tarball does not list).  Returns an O_PATH directory fd
   (usable as the dirfd of *at() calls) or a negative value.

   On kernels without openat2 (< 5.6), falls back to a component-by-component
   O_NOFOLLOW walk that refuses any symlink in the path: stricter, still
   safe.  */
int mc_safe_open_dir (int root_fd, const char *path, int create_missing,
                      mc_error_t *err);

/* Tests force the openat2-less fallback with this.  */
extern int mc_safe_path_force_walk;

#endif
