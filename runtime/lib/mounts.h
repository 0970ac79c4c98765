/* The config's `mounts`: option parsing and performing them inside the
   rootfs.  */
#ifndef MC_MOUNTS_H
#define MC_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "spec/runtime-config.h"

typedef struct mc_mount_options
{
  unsigned long flags;       /* MS_* to set */
  unsigned long clear;       /* MS_* explicitly cleared (rw, suid, ...) */
  unsigned long propagation; /* MS_SHARED etc., possibly | MS_REC */
  bool bind;
  bool recursive;            /* rbind */
  bool has_atime;            /* an atime option was given */
  /* The recursive options (rro, rnosuid, ...): MOUNT_ATTR_* set and
     cleared with mount_setattr(AT_RECURSIVE) on the mount and every mount
     below it, once it is in place.  */
  unsigned long long rec_set;
  unsigned long long rec_clear;
  bool idmap;                /* idmap or ridmap: an idmapped bind mount */
  bool idmap_recursive;      /* ridmap: submounts are idmapped as well */
  const char *refused;       /* an option minirun knows and refuses */
  char *data;                /* the rest, comma-separated, or NULL */
} mc_mount_options_t;

/* Split options into mount(2) flags, propagation, recursive attributes
   and fs-specific data.  Unknown options are passed to the file system as
   data.  */
void mc_mount_options_parse (char *const *options, size_t n,
                             mc_mount_options_t *out);
void mc_mount_options_free (mc_mount_options_t *o);

/* The propagation flags of a name such as "rslave" (0 if not one).  */
unsigned long mc_propagation_flags (const char *name);

typedef struct mc_mount_ctx
{
  int root_fd;    /* the rootfs (already bind-mounted on itself) */
  bool userns;    /* in a user namespace: some flags are locked */
  bool cgroupns;  /* in a cgroup namespace of its own (made or joined) */
  /* One per mount of the config: the detached, idmapped copy of its
     source made before the clone (idmap.h), or -1.  NULL: none.  */
  const int *idmap_fds;
} mc_mount_ctx_t;

/* Perform every mount of the config in order.  Destinations are resolved
   inside the rootfs, created as needed (as a file when a bind source is
   not a directory).  Relative bind sources are taken from the cwd (the
   bundle).  */
int mc_mounts_apply (const mc_mount_ctx_t *ctx, const spec_mount_t *mounts,
                     size_t n, mc_error_t *err);

/* Remount the mount at `fd` (an O_PATH fd of its root) with `flags` added,
   keeping the flags it had that cannot be cleared in a user namespace.  */
int mc_remount_bind (int fd, const char *what, unsigned long flags,
                     mc_error_t *err);

/* Mount `source` of `type` at `dest_fd`; `what` names the destination in
   errors.  */
int mc_mount_at_fd (const char *source, int dest_fd, const char *what,
                    const char *type, unsigned long flags, const char *data,
                    mc_error_t *err);

/* The `cgroup` mount type: what a container expects at /sys/fs/cgroup.  */
int mc_mount_cgroup (const mc_mount_ctx_t *ctx, const spec_mount_t *m,
                     const mc_mount_options_t *o, mc_error_t *err);

#endif
