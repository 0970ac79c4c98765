/* The OCI form of a Docker schema2 manifest.  skopeo's oci: transport (and
   umoci) only follow index.json entries of OCI media types, so a Docker
   image gets, beside its manifest as pulled, an OCI manifest over the same
   config and layer blobs, as `skopeo copy docker://... oci:...` makes it.  */
#include <string.h>

#include <openssl/evp.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "imagetool/lib/store.h"

static void
replace (char **field, const char *value)
{
  free (*field);
  *field = xstrdup (value);
}

static const char *
oci_layer_type (const char *docker_type)
{
  spec_media_info_t info;

  spec_media_type_classify (docker_type, &info);
  if (info.non_distributable)
    return SPEC_MEDIA_OCI_LAYER_NONDIST_GZIP;
  switch (info.compression)
    {
    case SPEC_COMPRESSION_GZIP:
      return SPEC_MEDIA_OCI_LAYER_GZIP;
    case SPEC_COMPRESSION_ZSTD:
      return SPEC_MEDIA_OCI_LAYER_ZSTD;
    default:
      return SPEC_MEDIA_OCI_LAYER_TAR;
    }
}

int
mcimg_manifest_oci_form (const char *json, size_t len, const char *media_type,
                         const char *what, char **out, size_t *out_len,
                         char **digest, mc_error_t *err)
{
  cleanup_image_manifest spec_image_manifest_t *m = NULL;
  unsigned char raw[EVP_MAX_MD_SIZE];
  unsigned rawlen = 0;
  spec_media_info_t info;

  *out = NULL;
  *digest = NULL;
  if (spec_media_type_classify (media_type, &info) != SPEC_MEDIA_MANIFEST
      || !info.docker)
    return 0;
  if (spec_image_manifest_parse (json, len, what, &m, err) < 0)
    return -1;
  replace (&m->media_type, SPEC_MEDIA_OCI_MANIFEST);
  replace (&m->config->media_type, SPEC_MEDIA_OCI_CONFIG);
  for (size_t i = 0; i < m->layers_len; i++)
    {
      const char *t = oci_layer_type (m->layers[i].media_type);
      replace (&m->layers[i].media_type, t);
    }
  if (spec_image_manifest_generate (m, false, out, out_len, err) < 0)
    return -1;
  if (EVP_Digest (*out, *out_len, raw, &rawlen, EVP_sha256 (), NULL) != 1
      || rawlen != 32)
    {
      free (*out);
      *out = NULL;
      return mc_error_make (err, 0, "sha256 of the OCI form of %s", what);
    }
  *digest = xmalloc (7 + 64 + 1);
  memcpy (*digest, "sha256:", 7);
  for (unsigned i = 0; i < 32; i++)
    snprintf (*digest + 7 + 2 * i, 3, "%02x", raw[i]);
  return 0;
}
