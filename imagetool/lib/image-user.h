/* The container user of an image, resolved from the image's own
   /etc/passwd and /etc/group (never the host's NSS).  The files are opened
   inside the rootfs with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS):
   a symlink is clamped to the rootfs as the container would see it; what
   it leads to must be a regular file of bounded size, so a passwd pointing
   at /dev/zero or a FIFO fails instead of hanging or filling memory.  */
#ifndef MCIMG_IMAGE_USER_H
#define MCIMG_IMAGE_USER_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

#define MCIMG_IMAGE_USER_FILE_MAX (4u << 20)

typedef struct mcimg_image_user
{
  uint32_t uid;
  uint32_t gid;
  uint32_t *additional_gids; /* the groups listing the user by name */
  size_t additional_gids_len;
  char *home; /* from passwd, else "/" */
} mcimg_image_user_t;

/* `spec` is the image's (or --user's) User: NAME, UID, NAME:GROUP,
   UID:GID (GROUP a name or a number); NULL or "" is root.  A name must be
   in the image's passwd (group); numbers need not be.  */
int mcimg_image_user_resolve (int rootfs_fd, const char *spec,
                              mcimg_image_user_t *out, mc_error_t *err);
void mcimg_image_user_clear (mcimg_image_user_t *user);

#endif
