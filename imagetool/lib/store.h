/* The mcimg image store: an OCI image layout plus unpacked layers.
 *
 *   ROOT/oci-layout, ROOT/index.json     the OCI layout (skopeo `oci:ROOT:REF`
 *   ROOT/blobs/sha256/HEX                 and umoci read it as is); each
 *                                         index.json entry carries
 *                                         org.opencontainers.image.ref.name =
 *                                         the normalised reference
 *   ROOT/layers/DIFFHEX/diff              an unpacked layer (overlay form)
 *   ROOT/layers/DIFFHEX/link              its short id ID, and
 *   ROOT/l/ID -> ../layers/DIFFHEX/diff   a short name for overlay lowerdirs
 *                                         (as containers-storage does)
 *   ROOT/tmp/HEX.partial                  a blob being downloaded (resumed)
 *   ROOT/locks/                           flock(2) files
 *
 * Every file appears by rename(2) of a complete, fsync'ed temporary, so a
 * crash leaves a valid store; what was in flight stays under tmp/ and in
 * layers/DIFFHEX/.tmp-* (removed by the next holder of the layer lock).
 * Several processes may use one store: index.json is read-modified-written
 * under locks/index.lock, and one blob (with its layer) is fetched by one
 * process at a time under locks/HEX.lock, the others then finding it done.
 * Digests are validated before they become file names.  */
#ifndef MCIMG_STORE_H
#define MCIMG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "spec/image.h"

#define MCIMG_STORE_DEFAULT_ROOT "/var/lib/mcimg"
#define MCIMG_ANNOTATION_REF_NAME "org.opencontainers.image.ref.name"
#define MCIMG_ANNOTATION_CREATED "org.opencontainers.image.created"

typedef struct mcimg_store mcimg_store_t;

/* `root`, else $MCIMG_ROOT, else MCIMG_STORE_DEFAULT_ROOT.  */
const char *mcimg_store_root_choose (const char *root);

/* Open (creating the layout when missing) the store at `root`.  */
int mcimg_store_open (const char *root, mcimg_store_t **out, mc_error_t *err);
void mcimg_store_close (mcimg_store_t *store);
const char *mcimg_store_root (const mcimg_store_t *store);
int mcimg_store_dirfd (const mcimg_store_t *store);

/* ---- locks: an fd holding flock(LOCK_EX) on locks/NAME.lock ---- */
int mcimg_store_lock (mcimg_store_t *store, const char *name, mc_error_t *err);
/* The same with LOCK_SH when `shared`.  Every pull holds "pull" shared for
   its whole run; prune takes it exclusively, so it never removes the blobs
   of a pull that has not yet written index.json.  */
int mcimg_store_lock_mode (mcimg_store_t *store, const char *name,
                           bool shared, mc_error_t *err);
void mcimg_store_unlock (int lock_fd);

/* ---- blobs ---- */
bool mcimg_store_has_blob (mcimg_store_t *store, const char *digest);
/* Write a blob the caller has verified (atomic, durable; kept if present). */
int mcimg_store_put_blob (mcimg_store_t *store, const char *digest,
                          const void *data, size_t len, mc_error_t *err);
int mcimg_store_read_blob (mcimg_store_t *store, const char *digest,
                           size_t max_size, char **out, size_t *len,
                           mc_error_t *err);
/* Open blobs/sha256/HEX for reading.  */
int mcimg_store_open_blob (mcimg_store_t *store, const char *digest,
                           mc_error_t *err);

/* tmp/HEX.partial, opened read-write (created when missing); *have gets
   the bytes it already holds.  Call under the blob's lock.  */
int mcimg_store_open_partial (mcimg_store_t *store, const char *digest,
                              uint64_t *have, mc_error_t *err);
/* fsync it and rename it to blobs/sha256/HEX.  */
int mcimg_store_commit_partial (mcimg_store_t *store, const char *digest,
                                int partial_fd, mc_error_t *err);
void mcimg_store_discard_partial (mcimg_store_t *store, const char *digest);

/* ---- unpacked layers (by diff_id) ---- */
/* Complete: diff and link are both there.  */
bool mcimg_store_has_layer (mcimg_store_t *store, const char *diff_id);
/* layers/DIFFHEX, created, its stale .tmp-* removed: the parent fd for
   mcimg_unpack_layer_stream (..., "diff", ...).  Call under the layer's
   lock.  */
int mcimg_store_layer_dir (mcimg_store_t *store, const char *diff_id,
                           mc_error_t *err);
/* After a failure: remove layers/DIFFHEX when it is empty.  */
void mcimg_store_layer_abandon (mcimg_store_t *store, const char *diff_id);
/* After diff is in place: l/ID symlink, then layers/DIFFHEX/link.  */
int mcimg_store_layer_finish (mcimg_store_t *store, const char *diff_id,
                              mc_error_t *err);

/* ---- index.json ---- */
int mcimg_store_index_read (mcimg_store_t *store, spec_image_index_t **out,
                            mc_error_t *err);
/* Read-modify-write under the index lock: `edit` changes the index (or
   fails, and nothing is written).  */
typedef int (*mcimg_index_edit_fn) (spec_image_index_t *index, void *data,
                                    mc_error_t *err);
int mcimg_store_index_update (mcimg_store_t *store, mcimg_index_edit_fn edit,
                              void *data, mc_error_t *err);

/* ---- store-convert.c ---- */
/* The annotation of an index.json entry made from a Docker manifest: the
   digest of that manifest as pulled (also stored).  */
#define MCIMG_ANNOTATION_SOURCE_DIGEST "dev.mcimg.source.manifest.digest"
/* For a Docker schema2 manifest (by `media_type`), the equivalent OCI
   manifest over the same blobs in *out (malloc'ed, *out_len bytes) and its
   digest; for an OCI manifest *out and *digest stay NULL.  */
int mcimg_manifest_oci_form (const char *json, size_t len,
                             const char *media_type, const char *what,
                             char **out, size_t *out_len, char **digest,
                             mc_error_t *err);

/* ---- index manipulation (store-index.c; no I/O) ---- */
/* The entry whose ref.name is `name`, or -1.  */
ssize_t mcimg_index_find (const spec_image_index_t *index, const char *name);
/* Point `name` at a copy of `desc` (its ref.name set to `name`), replacing
   an entry of the same name in place or appending one.  */
void mcimg_index_set (spec_image_index_t *index, const char *name,
                      const spec_descriptor_t *desc);
/* Remove the entry; -1 (with *err) when there is none.  */
int mcimg_index_remove (spec_image_index_t *index, const char *name,
                        mc_error_t *err);
/* The value of annotation `key` of `desc`, or NULL.  */
const char *mcimg_descriptor_annotation (const spec_descriptor_t *desc,
                                         const char *key);

#define cleanup_store __attribute__ ((cleanup (mcimg_store_closep)))
static inline void
mcimg_store_closep (mcimg_store_t **p)
{
  mcimg_store_close (*p);
}

#endif
