/* mcimg bundle: an OCI runtime bundle (DIR/config.json + DIR/rootfs) made
 * from an image in the store.
 *
 *   DIR/config.json       the image config converted as docker does
 *   DIR/rootfs            an overlay mount: lowers are the unpacked layers
 *                         (store l/ links, top first), upper DIR/upper,
 *                         work DIR/work; or, with `copy`, a flat tree made
 *                         from the layer blobs (whiteouts applied)
 *   DIR/hostname, DIR/hosts, DIR/resolv.conf
 *                         per-bundle files bind-mounted by config.json
 *
 * Each bundle is recorded in STORE/bundles/<sha256 of DIR's realpath>.json
 * (path, image, manifest digest, diff_ids) so that prune keeps the layers
 * an overlay bundle uses and `mcimg mount DIR` can re-mount it after a
 * reboot.  Creation holds the store's "pull" lock shared, as pulls do, so a
 * prune never runs between reading the image and writing the record.  */
#ifndef MCIMG_BUNDLE_H
#define MCIMG_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/error.h"
#include "imagetool/lib/store.h"

/* --userns: the container's ids 0..size-1 are the host's host..host+size-1
   (uids and gids alike); size 0 = no user namespace.  */
typedef struct mcimg_userns
{
  uint32_t host;
  uint32_t size;
} mcimg_userns_t;
#define MCIMG_USERNS_AUTO_HOST 100000u
#define MCIMG_USERNS_AUTO_SIZE 65536u

/* env strings are owned (mcimg_bundle_options_clear frees them); the
   other vectors are owned but borrow their strings (argv).  */
typedef struct mcimg_bundle_options
{
  char **args; /* after `--`: replaces Entrypoint + Cmd; NULL = image's */
  size_t args_len;
  char **env; /* K=V, override the image's */
  size_t env_len;
  char **volumes; /* HOST:CTR[:ro] */
  size_t volumes_len;
  char **tmpfs; /* container paths */
  size_t tmpfs_len;
  char **cap_add; /* CAP_X or X, or ALL */
  size_t cap_add_len;
  char **cap_drop;
  size_t cap_drop_len;
  char **security_opts; /* --security-opt values */
  size_t security_opts_len;
  const char *hostname; /* NULL: mini-XXXXX */
  const char *user;     /* NULL: the image's User */
  const char *workdir;  /* NULL: the image's WorkingDir, else / */
  const char *network;  /* NULL or "none": own netns; "host": none */
  int64_t memory;       /* bytes, 0 = no limit */
  int64_t cpu_quota;    /* per 100000 us, 0 = no limit */
  int64_t pids_limit;   /* 0 = no limit */
  bool read_only;
  bool tty;
  bool force; /* DIR may exist and be non-empty */
  bool copy;  /* flat rootfs instead of an overlay */
  mcimg_userns_t userns; /* size 0: no user namespace */
} mcimg_bundle_options_t;

void mcimg_bundle_options_clear (mcimg_bundle_options_t *opts);

/* ---- bundle-opts.c: strict option values ---- */
/* "256m", "1g", "512k", "1048576" (binary units, b/k/m/g/t, any case);
   anything else, zero or overflow fails.  */
int mcimg_parse_size (const char *s, int64_t *out, mc_error_t *err);
/* "0.5" -> 50000 (quota per 100000 us period); > 0, at most 3 decimals. */
int mcimg_parse_cpus (const char *s, int64_t *quota, mc_error_t *err);
/* A positive integer (pids limit).  */
int mcimg_parse_positive (const char *what, const char *s, int64_t *out,
                          mc_error_t *err);
/* Append every non-comment, non-empty line of an env file (K=V or K,
   the latter taking the value from our environment) to opts->env.  */
int mcimg_bundle_read_env_file (const char *path,
                                mcimg_bundle_options_t *opts,
                                mc_error_t *err);

/* ---- bundle-userns.c ---- */
/* --userns VALUE: "auto" (MCIMG_USERNS_AUTO_*), "host" (none) or
   "HOSTID:SIZE" (HOSTID >= 1, SIZE >= 1, the range below 2^32-1).  */
int mcimg_parse_userns (const char *s, mcimg_userns_t *out, mc_error_t *err);
/* The uid_map/gid_map text of u: "0 HOST SIZE\n" (malloc'ed).  */
char *mcimg_userns_map_text (const mcimg_userns_t *u);
/* The host id of container id `id` (ids beyond the range unchanged).  */
uint32_t mcimg_userns_shift (const mcimg_userns_t *u, uint32_t id);
/* One --security-opt value: fails for an unknown or malformed one
   (bundle-seccomp-opts.c).  */
int mcimg_bundle_security_opt_check (const char *opt, mc_error_t *err);

/* ---- bundle.c ---- */
/* Make the bundle DIR of IMAGE.  On failure nothing is left: no mount, no
   record, and DIR as it was (removed when we created it).  */
int mcimg_bundle_create (mcimg_store_t *store, const char *image,
                         const char *dir, const mcimg_bundle_options_t *opts,
                         mc_error_t *err);
/* Mount DIR/rootfs again from its record (a no-op for a copy bundle or
   one already mounted).  */
int mcimg_bundle_mount (mcimg_store_t *store, const char *dir,
                        mc_error_t *err);
/* Unmount DIR/rootfs, remove DIR and its record.  */
int mcimg_bundle_remove (mcimg_store_t *store, const char *dir,
                         mc_error_t *err);
/* One line per recorded bundle: PATH IMAGE MODE STATE.  */
int mcimg_bundles_list (mcimg_store_t *store, FILE *out, mc_error_t *err);

/* ---- bundle-record.c (also for prune) ---- */
/* Every diff_id ("sha256:HEX") that a recorded overlay bundle uses,
   NULL-terminated, in *out.  */
int mcimg_bundle_used_layers (mcimg_store_t *store, char ***out,
                              mc_error_t *err);

#endif
