/* mcimg pull: resolve the manifest, fetch the config, run the layer
   workers (pull-layer.c), then record the image.  See pull.h.  */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "imagetool/lib/platform.h"
#include "imagetool/lib/pull-internal.h"
#include "imagetool/lib/reference.h"
#include "imagetool/lib/registries-conf.h"

#define CONFIG_MAX (16u << 20)
#define MAX_JOBS 16

struct membuf
{
  char *data;
  size_t len;
};

static int
membuf_write (void *data, const void *buf, size_t len, mc_error_t *err)
{
  struct membuf *b = data;

  if (b->len + len > CONFIG_MAX)
    return mc_error_make (err, EFBIG, "config blob larger than %u bytes",
                          CONFIG_MAX);
  b->data = xrealloc (b->data, b->len + len + 1);
  memcpy (b->data + b->len, buf, len);
  b->len += len;
  b->data[b->len] = '\0';
  return 0;
}

/* From an index, the manifest for the wanted platform.  */
static int
choose_manifest (const mcimg_manifest_t *index_m, const char *platform,
                 char **digest, mc_error_t *err)
{
  cleanup_image_index spec_image_index_t *index = NULL;
  mcimg_platform_t want = { 0 }, *cands;
  size_t n;
  int i;

  if (spec_image_index_parse (index_m->body, index_m->len, "index", &index,
                              err) < 0)
    return -1;
  if ((platform ? mcimg_platform_parse (platform, &want, err)
                : mcimg_platform_host (&want, err)) < 0)
    return -1;
  n = index->manifests_len;
  cands = xcalloc (n + 1, sizeof (*cands));
  for (size_t k = 0; k < n; k++)
    {
      const spec_platform_t *p = index->manifests[k].platform;
      if (p == NULL)
        continue;
      cands[k].os = p->os ? xstrdup (p->os) : NULL;
      cands[k].architecture = p->architecture ? xstrdup (p->architecture)
                                              : NULL;
      cands[k].variant = p->variant ? xstrdup (p->variant) : NULL;
    }
  i = mcimg_platform_choose (&want, cands, n, err);
  if (i >= 0 && spec_digest_validate (index->manifests[i].digest, err) == 0)
    *digest = xstrdup (index->manifests[i].digest);
  else
    i = -1;
  for (size_t k = 0; k < n; k++)
    mcimg_platform_clear (&cands[k]);
  free (cands);
  mcimg_platform_clear (&want);
  return i < 0 ? -1 : 0;
}

/* The image manifest for `ref`; *index_out keeps an index it came from.  */
static int
resolve_manifest (mcimg_registry_t *reg, const mcimg_reference_t *ref,
                  const char *platform, mcimg_manifest_t *m,
                  mcimg_manifest_t *index_out, mc_error_t *err)
{
  cleanup_free char *digest = NULL;
  enum spec_media_kind kind;

  if (mcimg_registry_get_manifest (reg, ref->path, mcimg_reference_object (ref),
                                   NULL, m, err) < 0)
    return -1;
  kind = spec_media_type_classify (m->media_type, NULL);
  if (kind == SPEC_MEDIA_MANIFEST)
    return 0;
  if (kind != SPEC_MEDIA_INDEX)
    return mc_error_make (err, 0, "unsupported manifest type `%s`",
                          m->media_type);
  *index_out = *m;
  memset (m, 0, sizeof (*m));
  if (choose_manifest (index_out, platform, &digest, err) < 0
      || mcimg_registry_get_manifest (reg, ref->path, digest, NULL, m, err)
             < 0)
    return -1;
  if (spec_media_type_classify (m->media_type, NULL) != SPEC_MEDIA_MANIFEST)
    return mc_error_make (err, 0, "%s: not an image manifest (`%s`)", digest,
                          m->media_type);
  return 0;
}

/* The config blob: from the store when present, else the registry (which
   verifies its digest).  */
static int
get_config (mcimg_store_t *store, mcimg_registry_t *reg, const char *repo,
            const spec_descriptor_t *d, struct membuf *out, mc_error_t *err)
{
  if (mcimg_store_has_blob (store, d->digest))
    return mcimg_store_read_blob (store, d->digest, CONFIG_MAX, &out->data,
                                  &out->len, err);
  mcimg_blob_fetch_t f = { .digest = d->digest, .size = d->size,
                           .write = membuf_write, .data = out,
                           .prefix_fd = -1 };
  if (mcimg_registry_get_blob (reg, repo, &f, err) < 0)
    return -1;
  if (out->data == NULL)
    out->data = xstrdup ("");
  return 0;
}

static void *
layer_worker (void *data)
{
  mcimg_pull_ctx_t *ctx = data;

  for (;;)
    {
      mc_error_t err = NULL;
      size_t i;

      pthread_mutex_lock (&ctx->lock);
      i = ctx->err ? ctx->n_layers : ctx->next++;
      pthread_mutex_unlock (&ctx->lock);
      if (i >= ctx->n_layers)
        return NULL;
      if (mcimg_pull_layer (ctx, i, &err) < 0)
        {
          pthread_mutex_lock (&ctx->lock);
          if (ctx->err == NULL)
            ctx->err = steal_ptr (&err);
          pthread_mutex_unlock (&ctx->lock);
          mc_error_release (&err);
        }
    }
}

static int
run_layer_workers (mcimg_pull_ctx_t *ctx, int jobs, mc_error_t *err)
{
  pthread_t th[MAX_JOBS];
  int n = jobs <= 0 ? 3 : jobs > MAX_JOBS ? MAX_JOBS : jobs, started = 0;

  if ((size_t) n > ctx->n_layers)
    n = ctx->n_layers ? (int) ctx->n_layers : 1;
  pthread_mutex_init (&ctx->lock, NULL);
  for (int t = 0; t < n; t++)
    if (pthread_create (&th[t], NULL, layer_worker, ctx) == 0)
      started++;
  if (started == 0)
    layer_worker (ctx);
  for (int t = 0; t < started; t++)
    pthread_join (th[t], NULL);
  pthread_mutex_destroy (&ctx->lock);
  if (ctx->err)
    {
      mc_error_release (err);
      *err = steal_ptr (&ctx->err);
      return -1;
    }
  return 0;
}

struct index_entry
{
  const char *name;
  const spec_descriptor_t *desc;
};

static int
set_entry (spec_image_index_t *index, void *data, mc_error_t *err)
{
  struct index_entry *e = data;
  (void) err;
  mcimg_index_set (index, e->name, e->desc);
  return 0;
}

/* Everything after the manifest is known.  */
static int
pull_image (mcimg_store_t *store, mcimg_registry_t *reg,
            const mcimg_reference_t *ref, const mcimg_manifest_t *m,
            const mcimg_manifest_t *index_m, const mcimg_pull_opts_t *opts,
            mcimg_pull_result_t *result, mc_error_t *err)
{
  cleanup_image_manifest spec_image_manifest_t *manifest = NULL;
  cleanup_image_config spec_image_config_t *config = NULL;
  struct membuf cfg = { 0 };
  mcimg_pull_ctx_t ctx = { .store = store, .reg = reg, .repo = ref->path,
                           .unpack = !opts->no_unpack };
  int ret = -1;

  if (spec_image_manifest_parse (m->body, m->len, m->digest, &manifest, err)
      < 0)
    return -1;
  if (spec_digest_validate (manifest->config->digest, err) < 0)
    return mc_error_prefix (err, "manifest %s: config", m->digest);
  for (size_t i = 0; i < manifest->layers_len; i++)
    if (spec_digest_validate (manifest->layers[i].digest, err) < 0
        || mcimg_digest_validate (manifest->layers[i].digest, err) < 0)
      return mc_error_prefix (err, "manifest %s: layer %zu", m->digest, i);
  if (get_config (store, reg, ref->path, manifest->config, &cfg, err) < 0)
    goto out;
  if (spec_image_config_parse (cfg.data, cfg.len, manifest->config->digest,
                               &config, err) < 0)
    goto out;
  if (config->rootfs == NULL
      || config->rootfs->diff_ids_len != manifest->layers_len)
    {
      mc_error_make (err, 0, "config %s: %zu diff_ids for %zu layers",
                     manifest->config->digest,
                     config->rootfs ? config->rootfs->diff_ids_len : 0,
                     manifest->layers_len);
      goto out;
    }
  for (size_t i = 0; i < manifest->layers_len; i++)
    if (mcimg_digest_validate (config->rootfs->diff_ids[i], err) < 0)
      {
        mc_error_prefix (err, "config %s: diff_id %zu",
                         manifest->config->digest, i);
        goto out;
      }

  ctx.layers = manifest->layers;
  ctx.diff_ids = config->rootfs->diff_ids;
  ctx.n_layers = manifest->layers_len;
  ctx.progress = mcimg_progress_new (opts->progress, opts->progress_out,
                                     ctx.n_layers);
  ret = run_layer_workers (&ctx, opts->jobs, err);
  mcimg_progress_end (ctx.progress, ret < 0);
  if (ret < 0)
    goto out;

  /* The layers are in: now the documents that reference them.  */
  ret = -1;
  if (mcimg_store_put_blob (store, manifest->config->digest, cfg.data,
                            cfg.len, err) < 0
      || (index_m->body
          && mcimg_store_put_blob (store, index_m->digest, index_m->body,
                                   index_m->len, err) < 0)
      || mcimg_store_put_blob (store, m->digest, m->body, m->len, err) < 0)
    goto out;
  {
    cleanup_free char *oci = NULL, *oci_digest = NULL;
    spec_kv_t source = { (char *) MCIMG_ANNOTATION_SOURCE_DIGEST, m->digest };
    spec_descriptor_t desc = { .media_type = m->media_type,
                               .digest = m->digest,
                               .size = (int64_t) m->len };
    struct index_entry e = { result->name, &desc };
    size_t oci_len;

    /* index.json must name an OCI manifest (see store-convert.c).  */
    if (mcimg_manifest_oci_form (m->body, m->len, m->media_type, m->digest,
                                 &oci, &oci_len, &oci_digest, err) < 0)
      goto out;
    if (oci)
      {
        if (mcimg_store_put_blob (store, oci_digest, oci, oci_len, err) < 0)
          goto out;
        desc = (spec_descriptor_t) {
          .media_type = (char *) SPEC_MEDIA_OCI_MANIFEST,
          .digest = oci_digest, .size = (int64_t) oci_len,
          .annotations = &source, .annotations_len = 1 };
      }
    if (mcimg_store_index_update (store, set_entry, &e, err) < 0)
      goto out;
  }
  result->layers_fetched = ctx.fetched;
  result->layers_present = ctx.present;
  result->bytes_fetched = ctx.bytes;
  ret = 0;
out:
  free (cfg.data);
  return ret;
}

/* The registry options for `host`: its entry of the configuration file,
   overridden by the explicit options.  Credentials given on the command
   line are for the reference's own registry, never for a mirror.  */
static void
host_opts (const mcimg_pull_opts_t *opts, const char *host, bool mirror,
           mcimg_registry_opts_t *ro)
{
  const mcimg_registry_conf_t *hc
      = mcimg_registries_conf_find (opts->registries, host);

  *ro = opts->registry;
  if (hc && hc->insecure && !opts->tls_verify_set)
    ro->insecure = true;
  if (hc && hc->cert_dir && ro->cert_dir == NULL)
    ro->cert_dir = hc->cert_dir;
  if (mirror)
    ro->userpass = NULL;
}

static void
note (const mcimg_pull_opts_t *opts, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

static void
note (const mcimg_pull_opts_t *opts, const char *fmt, ...)
{
  FILE *out = opts->progress_out ? opts->progress_out : stderr;
  va_list ap;

  if (opts->progress == MCIMG_PROGRESS_QUIET)
    return;
  va_start (ap, fmt);
  vfprintf (out, fmt, ap);
  va_end (ap);
  fputc ('\n', out);
}

/* The mirrors of ref's registry, in order, then the registry itself: the
   first that has the manifest.  A mirror's failure is noted and the next
   host tried; the registry's own failure is the error.  */
static int
open_source (const mcimg_reference_t *ref, const mcimg_pull_opts_t *opts,
             mcimg_registry_t **reg, mcimg_manifest_t *m,
             mcimg_manifest_t *index_m, mc_error_t *err)
{
  const mcimg_registry_conf_t *rc
      = mcimg_registries_conf_find (opts->registries, ref->domain);
  mcimg_registry_opts_t ro;

  if (rc && rc->blocked)
    return mc_error_make (err, 0, "registry %s is blocked by %s",
                          ref->domain, opts->registries->path);
  for (size_t i = 0; rc && i < rc->mirrors_len; i++)
    {
      const char *mirror = rc->mirrors[i];
      const mcimg_registry_conf_t *mc
          = mcimg_registries_conf_find (opts->registries, mirror);
      cleanup_error mc_error_t merr = NULL;

      if (mc && mc->blocked)
        {
          note (opts, "mirror %s is blocked: skipped", mirror);
          continue;
        }
      host_opts (opts, mirror, true, &ro);
      if (mcimg_registry_new (mirror, &ro, reg, &merr) == 0
          && resolve_manifest (*reg, ref, opts->platform, m, index_m, &merr)
                 == 0)
        {
          note (opts, "pulling from mirror %s", mirror);
          return 0;
        }
      {
        cleanup_free char *msg = mc_error_string (merr);
        note (opts, "mirror %s: %s; trying the next source", mirror, msg);
      }
      mcimg_manifest_clear (m);
      mcimg_manifest_clear (index_m);
      mcimg_registry_free (*reg);
      *reg = NULL;
    }
  host_opts (opts, ref->domain, false, &ro);
  if (mcimg_registry_new (ref->domain, &ro, reg, err) < 0)
    return -1;
  return resolve_manifest (*reg, ref, opts->platform, m, index_m, err);
}

int
mcimg_pull (mcimg_store_t *store, const char *reference,
            const mcimg_pull_opts_t *opts, mcimg_pull_result_t *result,
            mc_error_t *err)
{
  cleanup_reference mcimg_reference_t *ref = NULL;
  mcimg_registry_t *reg = NULL;
  mcimg_manifest_t m = { 0 }, index_m = { 0 };
  int ret, pull_lock;

  memset (result, 0, sizeof (*result));
  if (mcimg_reference_parse (reference, &ref, err) < 0)
    return mc_error_prefix (err, "pull");
  result->name = mcimg_reference_string (ref);
  pull_lock = mcimg_store_lock_mode (store, "pull", true, err);
  ret = pull_lock < 0 ? -1 : 0;
  if (ret == 0)
    ret = open_source (ref, opts, &reg, &m, &index_m, err);
  if (ret == 0)
    ret = pull_image (store, reg, ref, &m, &index_m, opts, result, err);
  if (ret == 0)
    {
      result->manifest_digest = xstrdup (m.digest);
      result->index_digest = index_m.digest ? xstrdup (index_m.digest) : NULL;
    }
  else
    {
      mc_error_prefix (err, "pull %s", result->name);
      /* On failure the caller has nothing to clear.  */
      mcimg_pull_result_clear (result);
    }
  mcimg_manifest_clear (&m);
  mcimg_manifest_clear (&index_m);
  mcimg_registry_free (reg);
  mcimg_store_unlock (pull_lock);
  return ret < 0 ? -1 : 0;
}

void
mcimg_pull_result_clear (mcimg_pull_result_t *r)
{
  free (r->name);
  free (r->manifest_digest);
  free (r->index_digest);
  memset (r, 0, sizeof (*r));
}
