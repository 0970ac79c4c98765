/* mcimg load: import an oci-archive or a docker-archive.  The tar is read
   once, in its own order: files are staged under tmp/load-XXXXXX, named by
   their sha256 computed on the way (an OCI layout's blobs/sha256/HEX is
   refused unless its content has that digest); index.json or manifest.json
   is kept in memory.  A docker-archive image gets an OCI manifest made for
   its config and layers.  Then each named image is imported like a pull
   does it: layers (blob moved in, tree unpacked and checked against its
   diff_id), config, manifest, index.json last.  */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <yajl/yajl_tree.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/images.h"
#include "imagetool/lib/reference.h"
#include "imagetool/lib/unpack.h"

#define DOC_MAX (16u << 20)
#define CHUNK (1u << 16)

struct staged_file
{
  char *path;  /* as named in the archive (docker-archive) */
  char hex[65]; /* its sha256: the name under the staging directory */
};

struct load
{
  mcimg_store_t *store;
  char *stage_path; /* ROOT/tmp/load-XXXXXX */
  int stage_fd;
  char *index_json; /* oci-archive */
  size_t index_len;
  char *docker_json; /* docker-archive: manifest.json */
  size_t docker_len;
  struct staged_file *files; /* docker-archive: path -> sha256 */
  size_t n_files;
  size_t n_staged; /* numbers the temporary names */
  bool unpack;
};

static int
read_small (struct archive *a, const char *name, char **out, size_t *len,
            mc_error_t *err)
{
  char buf[CHUNK];
  la_ssize_t n;

  *len = 0;
  while ((n = archive_read_data (a, buf, sizeof buf)) > 0)
    {
      if (*len + (size_t) n > DOC_MAX)
        return mc_error_make (err, EFBIG, "`%s`", name);
      *out = xrealloc (*out, *len + (size_t) n + 1);
      memcpy (*out + *len, buf, (size_t) n);
      *len += (size_t) n;
    }
  if (n < 0)
    return mc_error_make (err, 0, "read `%s`: %s", name,
                          archive_error_string (a));
  if (*out == NULL)
    *out = xstrdup ("");
  (*out)[*len] = '\0';
  return 0;
}

static void
hex_of (const unsigned char raw[32], char out[65])
{
  for (unsigned i = 0; i < 32; i++)
    snprintf (out + 2 * i, 3, "%02x", raw[i]);
}

/* Copy the entry's data to STAGE/HEX, HEX its sha256, which must equal
   `expected` when that is given (the blobs/sha256/ of an OCI layout); other
   files are recorded under their archive path.  */
static int
stage_file (struct load *l, struct archive *a, const char *path,
            const char *expected, mc_error_t *err)
{
  cleanup_free char *tmp = xasprintf ("in-%zu", l->n_staged++);
  cleanup_close int fd = -1;
  EVP_MD_CTX *md = NULL;
  unsigned char raw[EVP_MAX_MD_SIZE];
  char got[65];
  unsigned len = 0;
  char buf[CHUNK];
  la_ssize_t n;
  int ret = -1;

  if (expected)
    {
      cleanup_free char *digest = xasprintf ("sha256:%s", expected);
      if (mcimg_digest_validate (digest, err) < 0)
        return mc_error_prefix (err, "`%s`", path);
    }
  fd = openat (l->stage_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
               0644);
  if (fd < 0)
    return mc_error_make (err, errno, "stage `%s`", path);
  md = EVP_MD_CTX_new ();
  if (md == NULL || EVP_DigestInit_ex (md, EVP_sha256 (), NULL) != 1)
    goto out;
  while ((n = archive_read_data (a, buf, sizeof buf)) > 0)
    if (EVP_DigestUpdate (md, buf, (size_t) n) != 1
        || mc_write_all (fd, buf, (size_t) n) < 0)
      {
        mc_error_make (err, errno, "stage `%s`", path);
        goto out;
      }
  if (n < 0)
    {
      mc_error_make (err, 0, "read `%s`: %s", path, archive_error_string (a));
      goto out;
    }
  if (EVP_DigestFinal_ex (md, raw, &len) != 1 || len != 32)
    goto out;
  hex_of (raw, got);
  if (expected && strcmp (got, expected) != 0)
    {
      mc_error_make (err, 0, "blob sha256:%s: digest mismatch: the content "
                     "is sha256:%s", expected, got);
      goto out;
    }
  if (fsync (fd) < 0 || renameat (l->stage_fd, tmp, l->stage_fd, got) < 0)
    {
      mc_error_make (err, errno, "stage `%s`", path);
      goto out;
    }
  if (expected == NULL)
    {
      l->files = xgrow (l->files, l->n_files, sizeof (*l->files));
      l->files[l->n_files].path = xstrdup (path);
      memcpy (l->files[l->n_files].hex, got, sizeof got);
      l->n_files++;
    }
  ret = 0;
out:
  if (ret < 0 && *err == NULL)
    mc_error_make (err, 0, "sha256 of `%s`", path);
  EVP_MD_CTX_free (md);
  return ret;
}

static int
read_archive (struct load *l, const char *path, mc_error_t *err)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *e;
  int r, ret = 0;

  archive_read_support_filter_all (a);
  archive_read_support_format_tar (a);
  if (archive_read_open_filename (a, path, CHUNK) != ARCHIVE_OK)
    {
      ret = mc_error_make (err, archive_errno (a) > 0 ? archive_errno (a) : 0,
                           "open `%s`: %s", path, archive_error_string (a));
      archive_read_free (a);
      return ret;
    }
  while (ret == 0 && (r = archive_read_next_header (a, &e)) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (e);
      while (name && (strncmp (name, "./", 2) == 0 || *name == '/'))
        name += *name == '/' ? 1 : 2;
      if (name == NULL || archive_entry_filetype (e) != AE_IFREG)
        continue;
      if (strcmp (name, "index.json") == 0)
        ret = read_small (a, name, &l->index_json, &l->index_len, err);
      else if (strcmp (name, "manifest.json") == 0)
        ret = read_small (a, name, &l->docker_json, &l->docker_len, err);
      else if (strncmp (name, "blobs/sha256/", 13) == 0
               && strchr (name + 13, '/') == NULL)
        ret = stage_file (l, a, name, name + 13, err);
      else if (strcmp (name, "oci-layout") != 0
               && strcmp (name, "repositories") != 0)
        ret = stage_file (l, a, name, NULL, err);
    }
  if (ret == 0 && r != ARCHIVE_EOF)
    ret = mc_error_make (err, 0, "read `%s`: %s", path,
                         archive_error_string (a));
  archive_read_free (a);
  if (ret == 0 && l->index_json == NULL && l->docker_json == NULL)
    ret = mc_error_make (err, 0, "`%s` is neither an oci-archive nor a "
                         "docker-archive (no index.json, no manifest.json)",
                         path);
  return ret < 0 ? -1 : 0;
}

/* Move a staged blob into the store (or drop it when the store has it). */
static int
take_blob (struct load *l, const char *digest, mc_error_t *err)
{
  cleanup_free char *to = xasprintf ("blobs/sha256/%s", digest + 7);
  int root = mcimg_store_dirfd (l->store);

  if (mcimg_store_has_blob (l->store, digest))
    return 0;
  if (renameat (l->stage_fd, digest + 7, root, to) < 0)
    return mc_error_make (err, errno == ENOENT ? 0 : errno,
                          "blob %s is not in the archive", digest);
  return 0;
}

static int
read_doc (struct load *l, const char *digest, char **out, size_t *len,
          mc_error_t *err)
{
  if (mcimg_store_has_blob (l->store, digest))
    return mcimg_store_read_blob (l->store, digest, DOC_MAX, out, len, err);
  if (mc_read_file_at (l->stage_fd, digest + 7, DOC_MAX, out, len, err) < 0)
    return mc_error_prefix (err, "blob %s (not in the archive?)", digest);
  return 0;
}

static int
import_layer (struct load *l, const char *digest, const char *diff_id,
              mc_error_t *err)
{
  cleanup_free char *bl = xasprintf ("blob-%s", digest + 7);
  cleanup_free char *ll = xasprintf ("layer-%s", diff_id + 7);
  mcimg_unpack_options_t o = { .mode = MCIMG_UNPACK_OVERLAY,
                               .flags = MCIMG_UNPACK_SYNC };
  int blob_lock, layer_lock = -1, dirfd = -1, fd = -1, ret;

  if (geteuid () != 0)
    o.flags |= MCIMG_UNPACK_NO_CHOWN;
  blob_lock = mcimg_store_lock (l->store, bl, err);
  if (blob_lock < 0)
    return -1;
  ret = take_blob (l, digest, err);
  if (ret == 0 && l->unpack)
    {
      layer_lock = mcimg_store_lock (l->store, ll, err);
      ret = layer_lock < 0 ? -1 : 0;
    }
  if (ret == 0 && l->unpack && !mcimg_store_has_layer (l->store, diff_id))
    {
      dirfd = mcimg_store_layer_dir (l->store, diff_id, err);
      fd = dirfd < 0 ? -1 : mcimg_store_open_blob (l->store, digest, err);
      ret = fd < 0 ? -1
                   : mcimg_unpack_layer_fd (fd, diff_id, dirfd, "diff", &o,
                                            NULL, err);
      if (ret == 0)
        ret = mcimg_store_layer_finish (l->store, diff_id, err);
      else
        mcimg_store_layer_abandon (l->store, diff_id);
    }
  if (fd >= 0)
    close (fd);
  if (dirfd >= 0)
    close (dirfd);
  mcimg_store_unlock (layer_lock);
  mcimg_store_unlock (blob_lock);
  return ret < 0 ? mc_error_prefix (err, "layer %s", digest) : 0;
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

static int
import_image (struct load *l, const spec_descriptor_t *desc, char **name_out,
              mc_error_t *err)
{
  const char *ref_name = mcimg_descriptor_annotation (
      desc, MCIMG_ANNOTATION_REF_NAME);
  cleanup_reference mcimg_reference_t *ref = NULL;
  cleanup_free char *name = NULL, *mjson = NULL, *cjson = NULL;
  cleanup_image_manifest spec_image_manifest_t *m = NULL;
  cleanup_image_config spec_image_config_t *c = NULL;
  size_t mlen, clen;

  if (ref_name == NULL)
    return mc_error_make (err, 0, "manifest %s has no name", desc->digest);
  if (mcimg_reference_parse (ref_name, &ref, err) < 0)
    return -1;
  name = mcimg_reference_string (ref);
  if (mcimg_digest_validate (desc->digest, err) < 0)
    return mc_error_prefix (err, "`%s`", name);
  if (spec_media_type_classify (desc->media_type, NULL) != SPEC_MEDIA_MANIFEST)
    return mc_error_make (err, 0, "`%s`: not an image manifest (`%s`)", name,
                          desc->media_type);
  if (read_doc (l, desc->digest, &mjson, &mlen, err) < 0
      || spec_image_manifest_parse (mjson, mlen, desc->digest, &m, err) < 0
      || mcimg_digest_validate (m->config->digest, err) < 0
      || read_doc (l, m->config->digest, &cjson, &clen, err) < 0
      || spec_image_config_parse (cjson, clen, m->config->digest, &c, err) < 0)
    return mc_error_prefix (err, "`%s`", name);
  if (c->rootfs == NULL || c->rootfs->diff_ids_len != m->layers_len)
    return mc_error_make (err, 0, "`%s`: config has %zu diff_ids for %zu "
                          "layers", name,
                          c->rootfs ? c->rootfs->diff_ids_len : 0,
                          m->layers_len);
  for (size_t i = 0; i < m->layers_len; i++)
    if (mcimg_digest_validate (m->layers[i].digest, err) < 0
        || mcimg_digest_validate (c->rootfs->diff_ids[i], err) < 0
        || import_layer (l, m->layers[i].digest, c->rootfs->diff_ids[i], err)
               < 0)
      return mc_error_prefix (err, "`%s`", name);
  if (take_blob (l, m->config->digest, err) < 0
      || take_blob (l, desc->digest, err) < 0)
    return mc_error_prefix (err, "`%s`", name);
  {
    struct index_entry e = { name, desc };
    if (mcimg_store_index_update (l->store, set_entry, &e, err) < 0)
      return -1;
  }
  *name_out = steal_ptr (&name);
  return 0;
}

/* ---- docker-archive ---- */

static const char *
staged_hex (const struct load *l, const char *path)
{
  while (strncmp (path, "./", 2) == 0)
    path += 2;
  for (size_t i = 0; i < l->n_files; i++)
    if (strcmp (l->files[i].path, path) == 0)
      return l->files[i].hex;
  return NULL;
}

/* A descriptor for a staged file; the layer's media type from its magic. */
static int
staged_descriptor (struct load *l, const char *path, bool layer,
                   spec_descriptor_t *d, mc_error_t *err)
{
  const char *hex = staged_hex (l, path);
  unsigned char magic[4] = { 0 };
  cleanup_close int fd = -1;
  struct stat st;

  if (hex == NULL)
    return mc_error_make (err, 0, "`%s` is not in the archive", path);
  fd = openat (l->stage_fd, hex, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) < 0)
    return mc_error_make (err, errno, "open staged `%s`", path);
  if (read (fd, magic, sizeof magic) < 0)
    return mc_error_make (err, errno, "read staged `%s`", path);
  d->digest = xasprintf ("sha256:%s", hex);
  d->size = st.st_size;
  if (!layer)
    d->media_type = xstrdup (SPEC_MEDIA_OCI_CONFIG);
  else if (magic[0] == 0x1f && magic[1] == 0x8b)
    d->media_type = xstrdup (SPEC_MEDIA_OCI_LAYER_GZIP);
  else if (memcmp (magic, "\x28\xb5\x2f\xfd", 4) == 0)
    d->media_type = xstrdup (SPEC_MEDIA_OCI_LAYER_ZSTD);
  else
    d->media_type = xstrdup (SPEC_MEDIA_OCI_LAYER_TAR);
  return 0;
}

static const char *
json_string (yajl_val obj, const char *key)
{
  const char *path[] = { key, NULL };
  yajl_val v = yajl_tree_get (obj, path, yajl_t_string);
  return v ? YAJL_GET_STRING (v) : NULL;
}

static yajl_val
json_array (yajl_val obj, const char *key)
{
  const char *path[] = { key, NULL };
  return yajl_tree_get (obj, path, yajl_t_array);
}

/* A docker-archive has no manifest: make an OCI one (the media types
   skopeo's oci: transport accepts in index.json) for the staged config and
   layers, stored as they are, compressed or not; stage it and return its
   descriptor.  */
static int
docker_manifest (struct load *l, yajl_val item, spec_descriptor_t *desc,
                 mc_error_t *err)
{
  cleanup_image_manifest spec_image_manifest_t *m = xzalloc (sizeof (*m));
  yajl_val layers = json_array (item, "Layers");
  const char *config = json_string (item, "Config");
  cleanup_free char *json = NULL;
  unsigned char raw[EVP_MAX_MD_SIZE];
  unsigned rawlen = 0;
  char hex[65];
  size_t len;

  if (config == NULL || layers == NULL)
    return mc_error_make (err, 0, "manifest.json: an entry lacks Config or "
                          "Layers");
  m->schema_version = 2;
  m->media_type = xstrdup (SPEC_MEDIA_OCI_MANIFEST);
  m->config = xzalloc (sizeof (*m->config));
  m->layers = xcalloc (layers->u.array.len + 1, sizeof (*m->layers));
  if (staged_descriptor (l, config, false, m->config, err) < 0)
    return -1;
  for (size_t i = 0; i < layers->u.array.len; i++)
    {
      yajl_val v = layers->u.array.values[i];
      if (!YAJL_IS_STRING (v))
        return mc_error_make (err, 0, "manifest.json: Layers[%zu] is not a "
                              "string", i);
      m->layers_len++;
      if (staged_descriptor (l, YAJL_GET_STRING (v), true, &m->layers[i], err)
          < 0)
        return -1;
    }
  if (spec_image_manifest_generate (m, false, &json, &len, err) < 0)
    return -1;
  if (EVP_Digest (json, len, raw, &rawlen, EVP_sha256 (), NULL) != 1
      || rawlen != 32)
    return mc_error_make (err, 0, "sha256 of the manifest");
  hex_of (raw, hex);
  if (mc_write_file_atomic_at (l->stage_fd, hex, json, len, 0644, 1, err) < 0)
    return -1;
  desc->media_type = xstrdup (SPEC_MEDIA_OCI_MANIFEST);
  desc->digest = xasprintf ("sha256:%s", hex);
  desc->size = (int64_t) len;
  return 0;
}

static int
load_docker (struct load *l, char ***loaded, size_t *n_loaded,
             mc_error_t *err)
{
  char errbuf[256];
  yajl_val root = yajl_tree_parse (l->docker_json, errbuf, sizeof errbuf);
  int ret = 0;

  if (root == NULL || !YAJL_IS_ARRAY (root) || root->u.array.len == 0)
    {
      yajl_tree_free (root);
      return mc_error_make (err, 0, "manifest.json: not a list of images");
    }
  for (size_t i = 0; ret == 0 && i < root->u.array.len; i++)
    {
      yajl_val item = root->u.array.values[i];
      yajl_val tags = json_array (item, "RepoTags");
      spec_descriptor_t desc = { 0 };
      spec_kv_t name = { (char *) MCIMG_ANNOTATION_REF_NAME, NULL };

      if (tags == NULL || tags->u.array.len == 0)
        ret = mc_error_make (err, 0, "manifest.json: image %zu has no "
                             "RepoTags", i);
      if (ret == 0)
        ret = docker_manifest (l, item, &desc, err);
      desc.annotations = &name;
      desc.annotations_len = 1;
      for (size_t t = 0; ret == 0 && t < tags->u.array.len; t++)
        {
          if (!YAJL_IS_STRING (tags->u.array.values[t]))
            {
              ret = mc_error_make (err, 0, "manifest.json: a RepoTag is not "
                                   "a string");
              break;
            }
          name.value = YAJL_GET_STRING (tags->u.array.values[t]);
          *loaded = xgrow (*loaded, *n_loaded + 1, sizeof (**loaded));
          (*loaded)[*n_loaded + 1] = NULL;
          ret = import_image (l, &desc, &(*loaded)[*n_loaded], err);
          if (ret == 0)
            ++*n_loaded;
        }
      free (desc.media_type);
      free (desc.digest);
    }
  yajl_tree_free (root);
  return ret;
}

int
mcimg_image_load (mcimg_store_t *store, const char *path, bool unpack,
                  char ***names, mc_error_t *err)
{
  struct load l = { .store = store, .stage_fd = -1, .unpack = unpack };
  cleanup_image_index spec_image_index_t *index = NULL;
  cleanup_error mc_error_t ignored = NULL;
  char **loaded = xcalloc (1, sizeof (char *));
  size_t n_loaded = 0;
  int pull_lock, ret = -1;

  /* Held shared like a pull, so prune leaves the staging area alone.  */
  pull_lock = mcimg_store_lock_mode (store, "pull", true, err);
  if (pull_lock < 0)
    goto out;
  l.stage_path = xasprintf ("%s/tmp/load-XXXXXX", mcimg_store_root (store));
  if (mkdtemp (l.stage_path) == NULL)
    {
      mc_error_make (err, errno, "create `%s`", l.stage_path);
      free (l.stage_path);
      l.stage_path = NULL;
      goto out;
    }
  l.stage_fd = open (l.stage_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (l.stage_fd < 0)
    {
      mc_error_make (err, errno, "open `%s`", l.stage_path);
      goto out;
    }
  if (read_archive (&l, path, err) < 0)
    goto out;
  if (l.index_json == NULL)
    {
      ret = load_docker (&l, &loaded, &n_loaded, err);
      goto out;
    }
  if (spec_image_index_parse (l.index_json, l.index_len, "index.json",
                              &index, err) < 0)
    goto out;
  if (index->manifests_len == 0)
    {
      mc_error_make (err, 0, "no image in the archive");
      goto out;
    }
  for (size_t i = 0; i < index->manifests_len; i++)
    {
      loaded = xgrow (loaded, n_loaded + 1, sizeof (*loaded));
      loaded[n_loaded + 1] = NULL;
      if (import_image (&l, &index->manifests[i], &loaded[n_loaded], err) < 0)
        goto out;
      n_loaded++;
    }
  ret = 0;
out:
  if (l.stage_fd >= 0)
    close (l.stage_fd);
  if (l.stage_path)
    mc_rm_rf_at (AT_FDCWD, l.stage_path, &ignored);
  free (l.stage_path);
  free (l.index_json);
  free (l.docker_json);
  for (size_t i = 0; i < l.n_files; i++)
    free (l.files[i].path);
  free (l.files);
  mcimg_store_unlock (pull_lock);
  if (ret == 0 && names)
    *names = loaded;
  else
    {
      for (size_t i = 0; i < n_loaded; i++)
        free (loaded[i]);
      free (loaded);
    }
  if (ret < 0)
    return mc_error_prefix (err, "load `%s`", path);
  return 0;
}
