/* mcimg save: one image as an oci-archive (a tar of an OCI image layout,
   what `skopeo copy ... oci-archive:FILE:NAME` reads and writes) or a
   docker-archive (`docker save`'s manifest.json format; the layers are the
   blobs as stored, which docker load and skopeo decompress).  libarchive
   writes the tar.  */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <yajl/yajl_gen.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/images.h"
#include "imagetool/lib/reference.h"

#define DOC_MAX (16u << 20)
#define CHUNK (1u << 16)

/* ---- save ---- */

static int
write_entry_header (struct archive *a, const char *name, mode_t type,
                    int64_t size, mc_error_t *err)
{
  struct archive_entry *e = archive_entry_new ();
  int r;

  archive_entry_set_pathname (e, name);
  archive_entry_set_filetype (e, type);
  archive_entry_set_perm (e, type == AE_IFDIR ? 0755 : 0644);
  archive_entry_set_size (e, type == AE_IFDIR ? 0 : size);
  r = archive_write_header (a, e);
  archive_entry_free (e);
  if (r != ARCHIVE_OK)
    return mc_error_make (err, archive_errno (a) > 0 ? archive_errno (a) : 0,
                          "write `%s`: %s", name, archive_error_string (a));
  return 0;
}

static int
write_mem (struct archive *a, const char *name, const void *data, size_t len,
           mc_error_t *err)
{
  if (write_entry_header (a, name, AE_IFREG, (int64_t) len, err) < 0)
    return -1;
  if (len && archive_write_data (a, data, len) != (la_ssize_t) len)
    return mc_error_make (err, 0, "write `%s`: %s", name,
                          archive_error_string (a));
  return 0;
}

static int
write_blob_as (struct archive *a, mcimg_store_t *store, const char *digest,
               const char *name, mc_error_t *err)
{
  cleanup_free char *buf = xmalloc (CHUNK);
  cleanup_close int fd = mcimg_store_open_blob (store, digest, err);
  struct stat st;
  ssize_t n;

  if (fd < 0)
    return -1;
  if (fstat (fd, &st) < 0)
    return mc_error_make (err, errno, "stat blob %s", digest);
  if (write_entry_header (a, name, AE_IFREG, st.st_size, err) < 0)
    return -1;
  while ((n = read (fd, buf, CHUNK)) > 0)
    if (archive_write_data (a, buf, (size_t) n) != n)
      return mc_error_make (err, 0, "write `%s`: %s", name,
                            archive_error_string (a));
  if (n < 0)
    return mc_error_make (err, errno, "read blob %s", digest);
  return 0;
}

static int
write_blob (struct archive *a, mcimg_store_t *store, const char *digest,
            mc_error_t *err)
{
  cleanup_free char *name = xasprintf ("blobs/sha256/%s", digest + 7);
  return write_blob_as (a, store, digest, name, err);
}

static void
gen_str (yajl_gen g, const char *s)
{
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

/* docker save's layout: CONFIGHEX.json, BLOBHEX/layer.tar, manifest.json
   naming them and the image's tag (none for a by-digest name).  */
static int
write_docker (struct archive *a, mcimg_store_t *store,
              const spec_descriptor_t *desc, const char *name,
              mc_error_t *err)
{
  cleanup_image_manifest spec_image_manifest_t *m = NULL;
  cleanup_free char *mjson = NULL, *cname = NULL;
  const unsigned char *buf;
  size_t mlen, len;
  yajl_gen g;
  int ret = 0;

  if (mcimg_store_read_blob (store, desc->digest, DOC_MAX, &mjson, &mlen, err)
          < 0
      || spec_image_manifest_parse (mjson, mlen, desc->digest, &m, err) < 0
      || mcimg_digest_validate (m->config->digest, err) < 0)
    return -1;
  cname = xasprintf ("%s.json", m->config->digest + 7);
  if (write_blob_as (a, store, m->config->digest, cname, err) < 0)
    return -1;
  g = yajl_gen_alloc (NULL);
  yajl_gen_array_open (g);
  yajl_gen_map_open (g);
  gen_str (g, "Config");
  gen_str (g, cname);
  gen_str (g, "RepoTags");
  yajl_gen_array_open (g);
  if (strchr (name, '@') == NULL)
    gen_str (g, name);
  yajl_gen_array_close (g);
  gen_str (g, "Layers");
  yajl_gen_array_open (g);
  for (size_t i = 0; ret == 0 && i < m->layers_len; i++)
    {
      cleanup_free char *dir = NULL, *lname = NULL;
      if (mcimg_digest_validate (m->layers[i].digest, err) < 0)
        {
          ret = -1;
          break;
        }
      dir = xstrdup (m->layers[i].digest + 7);
      lname = xasprintf ("%s/layer.tar", dir);
      ret = write_entry_header (a, dir, AE_IFDIR, 0, err);
      if (ret == 0)
        ret = write_blob_as (a, store, m->layers[i].digest, lname, err);
      gen_str (g, lname);
    }
  yajl_gen_array_close (g);
  yajl_gen_map_close (g);
  yajl_gen_array_close (g);
  yajl_gen_get_buf (g, &buf, &len);
  if (ret == 0)
    ret = write_mem (a, "manifest.json", buf, len, err);
  yajl_gen_free (g);
  return ret;
}

/* The archive's documents: a layout holding one entry named `name`.  */
static int
write_layout (struct archive *a, mcimg_store_t *store,
              const spec_descriptor_t *desc, const char *name,
              mc_error_t *err)
{
  static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
  cleanup_image_index spec_image_index_t *index = xzalloc (sizeof (*index));
  cleanup_image_manifest spec_image_manifest_t *m = NULL;
  cleanup_free char *mjson = NULL, *ijson = NULL;
  size_t mlen, ilen;

  index->schema_version = 2;
  index->media_type = xstrdup (SPEC_MEDIA_OCI_INDEX);
  mcimg_index_set (index, name, desc);
  if (mcimg_store_read_blob (store, desc->digest, DOC_MAX, &mjson, &mlen, err)
          < 0
      || spec_image_manifest_parse (mjson, mlen, desc->digest, &m, err) < 0
      || spec_image_index_generate (index, false, &ijson, &ilen, err) < 0)
    return -1;
  if (write_mem (a, "oci-layout", layout, sizeof layout - 1, err) < 0
      || write_mem (a, "index.json", ijson, ilen, err) < 0
      || write_entry_header (a, "blobs", AE_IFDIR, 0, err) < 0
      || write_entry_header (a, "blobs/sha256", AE_IFDIR, 0, err) < 0
      || write_blob (a, store, desc->digest, err) < 0
      || write_blob (a, store, m->config->digest, err) < 0)
    return -1;
  for (size_t i = 0; i < m->layers_len; i++)
    if (mcimg_digest_validate (m->layers[i].digest, err) < 0
        || write_blob (a, store, m->layers[i].digest, err) < 0)
      return -1;
  return 0;
}

int
mcimg_image_save (mcimg_store_t *store, const char *image,
                  mcimg_archive_format_t format, const char *path,
                  mc_error_t *err)
{
  cleanup_image_index spec_image_index_t *index = NULL;
  cleanup_free char *tmp = xasprintf ("%s.tmp.%d", path, (int) getpid ());
  cleanup_free char *name = NULL;
  struct archive *a;
  ssize_t at;
  int ret;

  if (mcimg_store_index_read (store, &index, err) < 0)
    return mc_error_prefix (err, "save `%s`", image);
  at = mcimg_image_find (index, image, err);
  if (at < 0)
    return mc_error_prefix (err, "save `%s`", image);
  name = xstrdup (mcimg_descriptor_annotation (&index->manifests[at],
                                               MCIMG_ANNOTATION_REF_NAME));
  a = archive_write_new ();
  if (archive_write_set_format_pax_restricted (a) != ARCHIVE_OK
      || archive_write_open_filename (a, tmp) != ARCHIVE_OK)
    ret = mc_error_make (err, archive_errno (a) > 0 ? archive_errno (a) : 0,
                         "create `%s`: %s", tmp, archive_error_string (a));
  else
    {
      ret = format == MCIMG_ARCHIVE_DOCKER
                ? write_docker (a, store, &index->manifests[at], name, err)
                : write_layout (a, store, &index->manifests[at], name, err);
      if (archive_write_close (a) != ARCHIVE_OK && ret == 0)
        ret = mc_error_make (err, 0, "write `%s`: %s", tmp,
                             archive_error_string (a));
    }
  archive_write_free (a);
  if (ret == 0 && rename (tmp, path) < 0)
    ret = mc_error_make (err, errno, "rename `%s` to `%s`", tmp, path);
  if (ret < 0)
    {
      unlink (tmp);
      return mc_error_prefix (err, "save `%s`", image);
    }
  return 0;
}
