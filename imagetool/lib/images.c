/* images, inspect, tag, rmi and prune over the store's index.json.  */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/images.h"
#include "imagetool/lib/reference.h"

#define DOC_MAX (16u << 20)

static bool
is_hex (const char *s)
{
  for (; *s; s++)
    if (!isxdigit ((unsigned char) *s) || isupper ((unsigned char) *s))
      return false;
  return true;
}

ssize_t
mcimg_image_find (const spec_image_index_t *index, const char *image,
            mc_error_t *err)
{
  cleanup_reference mcimg_reference_t *ref = NULL;
  mc_error_t parse_err = NULL;
  const char *hex = strncmp (image, "sha256:", 7) == 0 ? image + 7 : image;
  ssize_t at = -1;

  if (mcimg_reference_parse (image, &ref, &parse_err) == 0)
    {
      cleanup_free char *name = mcimg_reference_string (ref);
      at = mcimg_index_find (index, name);
      if (at >= 0)
        {
          mc_error_release (&parse_err);
          return at;
        }
    }
  if (strlen (hex) >= 6 && strlen (hex) <= 64 && is_hex (hex))
    for (size_t i = 0; i < index->manifests_len; i++)
      if (strncmp (index->manifests[i].digest, "sha256:", 7) == 0
          && strncmp (index->manifests[i].digest + 7, hex, strlen (hex)) == 0)
        {
          mc_error_release (&parse_err);
          return (ssize_t) i;
        }
  if (parse_err)
    {
      mc_error_release (err);
      *err = parse_err;
      return -1;
    }
  return mc_error_make (err, 0, "image `%s` not in the store", image);
}

struct image_docs
{
  spec_image_manifest_t *manifest;
  spec_image_config_t *config;
  char *manifest_json, *config_json;
  size_t manifest_len, config_len;
};

static void
image_docs_clear (struct image_docs *d)
{
  spec_image_manifest_free (d->manifest);
  spec_image_config_free (d->config);
  free (d->manifest_json);
  free (d->config_json);
  memset (d, 0, sizeof (*d));
}

static int
image_docs_read (mcimg_store_t *store, const spec_descriptor_t *desc,
                 struct image_docs *d, mc_error_t *err)
{
  if (mcimg_store_read_blob (store, desc->digest, DOC_MAX, &d->manifest_json,
                             &d->manifest_len, err) < 0
      || spec_image_manifest_parse (d->manifest_json, d->manifest_len,
                                    desc->digest, &d->manifest, err) < 0
      || mcimg_store_read_blob (store, d->manifest->config->digest, DOC_MAX,
                                &d->config_json, &d->config_len, err) < 0
      || spec_image_config_parse (d->config_json, d->config_len,
                                  d->manifest->config->digest, &d->config,
                                  err) < 0)
    return -1;
  return 0;
}

static int64_t
image_size (const struct image_docs *d)
{
  int64_t size = (int64_t) d->manifest_len + d->manifest->config->size;
  for (size_t i = 0; i < d->manifest->layers_len; i++)
    size += d->manifest->layers[i].size;
  return size;
}

static void
gen_string (yajl_gen g, const char *s)
{
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

int
mcimg_images_list (mcimg_store_t *store, mcimg_images_format_t format,
                   FILE *out, mc_error_t *err)
{
  cleanup_image_index spec_image_index_t *index = NULL;
  yajl_gen g = NULL;

  if (mcimg_store_index_read (store, &index, err) < 0)
    return -1;
  if (format == MCIMG_IMAGES_JSON)
    {
      g = yajl_gen_alloc (NULL);
      yajl_gen_config (g, yajl_gen_beautify, 1);
      yajl_gen_array_open (g);
    }
  else
    fprintf (out, "%-50s %-19s %10s  %s\n", "NAME", "DIGEST", "SIZE",
             "CREATED");
  for (size_t i = 0; i < index->manifests_len; i++)
    {
      const spec_descriptor_t *desc = &index->manifests[i];
      const char *name = mcimg_descriptor_annotation (
          desc, MCIMG_ANNOTATION_REF_NAME);
      struct image_docs d = { 0 };
      mc_error_t e = NULL;
      int64_t size = -1;
      const char *created = "";

      /* One unreadable entry (an index.json edited by hand) must not hide
         the others.  */
      if (image_docs_read (store, desc, &d, &e) == 0)
        {
          size = image_size (&d);
          created = d.config->created ? d.config->created : "";
        }
      else
        mc_error_release (&e);
      if (g)
        {
          yajl_gen_map_open (g);
          gen_string (g, "name");
          gen_string (g, name ? name : "");
          gen_string (g, "digest");
          gen_string (g, desc->digest);
          gen_string (g, "size");
          yajl_gen_integer (g, size);
          gen_string (g, "created");
          gen_string (g, created);
          yajl_gen_map_close (g);
        }
      else
        fprintf (out, "%-50s %.19s %10lld  %s\n", name ? name : "<none>",
                 desc->digest, (long long) size, created);
      image_docs_clear (&d);
    }
  if (g)
    {
      const unsigned char *buf;
      size_t len;
      yajl_gen_array_close (g);
      yajl_gen_get_buf (g, &buf, &len);
      fwrite (buf, 1, len, out);
      yajl_gen_free (g);
    }
  if (fflush (out) != 0)
    return mc_error_make (err, errno, "write the list");
  return 0;
}

int
mcimg_image_inspect (mcimg_store_t *store, const char *image, char **json,
                     mc_error_t *err)
{
  cleanup_image_index spec_image_index_t *index = NULL;
  struct image_docs d = { 0 };
  ssize_t at;

  if (mcimg_store_index_read (store, &index, err) < 0)
    return -1;
  at = mcimg_image_find (index, image, err);
  if (at < 0)
    return -1;
  if (image_docs_read (store, &index->manifests[at], &d, err) < 0)
    {
      image_docs_clear (&d);
      return mc_error_prefix (err, "inspect `%s`", image);
    }
  /* The blobs verbatim: they are JSON already, and stay byte-exact.  */
  *json = xasprintf ("{\"manifest\":%s,\"config\":%s}\n", d.manifest_json,
                     d.config_json);
  image_docs_clear (&d);
  return 0;
}

struct tag_edit
{
  const char *image;
  const char *dst;
};

static int
tag_edit (spec_image_index_t *index, void *data, mc_error_t *err)
{
  struct tag_edit *t = data;
  ssize_t at = mcimg_image_find (index, t->image, err);

  if (at < 0)
    return -1;
  mcimg_index_set (index, t->dst, &index->manifests[at]);
  return 0;
}

int
mcimg_image_tag (mcimg_store_t *store, const char *image, const char *dst,
                 mc_error_t *err)
{
  cleanup_reference mcimg_reference_t *ref = NULL;
  cleanup_free char *name = NULL;
  struct tag_edit t = { image, NULL };

  if (mcimg_reference_parse (dst, &ref, err) < 0)
    return mc_error_prefix (err, "tag");
  name = mcimg_reference_string (ref);
  t.dst = name;
  if (mcimg_store_index_update (store, tag_edit, &t, err) < 0)
    return mc_error_prefix (err, "tag `%s` as `%s`", image, name);
  return 0;
}

static int
remove_edit (spec_image_index_t *index, void *data, mc_error_t *err)
{
  ssize_t at = mcimg_image_find (index, data, err);
  const char *name;

  if (at < 0)
    return -1;
  name = mcimg_descriptor_annotation (&index->manifests[at],
                                      MCIMG_ANNOTATION_REF_NAME);
  if (name == NULL)
    return mc_error_make (err, 0, "entry has no name");
  {
    cleanup_free char *copy = xstrdup (name);
    return mcimg_index_remove (index, copy, err);
  }
}

int
mcimg_image_remove (mcimg_store_t *store, const char *image, mc_error_t *err)
{
  if (mcimg_store_index_update (store, remove_edit, (void *) image, err) < 0)
    return mc_error_prefix (err, "rmi `%s`", image);
  return 0;
}
