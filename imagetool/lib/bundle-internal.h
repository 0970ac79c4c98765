/* Shared by the bundle-*.c files (see bundle.h).  */
#ifndef MCIMG_BUNDLE_INTERNAL_H
#define MCIMG_BUNDLE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "imagetool/lib/bundle.h"
#include "imagetool/lib/store.h"
#include "spec/image.h"

/* STORE/bundles/<sha256 hex of path>.json  */
typedef struct mcimg_bundle_record
{
  char *path;     /* DIR's realpath */
  char *image;    /* the name given at creation */
  char *manifest; /* manifest digest */
  char **diff_ids; /* bottom first; empty for a copy bundle */
  size_t diff_ids_len;
  bool copy;
  mcimg_userns_t userns; /* usernsHost, usernsSize; size 0 = none */
} mcimg_bundle_record_t;

void mcimg_bundle_record_free (mcimg_bundle_record_t *rec);
#define cleanup_bundle_record \
  __attribute__ ((cleanup (mcimg_bundle_record_freep)))
static inline void
mcimg_bundle_record_freep (mcimg_bundle_record_t **p)
{
  mcimg_bundle_record_free (*p);
}

/* bundles/HEX.json for `path` (malloc'ed).  */
char *mcimg_bundle_record_name (const char *path);
int mcimg_bundle_record_write (mcimg_store_t *store,
                               const mcimg_bundle_record_t *rec,
                               mc_error_t *err);
/* -ENOENT (with *err) when DIR has no record.  */
int mcimg_bundle_record_read (mcimg_store_t *store, const char *path,
                              mcimg_bundle_record_t **out, mc_error_t *err);
void mcimg_bundle_record_delete (mcimg_store_t *store, const char *path);
/* Call fn for each record; stops at the first failure.  */
int mcimg_bundle_record_each (mcimg_store_t *store,
                              int (*fn) (const mcimg_bundle_record_t *rec,
                                         void *data, mc_error_t *err),
                              void *data, mc_error_t *err);

/* ---- bundle-rootfs.c ---- */
/* Mount an overlay of the layers (bottom first) on dir_fd/rootfs, with
   dir_fd/upper and dir_fd/work (created when missing).  Changes the
   process's working directory for the mount(2) call (the lowerdirs are
   relative to the store), so call it from a single-threaded process.
   With userns->size, the layers are idmapped (bundle-userns.c) and upper
   is owned by the container's root.  */
int mcimg_bundle_overlay_mount (mcimg_store_t *store, int dir_fd,
                                const char *dir, char *const *diff_ids,
                                size_t n, const mcimg_userns_t *userns,
                                mc_error_t *err);
/* Whether dir_fd/rootfs is a mount point (another device than dir_fd). */
bool mcimg_bundle_rootfs_mounted (int dir_fd);
int mcimg_bundle_rootfs_unmount (int dir_fd, const char *dir,
                                 mc_error_t *err);
/* Extract the manifest's layer blobs in order into dir_fd/rootfs (FLAT). */
int mcimg_bundle_copy_rootfs (mcimg_store_t *store, int dir_fd,
                              const spec_image_manifest_t *manifest,
                              const spec_image_config_t *config,
                              mc_error_t *err);

/* ---- bundle-userns.c ---- */
/* An fd of a new user namespace with u's mapping.  */
int mcimg_userns_open (const mcimg_userns_t *u, mc_error_t *err);
/* Mount on dir_fd/rootfs an overlay of store_fd's `lowers` (paths, top
   first), each idmapped with u, and DIR/upper, DIR/work.  */
int mcimg_bundle_idmapped_overlay (int store_fd, char *const *lowers,
                                   size_t n, int dir_fd, const char *dir,
                                   const mcimg_userns_t *u, mc_error_t *err);
/* Chown every entry of dir_fd/rootfs into u's range.  */
int mcimg_bundle_shift_rootfs (int dir_fd, const mcimg_userns_t *u,
                               mc_error_t *err);
/* The user namespace and its mappings in c (nothing without --userns).  */
void mcimg_bundle_userns_config (spec_runtime_config_t *c,
                                 const mcimg_bundle_options_t *o);
/* DIR reachable and hostname, hosts, resolv.conf owned by the container's
   root (nothing without --userns).  */
int mcimg_bundle_userns_files (int dir_fd, const mcimg_bundle_options_t *o,
                               mc_error_t *err);

/* ---- bundle-config.c ---- */
/* Append a copy of s to the NULL-terminated vector *v of length *n.  */
void mcimg_bundle_strv_add (char ***v, size_t *n, const char *s);
/* The NULL-terminated arguments as a vector (mount options).  */
char **mcimg_bundle_options_strv (size_t *n, ...);
spec_mount_t *mcimg_bundle_add_mount (spec_runtime_config_t *c,
                                      const char *dest, const char *type,
                                      const char *source);
/* Write dir_fd/config.json, hostname, hosts, resolv.conf.  rootfs_fd is
   the mounted rootfs (for the image's /etc/passwd and /etc/group).  */
int mcimg_bundle_write_config (int dir_fd, int rootfs_fd,
                               const spec_image_config_t *image,
                               const mcimg_bundle_options_t *opts,
                               mc_error_t *err);

/* ---- bundle-mounts.c ---- */
void mcimg_bundle_default_mounts (spec_runtime_config_t *c);
/* Write dir_fd/hostname, hosts, resolv.conf and bind-mount them.  */
int mcimg_bundle_files (spec_runtime_config_t *c, int dir_fd,
                        const mcimg_bundle_options_t *o, mc_error_t *err);
int mcimg_bundle_user_mounts (spec_runtime_config_t *c,
                              const mcimg_bundle_options_t *o,
                              mc_error_t *err);

/* ---- bundle-seccomp.c: the default seccomp profile ---- */
/* What the profile's conditions look at besides the capabilities.  */
typedef struct mcimg_seccomp_host
{
  const char *arch; /* `uname -m` spelling: x86_64, aarch64, x86, arm ... */
  unsigned kernel_major, kernel_minor;
} mcimg_seccomp_host_t;

/* imagetool/data/seccomp-default.list, embedded at build time.  */
extern const char mcimg_seccomp_default_profile[];
/* The architecture mcimg was built for, and the running kernel.  */
void mcimg_seccomp_host_detect (mcimg_seccomp_host_t *host);
/* Read a profile in the seccomp-default.list syntax (`what` names it in
   errors) into a linux.seccomp object for the bounding set `caps`.  */
int mcimg_seccomp_profile_build (const char *text, const char *what,
                                 const mcimg_seccomp_host_t *host,
                                 char *const *caps, size_t n_caps,
                                 spec_seccomp_t **out, mc_error_t *err);
/* The default profile for these capabilities on this host.  */
int mcimg_seccomp_default (const spec_capabilities_t *caps,
                           spec_seccomp_t **out, mc_error_t *err);

/* ---- bundle-seccomp-file.c: --security-opt seccomp=FILE ---- */
/* An OCI LinuxSeccomp object; errors are "PATH: .json.path: why".  */
int mcimg_seccomp_parse (const char *json, size_t len, const char *path,
                         spec_seccomp_t **out, mc_error_t *err);
int mcimg_seccomp_load_file (const char *path, spec_seccomp_t **out,
                             mc_error_t *err);

/* ---- bundle-seccomp-opts.c: --security-opt ---- */
/* Set linux.seccomp (the default profile unless seccomp=...),
   noNewPrivileges, apparmorProfile, selinuxLabel and mountLabel from
   o->security_opts.  Call it once the capabilities are final.  */
int mcimg_bundle_security (spec_runtime_config_t *c,
                           const mcimg_bundle_options_t *o, mc_error_t *err);

#endif
