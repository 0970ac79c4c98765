/* The layer pipeline: source bytes -> decompress -> sha256 -> tar -> disk,
   in one pass and without copying the data between stages.

   Two libarchive readers are chained.  The first has the gzip and zstd
   filters (picked by magic, whatever the media type claimed) and the "raw"
   format, so its data blocks are the decompressed stream.  The second
   reads tar from a callback that takes those blocks, hashes them and hands
   the very same buffer on.  The diff_id covers the whole uncompressed
   stream, so what the tar reader leaves after the end-of-archive marker
   (padding) is drained and hashed too.  */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/unpack.h"

/* Large reads: fewer syscalls and callback round trips; the decompressors
   and the tar reader work on whole blocks.  */
#define SOURCE_BLOCK_SIZE (1024 * 1024)
#define DIGEST_PREFIX "sha256:"
#define DIGEST_LEN (sizeof (DIGEST_PREFIX) - 1 + 64)

static void
archive_freep (struct archive **a)
{
  if (*a)
    archive_read_free (*a);
}

static void
md_freep (EVP_MD_CTX **md)
{
  if (*md)
    EVP_MD_CTX_free (*md);
}

#define cleanup_archive __attribute__ ((cleanup (archive_freep)))
#define cleanup_md __attribute__ ((cleanup (md_freep)))

typedef struct
{
  mcimg_unpack_read_fn read_fn;
  void *read_data;
  char *buf;
  mc_error_t err;           /* the source's own error, reported as is */
} source_t;

typedef struct
{
  struct archive *raw;      /* decompressing reader */
  EVP_MD_CTX *md;
  uint64_t size;            /* uncompressed bytes so far */
  uint64_t max_size;
} tee_t;

static la_ssize_t
source_read (struct archive *a, void *data, const void **buf)
{
  source_t *s = data;
  ssize_t n = s->read_fn (s->read_data, s->buf, SOURCE_BLOCK_SIZE, &s->err);

  if (n < 0)
    {
      archive_set_error (a, EIO, "layer source failed");
      return -1;
    }
  *buf = s->buf;
  return n;
}

/* Next decompressed block, hashed: 0 at the end, -1 on error.  */
static la_ssize_t
tee_next (tee_t *t, struct archive *reporter, const void **buf)
{
  size_t len;
  la_int64_t offset;
  int r = archive_read_data_block (t->raw, buf, &len, &offset);

  if (r == ARCHIVE_EOF)
    return 0;
  if (r != ARCHIVE_OK)
    {
      archive_set_error (reporter, archive_errno (t->raw) > 0
                         ? archive_errno (t->raw) : EIO,
                         "decompress: %s", archive_error_string (t->raw));
      return -1;
    }
  t->size += len;
  /* A decompression bomb stops here, before its bytes reach the disk.  */
  if (t->max_size && t->size > t->max_size)
    {
      char msg[80];

      /* (archive_set_error has its own printf without %llu.)  */
      snprintf (msg, sizeof (msg), "uncompressed layer larger than %llu bytes",
                (unsigned long long) t->max_size);
      archive_set_error (reporter, EFBIG, "%s", msg);
      return -1;
    }
  if (EVP_DigestUpdate (t->md, *buf, len) != 1)
    {
      archive_set_error (reporter, EIO, "sha256 update failed");
      return -1;
    }
  return (la_ssize_t) len;
}

static la_ssize_t
tar_read (struct archive *a, void *data, const void **buf)
{
  return tee_next (data, a, buf);
}

static int
valid_diff_id (const char *s)
{
  if (strlen (s) != DIGEST_LEN || strncmp (s, DIGEST_PREFIX, strlen (DIGEST_PREFIX)) != 0)
    return 0;
  for (s += strlen (DIGEST_PREFIX); *s; s++)
    if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
      return 0;
  return 1;
}

static char *
digest_string (EVP_MD_CTX *md)
{
  unsigned char raw[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  char *out = xmalloc (DIGEST_LEN + 1), *p;

  if (EVP_DigestFinal_ex (md, raw, &len) != 1 || len != 32)
    {
      free (out);
      return NULL;
    }
  p = stpcpy (out, DIGEST_PREFIX);
  for (unsigned i = 0; i < len; i++)
    p += sprintf (p, "%02x", raw[i]);
  return out;
}

/* Replace the error libarchive reported about a failing source by the
   source's own error, which says what actually went wrong.  */
static int
source_error (source_t *src, mc_error_t *err)
{
  mc_error_release (err);
  *err = steal_ptr (&src->err);
  return mc_error_prefix (err, "read layer");
}

int
mcimg_unpack_stream (mcimg_unpack_read_fn read_fn, void *read_data,
                     const char *expected_diff_id, int root_dirfd,
                     const mcimg_unpack_options_t *opts,
                     mcimg_unpack_stats_t *stats, char **diff_id_out,
                     mc_error_t *err)
{
  cleanup_free char *buf = xmalloc (SOURCE_BLOCK_SIZE);
  cleanup_free char *digest = NULL;
  cleanup_archive struct archive *raw = NULL;
  cleanup_archive struct archive *tar = NULL;
  cleanup_md EVP_MD_CTX *md = NULL;
  source_t src = { .read_fn = read_fn, .read_data = read_data, .buf = buf };
  tee_t tee = { .max_size = opts ? opts->max_size : 0 };
  struct archive_entry *raw_entry;
  const void *rest;
  la_ssize_t n;

  if (expected_diff_id && !valid_diff_id (expected_diff_id))
    return mc_error_make (err, EINVAL, "invalid diff_id `%s`", expected_diff_id);
  md = EVP_MD_CTX_new ();
  if (md == NULL || EVP_DigestInit_ex (md, EVP_sha256 (), NULL) != 1)
    return mc_error_make (err, ENOMEM, "sha256 init failed");
  tee.md = md;

  /* Only the in-process decompressors: filter_all would also bid external
     programs (lrzip, grzip...) on hostile input.  */
  raw = archive_read_new ();
  tar = archive_read_new ();
  if (raw == NULL || tar == NULL)
    xoom ();
  if (archive_read_support_filter_gzip (raw) != ARCHIVE_OK
      || archive_read_support_filter_zstd (raw) != ARCHIVE_OK
      || archive_read_support_format_raw (raw) != ARCHIVE_OK
      || archive_read_support_format_tar (tar) != ARCHIVE_OK)
    return mc_error_make (err, ENOTSUP, "libarchive lacks gzip/zstd/tar "
                          "support: %s", archive_error_string (raw));
  if (archive_read_open (raw, &src, NULL, source_read, NULL) != ARCHIVE_OK
      || archive_read_next_header (raw, &raw_entry) != ARCHIVE_OK)
    {
      if (src.err)
        return source_error (&src, err);
      return mc_error_make (err, 0, "open layer stream: %s",
                            archive_error_string (raw));
    }
  tee.raw = raw;
  if (archive_read_open (tar, &tee, NULL, tar_read, NULL) != ARCHIVE_OK)
    {
      if (src.err)
        return source_error (&src, err);
      return mc_error_make (err, archive_errno (tar) > 0 ? archive_errno (tar) : 0,
                            "open tar stream: %s", archive_error_string (tar));
    }

  if (mcimg_unpack_tar (tar, root_dirfd, opts, stats, err) < 0)
    {
      if (src.err)
        return source_error (&src, err);
      return -1;
    }
  while ((n = tee_next (&tee, tar, &rest)) > 0)
    ;
  if (n < 0)
    {
      if (src.err)
        return source_error (&src, err);
      return mc_error_make (err, 0, "read layer: %s", archive_error_string (tar));
    }

  digest = digest_string (md);
  if (digest == NULL)
    return mc_error_make (err, EIO, "sha256 final failed");
  if (expected_diff_id && strcmp (digest, expected_diff_id) != 0)
    return mc_error_make (err, 0, "layer diff_id mismatch: expected `%s`, "
                          "got `%s`", expected_diff_id, digest);
  if (diff_id_out)
    *diff_id_out = steal_ptr (&digest);
  return 0;
}

static int
valid_layer_name (const char *name)
{
  return *name && strchr (name, '/') == NULL && strcmp (name, ".") != 0
         && strcmp (name, "..") != 0 && strlen (name) < 200;
}

/* mkdtemp() relative to a directory fd.  */
static int
make_temp_dir (int parent_dirfd, const char *name, char **tmp_out,
               mc_error_t *err)
{
  static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";

  for (int attempt = 0; attempt < 100; attempt++)
    {
      unsigned char rnd[6];
      char suffix[sizeof (rnd) + 1];
      char *tmp;

      if (getrandom (rnd, sizeof (rnd), GRND_NONBLOCK) != (ssize_t) sizeof (rnd))
        {
          unsigned long seed = (unsigned long) time (NULL) ^ (unsigned long) getpid ()
                               ^ ((unsigned long) attempt << 16);
          for (size_t i = 0; i < sizeof (rnd); i++, seed = seed * 1103515245 + 12345)
            rnd[i] = (unsigned char) (seed >> 16);
        }
      for (size_t i = 0; i < sizeof (rnd); i++)
        suffix[i] = letters[rnd[i] % (sizeof (letters) - 1)];
      suffix[sizeof (rnd)] = '\0';
      tmp = xasprintf (".tmp-%s-%s", name, suffix);
      if (mkdirat (parent_dirfd, tmp, 0700) == 0)
        {
          *tmp_out = tmp;
          return 0;
        }
      free (tmp);
      if (errno != EEXIST)
        return mc_error_make (err, errno, "create temporary directory for "
                              "layer `%s`", name);
    }
  return mc_error_make (err, EEXIST, "create temporary directory for layer "
                        "`%s`", name);
}

static int
extract_and_commit (mcimg_unpack_read_fn read_fn, void *read_data,
                    const char *expected_diff_id, int parent_dirfd,
                    const char *name, const char *tmp,
                    const mcimg_unpack_options_t *opts,
                    mcimg_unpack_stats_t *stats, char **diff_id_out,
                    mc_error_t *err)
{
  cleanup_close int fd = openat (parent_dirfd, tmp, O_RDONLY | O_DIRECTORY
                                 | O_NOFOLLOW | O_CLOEXEC);

  if (fd < 0)
    return mc_error_make (err, errno, "open `%s`", tmp);
  /* A layer root is 0755 unless the tarball has a `./` entry; the mode
     0700 of mkdirat only keeps the half-written tree private.  */
  if (fchmod (fd, 0755) < 0)
    return mc_error_make (err, errno, "chmod `%s`", tmp);
  if (mcimg_unpack_stream (read_fn, read_data, expected_diff_id, fd, opts,
                           stats, diff_id_out, err) < 0)
    return -1;
  /* One syncfs for the whole layer instead of an fsync per file.  */
  if (opts && (opts->flags & MCIMG_UNPACK_SYNC) && syncfs (fd) < 0)
    return mc_error_make (err, errno, "sync layer `%s`", name);
  if (renameat2 (parent_dirfd, tmp, parent_dirfd, name, RENAME_NOREPLACE) < 0)
    return mc_error_make (err, errno, "rename `%s` to `%s`", tmp, name);
  return 0;
}

int
mcimg_unpack_layer_stream (mcimg_unpack_read_fn read_fn, void *read_data,
                           const char *expected_diff_id, int parent_dirfd,
                           const char *name,
                           const mcimg_unpack_options_t *opts,
                           mcimg_unpack_stats_t *stats, char **diff_id_out,
                           mc_error_t *err)
{
  cleanup_free char *tmp = NULL;
  cleanup_free char *diff_id = NULL;

  if (!valid_layer_name (name))
    return mc_error_make (err, EINVAL, "invalid layer directory name `%s`", name);
  if (expected_diff_id && !valid_diff_id (expected_diff_id))
    return mc_error_make (err, EINVAL, "unpack layer `%s`: invalid diff_id `%s`",
                          name, expected_diff_id);
  if (make_temp_dir (parent_dirfd, name, &tmp, err) < 0)
    return -1;
  if (extract_and_commit (read_fn, read_data, expected_diff_id, parent_dirfd,
                          name, tmp, opts, stats, &diff_id, err) < 0)
    {
      mc_error_t ignored = NULL;

      /* All or nothing.  A failed cleanup is not the error to report.  */
      mc_rm_rf_at (parent_dirfd, tmp, &ignored);
      mc_error_release (&ignored);
      return mc_error_prefix (err, "unpack layer `%s`", name);
    }
  if (diff_id_out)
    *diff_id_out = steal_ptr (&diff_id);
  return 0;
}

static ssize_t
fd_read (void *data, void *buf, size_t len, mc_error_t *err)
{
  int fd = *(int *) data;

  for (;;)
    {
      ssize_t n = read (fd, buf, len);
      if (n >= 0)
        return n;
      if (errno != EINTR)
        return mc_error_make (err, errno, "read layer blob");
    }
}

int
mcimg_unpack_layer_fd (int blob_fd, const char *expected_diff_id,
                       int parent_dirfd, const char *name,
                       const mcimg_unpack_options_t *opts, char **diff_id_out,
                       mc_error_t *err)
{
  return mcimg_unpack_layer_stream (fd_read, &blob_fd, expected_diff_id,
                                    parent_dirfd, name, opts, NULL,
                                    diff_id_out, err);
}
