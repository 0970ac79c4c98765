/* --console-socket: hand a process.terminal container's pty master to
   whoever listens on a unix socket (conmon, containerd's shim), as runc
   does: one sendmsg with exactly one SCM_RIGHTS fd and the pty's name as
   the payload.  */
#ifndef MC_CONSOLE_SOCKET_H
#define MC_CONSOLE_SOCKET_H

#include "common/error.h"

int mc_console_socket_send (const char *path, int master, mc_error_t *err);

#endif
