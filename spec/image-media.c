/* Media type classification and digest validation.  */
#include "spec/image.h"

#include <string.h>
#include <strings.h>

#include "common/cleanup.h"
#include "spec/json-internal.h"

struct media_entry
{
  const char *name;
  spec_media_info_t info;
};

static const struct media_entry media_table[] = {
  { SPEC_MEDIA_OCI_INDEX, { SPEC_MEDIA_INDEX, false, SPEC_COMPRESSION_NONE, false } },
  { SPEC_MEDIA_OCI_MANIFEST, { SPEC_MEDIA_MANIFEST, false, SPEC_COMPRESSION_NONE, false } },
  { SPEC_MEDIA_OCI_CONFIG, { SPEC_MEDIA_CONFIG, false, SPEC_COMPRESSION_NONE, false } },
  { SPEC_MEDIA_OCI_EMPTY, { SPEC_MEDIA_EMPTY, false, SPEC_COMPRESSION_NONE, false } },
  { SPEC_MEDIA_OCI_LAYER_TAR, { SPEC_MEDIA_LAYER, false, SPEC_COMPRESSION_NONE, false } },
  { SPEC_MEDIA_OCI_LAYER_GZIP, { SPEC_MEDIA_LAYER, false, SPEC_COMPRESSION_GZIP, false } },
  { SPEC_MEDIA_OCI_LAYER_ZSTD, { SPEC_MEDIA_LAYER, false, SPEC_COMPRESSION_ZSTD, false } },
  { SPEC_MEDIA_OCI_LAYER_NONDIST_TAR, { SPEC_MEDIA_LAYER, false, SPEC_COMPRESSION_NONE, true } },
  { SPEC_MEDIA_OCI_LAYER_NONDIST_GZIP, { SPEC_MEDIA_LAYER, false, SPEC_COMPRESSION_GZIP, true } },
  { SPEC_MEDIA_OCI_LAYER_NONDIST_ZSTD, { SPEC_MEDIA_LAYER, false, SPEC_COMPRESSION_ZSTD, true } },
  { SPEC_MEDIA_DOCKER_MANIFEST_LIST, { SPEC_MEDIA_INDEX, true, SPEC_COMPRESSION_NONE, false } },
  { SPEC_MEDIA_DOCKER_MANIFEST, { SPEC_MEDIA_MANIFEST, true, SPEC_COMPRESSION_NONE, false } },
  { SPEC_MEDIA_DOCKER_CONFIG, { SPEC_MEDIA_CONFIG, true, SPEC_COMPRESSION_NONE, false } },
  { SPEC_MEDIA_DOCKER_LAYER_TAR, { SPEC_MEDIA_LAYER, true, SPEC_COMPRESSION_NONE, false } },
  { SPEC_MEDIA_DOCKER_LAYER_GZIP, { SPEC_MEDIA_LAYER, true, SPEC_COMPRESSION_GZIP, false } },
  { SPEC_MEDIA_DOCKER_LAYER_ZSTD, { SPEC_MEDIA_LAYER, true, SPEC_COMPRESSION_ZSTD, false } },
  { SPEC_MEDIA_DOCKER_LAYER_FOREIGN, { SPEC_MEDIA_LAYER, true, SPEC_COMPRESSION_GZIP, true } },
  { SPEC_MEDIA_DOCKER_SCHEMA1, { SPEC_MEDIA_SCHEMA1, true, SPEC_COMPRESSION_NONE, false } },
  { SPEC_MEDIA_DOCKER_SCHEMA1_SIGNED, { SPEC_MEDIA_SCHEMA1, true, SPEC_COMPRESSION_NONE, false } },
};

enum spec_media_kind
spec_media_type_classify (const char *media_type, spec_media_info_t *info)
{
  static const spec_media_info_t unknown = { SPEC_MEDIA_UNKNOWN, false,
                                             SPEC_COMPRESSION_NONE, false };
  size_t len;

  if (info)
    *info = unknown;
  if (media_type == NULL)
    return SPEC_MEDIA_UNKNOWN;
  /* "type/subtype; param=value": only the part before ';' names the type. */
  len = strcspn (media_type, ";");
  while (len > 0 && (media_type[len - 1] == ' ' || media_type[len - 1] == '\t'))
    len--;
  for (size_t i = 0; i < sizeof (media_table) / sizeof (media_table[0]); i++)
    {
      const struct media_entry *e = &media_table[i];

      if (strlen (e->name) == len && strncasecmp (e->name, media_type, len) == 0)
        {
          if (info)
            *info = e->info;
          return e->info.kind;
        }
    }
  return SPEC_MEDIA_UNKNOWN;
}

static bool
is_lower_hex (const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return false;
  return s[n] == '\0';
}

int
spec_digest_validate (const char *digest, mc_error_t *err)
{
  cleanup_free char *quoted = NULL;

  if (digest == NULL)
    return mc_error_make (err, 0, "missing digest");
  if (strncmp (digest, "sha256:", 7) == 0 && is_lower_hex (digest + 7, 64))
    return 0;
  if (strncmp (digest, "sha512:", 7) == 0 && is_lower_hex (digest + 7, 128))
    return 0;
  quoted = spec_quote (digest, SPEC_SHOWN_BYTES * 2);
  return mc_error_make (err, 0,
                        "invalid digest %s: expected \"sha256:\" and 64 or "
                        "\"sha512:\" and 128 lowercase hex digits",
                        quoted);
}
