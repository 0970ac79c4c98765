/* `mcimg pull`: an image from a registry into the store.
 *
 * Reference -> registry -> manifest (an index is resolved for the platform)
 * -> config (verified) -> layers, up to `jobs` at once.  Each layer is read
 * from the network once: the registry client checks its size and sha256
 * while the bytes are appended to tmp/HEX.partial and streamed, through a
 * socketpair, into the unpacker on its own thread, which checks the diff_id
 * and renames the tree into layers/DIFFHEX/diff.  The partial blob is
 * renamed into blobs/ only when both succeeded.  Blobs and layers already
 * in the store are not fetched again; a partial blob left by an interrupted
 * pull is resumed with a Range request.  Only when everything is in place
 * are the config and manifest blobs written and index.json pointed at the
 * manifest.
 *
 * With a registries configuration, a blocked registry is refused and the
 * mirrors of the reference's registry are tried in order before it: the
 * first one that has the manifest serves the whole pull.  Each host gets
 * its own settings and its own credentials from the auth files (--creds
 * go to the reference's registry only).
 *
 * Errors read "pull NAME: CAUSE", e.g. "pull 127.0.0.1:5000/app:v1:
 * registry 127.0.0.1:5000: manifest unknown (404)".  */
#ifndef MCIMG_PULL_H
#define MCIMG_PULL_H

#include <stdbool.h>
#include <stdio.h>

#include "common/error.h"
#include "imagetool/lib/registry.h"
#include "imagetool/lib/store.h"

typedef enum
{
  MCIMG_PROGRESS_QUIET = 0, /* nothing */
  MCIMG_PROGRESS_LINES,     /* one line per event (not a terminal) */
  MCIMG_PROGRESS_TTY,       /* live per-layer lines and a summary */
} mcimg_progress_mode_t;

typedef struct mcimg_pull_opts
{
  const char *platform; /* "os/arch[/variant]"; NULL: this machine's */
  int jobs;             /* layers at once; <= 0: 3 */
  bool no_unpack;       /* blobs only */
  mcimg_registry_opts_t registry;
  mcimg_progress_mode_t progress;
  FILE *progress_out; /* NULL: stderr */
  /* Per-registry settings (registries-conf.h); NULL: none.  The options
     above win over the file: registry.cert_dir when set, and
     registry.insecure when tls_verify_set (--tls-verify was given).  */
  const struct mcimg_registries_conf *registries;
  bool tls_verify_set;
} mcimg_pull_opts_t;

typedef struct mcimg_pull_result
{
  char *name;            /* the normalised reference stored in index.json */
  char *manifest_digest; /* what index.json points at */
  char *index_digest;    /* the multi-platform index, or NULL */
  unsigned layers_fetched;
  unsigned layers_present;
  unsigned long long bytes_fetched;
} mcimg_pull_result_t;

/* Pull REFERENCE into STORE.  On success *RESULT says what was done and
   must be released with mcimg_pull_result_clear; on failure it is empty.  */
int mcimg_pull (mcimg_store_t *store, const char *reference,
                const mcimg_pull_opts_t *opts, mcimg_pull_result_t *result,
                mc_error_t *err);
void mcimg_pull_result_clear (mcimg_pull_result_t *r);

#endif
