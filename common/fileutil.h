/* Small file helpers shared by minirun and mcimg.  */
#ifndef MC_FILEUTIL_H
#define MC_FILEUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "common/error.h"

/* Read all of `path` (relative to dirfd, or AT_FDCWD) into a NUL-terminated
   buffer.  Fails with EFBIG when the file is larger than max_size.  */
int mc_read_file_at (int dirfd, const char *path, size_t max_size,
                     char **out, size_t *len, mc_error_t *err);
int mc_read_fd (int fd, const char *what, size_t max_size, char **out,
                size_t *len, mc_error_t *err);

/* Write `len` bytes to `path` atomically: a temporary file in the same
   directory, fsync when `durable`, then rename over `path`.  */
int mc_write_file_atomic_at (int dirfd, const char *path, const void *data,
                             size_t len, mode_t mode, int durable,
                             mc_error_t *err);

/* write(2)/read(2) until all bytes moved, retrying on EINTR.  */
int mc_write_all (int fd, const void *buf, size_t len);
ssize_t mc_read_all (int fd, void *buf, size_t len);

/* mkdir -p with `mode` for the directories it creates.  */
int mc_mkdir_p (const char *path, mode_t mode, mc_error_t *err);

/* Remove a directory tree without following symlinks.  */
int mc_rm_rf_at (int parent_fd, const char *path, mc_error_t *err);

#endif
