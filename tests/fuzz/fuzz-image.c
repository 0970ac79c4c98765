/* libFuzzer target: image index, manifest, config, oci-layout and
   descriptor documents, plus digest validation and media types on the raw
   bytes.  */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec/image.h"
#include "tests/fuzz/round-trip.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A digest that passes validation must be safe as a path component.  */
static void
check_digest (const uint8_t *data, size_t size)
{
  char *s = malloc (size + 1);
  mc_error_t err = NULL;

  memcpy (s, data, size);
  s[size] = '\0';
  if (spec_digest_validate (s, &err) == 0)
    {
      if (strchr (s, '/') || strstr (s, "..") || (strlen (s) != 71 && strlen (s) != 135))
        abort ();
    }
  else
    mc_error_release (&err);
  (void) spec_media_type_classify (s, NULL);
  free (s);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  FUZZ_ROUND_TRIP (spec_image_index_t, spec_image_index_parse,
                   spec_image_index_generate, spec_image_index_free, data, size);
  FUZZ_ROUND_TRIP (spec_image_manifest_t, spec_image_manifest_parse,
                   spec_image_manifest_generate, spec_image_manifest_free, data, size);
  FUZZ_ROUND_TRIP (spec_image_config_t, spec_image_config_parse,
                   spec_image_config_generate, spec_image_config_free, data, size);
  FUZZ_ROUND_TRIP (spec_image_layout_t, spec_image_layout_parse,
                   spec_image_layout_generate, spec_image_layout_free, data, size);
  FUZZ_ROUND_TRIP (spec_descriptor_t, spec_descriptor_parse,
                   spec_descriptor_generate, spec_descriptor_free, data, size);
  check_digest (data, size);
  return 0;
}
