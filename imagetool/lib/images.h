/* The image commands on the store: images, inspect, tag, rmi, prune.
 *
 * IMAGE names an index.json entry: a reference, normalised as pull stores
 * it (`alpine` is docker.io/library/alpine:latest), or a manifest digest
 * (`sha256:HEX`, or at least 6 leading hex digits) of an entry; when
 * several names share that digest, the first entry is meant.  */
#ifndef MCIMG_IMAGES_H
#define MCIMG_IMAGES_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "common/error.h"
#include "imagetool/lib/store.h"

/* The index entry IMAGE names, or -1 with *err.  */
ssize_t mcimg_image_find (const spec_image_index_t *index, const char *image,
                          mc_error_t *err);

typedef enum
{
  MCIMG_IMAGES_TABLE = 0,
  MCIMG_IMAGES_JSON,
} mcimg_images_format_t;

/* Print every image: name, manifest digest, size (manifest, config and
   compressed layers), created (from the config).  */
int mcimg_images_list (mcimg_store_t *store, mcimg_images_format_t format,
                       FILE *out, mc_error_t *err);

/* {"manifest": ..., "config": ...} of IMAGE, the blobs as stored.  */
int mcimg_image_inspect (mcimg_store_t *store, const char *image, char **json,
                         mc_error_t *err);

/* Add the name DST (a reference with a tag) for IMAGE.  */
int mcimg_image_tag (mcimg_store_t *store, const char *image, const char *dst,
                     mc_error_t *err);

/* Remove IMAGE's name from index.json (blobs stay until prune).  */
int mcimg_image_remove (mcimg_store_t *store, const char *image,
                        mc_error_t *err);

/* Remove blobs and unpacked layers that no index.json entry references,
   dangling l/ links and partial downloads; waits for running pulls.
   *freed (may be NULL) gets the count of blobs and layers removed.  */
int mcimg_store_prune (mcimg_store_t *store, unsigned *freed,
                       mc_error_t *err);

typedef enum
{
  MCIMG_ARCHIVE_OCI = 0, /* oci-archive: a tar of an OCI layout */
  MCIMG_ARCHIVE_DOCKER,  /* docker-archive: docker save's manifest.json */
} mcimg_archive_format_t;

/* Write IMAGE as an archive to `path`, atomically.  An oci-archive's one
   index.json entry, and a docker-archive's RepoTags, carry the image's
   name.  */
int mcimg_image_save (mcimg_store_t *store, const char *image,
                      mcimg_archive_format_t format, const char *path,
                      mc_error_t *err);

/* Import every named image of the oci-archive or docker-archive `path`
   (told apart by index.json / manifest.json): blobs are hashed and checked
   against their names (a docker-archive's are named by their hash here and
   get an OCI manifest made for them), layers unpacked (unless
   !unpack) and checked against the diff_ids, then index.json updated.
   Names that are not references are refused.  *names (may be NULL) gets
   the imported names, NULL-terminated.  */
int mcimg_image_load (mcimg_store_t *store, const char *path, bool unpack,
                      char ***names, mc_error_t *err);

#endif
