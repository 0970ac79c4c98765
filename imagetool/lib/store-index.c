/* index.json manipulation for the store: pure functions on
   spec_image_index_t, unit-tested in tests/unit/store-index-test.c.  */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "imagetool/lib/store.h"

const char *
mcimg_descriptor_annotation (const spec_descriptor_t *desc, const char *key)
{
  for (size_t i = 0; i < desc->annotations_len; i++)
    if (strcmp (desc->annotations[i].key, key) == 0)
      return desc->annotations[i].value;
  return NULL;
}

ssize_t
mcimg_index_find (const spec_image_index_t *index, const char *name)
{
  for (size_t i = 0; i < index->manifests_len; i++)
    {
      const char *n = mcimg_descriptor_annotation (&index->manifests[i],
                                                   MCIMG_ANNOTATION_REF_NAME);
      if (n && strcmp (n, name) == 0)
        return (ssize_t) i;
    }
  return -1;
}

/* Free what one array element owns.  The spec tables are private to spec/,
   so the element is handed to the index destructor inside a one-entry
   index.  */
static void
descriptor_clear (spec_descriptor_t *desc)
{
  spec_image_index_t *tmp = xzalloc (sizeof (*tmp));
  tmp->manifests = xmalloc (sizeof (*desc));
  tmp->manifests[0] = *desc;
  tmp->manifests_len = 1;
  spec_image_index_free (tmp);
  memset (desc, 0, sizeof (*desc));
}

/* Deep copy through the generator and parser, which know every field.  */
static void
descriptor_copy (spec_descriptor_t *dst, const spec_descriptor_t *src)
{
  mc_error_t err = NULL;
  cleanup_free char *json = NULL;
  spec_descriptor_t *copy = NULL;
  size_t len;

  if (spec_descriptor_generate (src, false, &json, &len, &err) < 0
      || spec_descriptor_parse (json, len, "descriptor", &copy, &err) < 0)
    abort (); /* a descriptor we hold always round-trips */
  *dst = *copy;
  free (copy);
}

static void
set_annotation (spec_descriptor_t *desc, const char *key, const char *value)
{
  for (size_t i = 0; i < desc->annotations_len; i++)
    if (strcmp (desc->annotations[i].key, key) == 0)
      {
        free (desc->annotations[i].value);
        desc->annotations[i].value = xstrdup (value);
        return;
      }
  desc->annotations = xgrow (desc->annotations, desc->annotations_len,
                             sizeof (*desc->annotations));
  desc->annotations[desc->annotations_len++]
      = (spec_kv_t) { xstrdup (key), xstrdup (value) };
}

void
mcimg_index_set (spec_image_index_t *index, const char *name,
                 const spec_descriptor_t *desc)
{
  ssize_t at = mcimg_index_find (index, name);
  spec_descriptor_t copy;

  descriptor_copy (&copy, desc);
  set_annotation (&copy, MCIMG_ANNOTATION_REF_NAME, name);
  if (at >= 0)
    {
      descriptor_clear (&index->manifests[at]);
      index->manifests[at] = copy;
      return;
    }
  index->manifests = xgrow (index->manifests, index->manifests_len,
                            sizeof (*index->manifests));
  index->manifests[index->manifests_len++] = copy;
}

int
mcimg_index_remove (spec_image_index_t *index, const char *name,
                    mc_error_t *err)
{
  ssize_t at = mcimg_index_find (index, name);

  if (at < 0)
    return mc_error_make (err, 0, "image `%s` not in the store", name);
  descriptor_clear (&index->manifests[at]);
  memmove (&index->manifests[at], &index->manifests[at + 1],
           (index->manifests_len - (size_t) at - 1)
               * sizeof (*index->manifests));
  index->manifests_len--;
  return 0;
}
