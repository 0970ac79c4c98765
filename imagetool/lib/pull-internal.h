/* Shared by pull.c, pull-layer.c and pull-progress.c.  */
#ifndef MCIMG_PULL_INTERNAL_H
#define MCIMG_PULL_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "imagetool/lib/pull.h"

typedef struct mcimg_progress mcimg_progress_t;

mcimg_progress_t *mcimg_progress_new (mcimg_progress_mode_t mode, FILE *out,
                                      size_t n_layers);
void mcimg_progress_layer_start (mcimg_progress_t *p, size_t i,
                                 const char *digest, int64_t size);
void mcimg_progress_layer_bytes (mcimg_progress_t *p, size_t i, size_t n);
/* `how`: "done", "already exists", "unpacked from the store".  */
void mcimg_progress_layer_done (mcimg_progress_t *p, size_t i,
                                const char *digest, const char *how);
void mcimg_progress_message (mcimg_progress_t *p, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));
/* Print the summary (unless failed) and free.  */
void mcimg_progress_end (mcimg_progress_t *p, bool failed);

/* The state a layer worker needs.  */
typedef struct mcimg_pull_ctx
{
  mcimg_store_t *store;
  mcimg_registry_t *reg;
  const char *repo;
  bool unpack;
  mcimg_progress_t *progress;
  const spec_descriptor_t *layers;
  char *const *diff_ids;
  size_t n_layers;

  pthread_mutex_t lock; /* the fields below */
  size_t next;
  mc_error_t err; /* the first failure stops the others */
  unsigned fetched, present;
  unsigned long long bytes;
} mcimg_pull_ctx_t;

/* Make layer i present in the store (blob, and tree unless !unpack).  */
int mcimg_pull_layer (mcimg_pull_ctx_t *ctx, size_t i, mc_error_t *err);

#endif
