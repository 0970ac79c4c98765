/* Passing a file descriptor over a unix socket.  */
#ifndef MC_FDPASS_H
#define MC_FDPASS_H

#include <stddef.h>
#include <sys/types.h>

/* One sendmsg() of `len` bytes of `data` (at least one byte: the kernel
   sends no ancillary data alone on a stream socket) carrying `fd` as the
   only SCM_RIGHTS descriptor; retried on EINTR, never SIGPIPE.  Returns the
   bytes sent, which may be fewer than `len` on a stream socket (the fd went
   with the first byte), or -1 with errno set.  */
ssize_t mc_send_with_fd (int sock, const void *data, size_t len, int fd);

#endif
