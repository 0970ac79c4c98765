/* The image store on disk: layout, blobs, layers, locks, index.json.  See
   store.h for the layout and the crash/concurrency rules.  */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/store.h"

#define INDEX_MAX (64u << 20)

struct mcimg_store
{
  char *root;
  int dirfd;
};

const char *
mcimg_store_root_choose (const char *root)
{
  const char *env = getenv ("MCIMG_ROOT");

  if (root && *root)
    return root;
  if (env && *env)
    return env;
  return MCIMG_STORE_DEFAULT_ROOT;
}

static int
mkdir_at (int dirfd, const char *name, mc_error_t *err)
{
  if (mkdirat (dirfd, name, 0755) < 0 && errno != EEXIST)
    return mc_error_make (err, errno, "mkdir `%s`", name);
  return 0;
}

/* Create whatever of the layout is missing.  The two JSON files are
   written atomically, so a reader sees them complete or not at all.  */
static int
store_init (mcimg_store_t *s, mc_error_t *err)
{
  static const char *const dirs[] = { "blobs", "blobs/sha256", "layers", "l",
                                       "tmp", "locks" };
  static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
  static const char empty_index[]
      = "{\"schemaVersion\":2,\"mediaType\":\"" SPEC_MEDIA_OCI_INDEX
        "\",\"manifests\":[]}";

  for (size_t i = 0; i < sizeof (dirs) / sizeof (dirs[0]); i++)
    if (mkdir_at (s->dirfd, dirs[i], err) < 0)
      return -1;
  if (faccessat (s->dirfd, "oci-layout", F_OK, AT_SYMLINK_NOFOLLOW) < 0
      && mc_write_file_atomic_at (s->dirfd, "oci-layout", layout,
                                  sizeof layout - 1, 0644, 1, err) < 0)
    return -1;
  if (faccessat (s->dirfd, "index.json", F_OK, AT_SYMLINK_NOFOLLOW) < 0)
    {
      int lock = mcimg_store_lock (s, "index", err);
      int ret = 0;
      if (lock < 0)
        return -1;
      if (faccessat (s->dirfd, "index.json", F_OK, AT_SYMLINK_NOFOLLOW) < 0)
        ret = mc_write_file_atomic_at (s->dirfd, "index.json", empty_index,
                                       sizeof empty_index - 1, 0644, 1, err);
      mcimg_store_unlock (lock);
      return ret;
    }
  return 0;
}

int
mcimg_store_open (const char *root, mcimg_store_t **out, mc_error_t *err)
{
  mcimg_store_t *s;

  if (mc_mkdir_p (root, 0755, err) < 0)
    return mc_error_prefix (err, "store `%s`", root);
  s = xzalloc (sizeof (*s));
  s->root = xstrdup (root);
  s->dirfd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (s->dirfd < 0)
    {
      mc_error_make (err, errno, "open store `%s`", root);
      mcimg_store_close (s);
      return -1;
    }
  if (store_init (s, err) < 0)
    {
      mc_error_prefix (err, "store `%s`", root);
      mcimg_store_close (s);
      return -1;
    }
  *out = s;
  return 0;
}

void
mcimg_store_close (mcimg_store_t *s)
{
  if (s == NULL)
    return;
  if (s->dirfd >= 0)
    close (s->dirfd);
  free (s->root);
  free (s);
}

const char *
mcimg_store_root (const mcimg_store_t *s)
{
  return s->root;
}

int
mcimg_store_dirfd (const mcimg_store_t *s)
{
  return s->dirfd;
}

int
mcimg_store_lock (mcimg_store_t *s, const char *name, mc_error_t *err)
{
  return mcimg_store_lock_mode (s, name, false, err);
}

int
mcimg_store_lock_mode (mcimg_store_t *s, const char *name, bool shared,
                       mc_error_t *err)
{
  cleanup_free char *path = xasprintf ("locks/%s.lock", name);
  int fd = openat (s->dirfd, path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    return mc_error_make (err, errno, "open lock `%s/%s`", s->root, path);
  while (flock (fd, shared ? LOCK_SH : LOCK_EX) < 0)
    if (errno != EINTR)
      {
        int e = errno;
        close (fd);
        return mc_error_make (err, e, "lock `%s/%s`", s->root, path);
      }
  return fd;
}

void
mcimg_store_unlock (int lock_fd)
{
  if (lock_fd >= 0)
    close (lock_fd); /* releases the flock */
}

/* "sha256:HEX" -> HEX, after validation (digests become paths).  */
static const char *
digest_hex (const char *digest, mc_error_t *err)
{
  if (spec_digest_validate (digest, err) < 0)
    return NULL;
  if (strncmp (digest, "sha256:", 7) != 0)
    {
      mc_error_make (err, 0, "digest `%s`: only sha256 is supported", digest);
      return NULL;
    }
  return digest + 7;
}

static char *
blob_path (const char *hex)
{
  return xasprintf ("blobs/sha256/%s", hex);
}

bool
mcimg_store_has_blob (mcimg_store_t *s, const char *digest)
{
  cleanup_error mc_error_t err = NULL;
  const char *hex = digest_hex (digest, &err);
  cleanup_free char *path = hex ? blob_path (hex) : NULL;
  struct stat st;

  return path && fstatat (s->dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0
         && S_ISREG (st.st_mode);
}

int
mcimg_store_put_blob (mcimg_store_t *s, const char *digest, const void *data,
                      size_t len, mc_error_t *err)
{
  const char *hex = digest_hex (digest, err);
  cleanup_free char *path = NULL;

  if (hex == NULL)
    return -1;
  if (mcimg_store_has_blob (s, digest))
    return 0;
  path = blob_path (hex);
  if (mc_write_file_atomic_at (s->dirfd, path, data, len, 0644, 1, err) < 0)
    return mc_error_prefix (err, "store blob %s", digest);
  return 0;
}

int
mcimg_store_read_blob (mcimg_store_t *s, const char *digest, size_t max_size,
                       char **out, size_t *len, mc_error_t *err)
{
  const char *hex = digest_hex (digest, err);
  cleanup_free char *path = NULL;

  if (hex == NULL)
    return -1;
  path = blob_path (hex);
  if (mc_read_file_at (s->dirfd, path, max_size, out, len, err) < 0)
    return mc_error_prefix (err, "store `%s`", s->root);
  return 0;
}

int
mcimg_store_open_blob (mcimg_store_t *s, const char *digest, mc_error_t *err)
{
  const char *hex = digest_hex (digest, err);
  cleanup_free char *path = NULL;
  int fd;

  if (hex == NULL)
    return -1;
  path = blob_path (hex);
  fd = openat (s->dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return mc_error_make (err, errno, "open `%s/%s`", s->root, path);
  return fd;
}

int
mcimg_store_open_partial (mcimg_store_t *s, const char *digest,
                          uint64_t *have, mc_error_t *err)
{
  const char *hex = digest_hex (digest, err);
  cleanup_free char *path = NULL;
  struct stat st;
  int fd;

  if (hex == NULL)
    return -1;
  path = xasprintf ("tmp/%s.partial", hex);
  fd = openat (s->dirfd, path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
               0644);
  if (fd < 0 || fstat (fd, &st) < 0 || lseek (fd, 0, SEEK_END) < 0)
    {
      int e = errno;
      if (fd >= 0)
        close (fd);
      return mc_error_make (err, e, "open `%s/%s`", s->root, path);
    }
  *have = (uint64_t) st.st_size;
  return fd;
}

static int
fsync_dir (int dirfd, const char *name, mc_error_t *err)
{
  cleanup_close int fd = openat (dirfd, name, O_RDONLY | O_DIRECTORY
                                                  | O_CLOEXEC);
  if (fd < 0 || fsync (fd) < 0)
    return mc_error_make (err, errno, "fsync `%s`", name);
  return 0;
}

int
mcimg_store_commit_partial (mcimg_store_t *s, const char *digest,
                            int partial_fd, mc_error_t *err)
{
  const char *hex = digest_hex (digest, err);
  cleanup_free char *from = NULL, *to = NULL;

  if (hex == NULL)
    return -1;
  from = xasprintf ("tmp/%s.partial", hex);
  to = blob_path (hex);
  if (fsync (partial_fd) < 0)
    return mc_error_make (err, errno, "fsync `%s/%s`", s->root, from);
  if (renameat (s->dirfd, from, s->dirfd, to) < 0)
    return mc_error_make (err, errno, "rename `%s` to `%s` in `%s`", from,
                          to, s->root);
  return fsync_dir (s->dirfd, "blobs/sha256", err);
}

void
mcimg_store_discard_partial (mcimg_store_t *s, const char *digest)
{
  cleanup_error mc_error_t err = NULL;
  const char *hex = digest_hex (digest, &err);
  cleanup_free char *path = hex ? xasprintf ("tmp/%s.partial", hex) : NULL;

  if (path)
    unlinkat (s->dirfd, path, 0);
}

bool
mcimg_store_has_layer (mcimg_store_t *s, const char *diff_id)
{
  cleanup_error mc_error_t err = NULL;
  const char *hex = digest_hex (diff_id, &err);
  cleanup_free char *link = hex ? xasprintf ("layers/%s/link", hex) : NULL;
  cleanup_free char *diff = hex ? xasprintf ("layers/%s/diff", hex) : NULL;
  struct stat st;

  return hex && fstatat (s->dirfd, link, &st, AT_SYMLINK_NOFOLLOW) == 0
         && fstatat (s->dirfd, diff, &st, AT_SYMLINK_NOFOLLOW) == 0
         && S_ISDIR (st.st_mode);
}

/* Remove the unpacker's leftovers (.tmp-*) of a killed earlier pull.  */
static int
remove_stale_tmp (int dirfd, mc_error_t *err)
{
  int fd = dup (dirfd);
  cleanup_dir DIR *d = fd >= 0 ? fdopendir (fd) : NULL;
  struct dirent *de;

  if (d == NULL)
    {
      if (fd >= 0)
        close (fd);
      return mc_error_make (err, errno, "read layer directory");
    }
  while ((de = readdir (d)) != NULL)
    if (strncmp (de->d_name, ".tmp-", 5) == 0
        && mc_rm_rf_at (dirfd, de->d_name, err) < 0)
      return -1;
  return 0;
}

int
mcimg_store_layer_dir (mcimg_store_t *s, const char *diff_id,
                       mc_error_t *err)
{
  const char *hex = digest_hex (diff_id, err);
  cleanup_free char *path = NULL;
  int fd;

  if (hex == NULL)
    return -1;
  path = xasprintf ("layers/%s", hex);
  if (mkdir_at (s->dirfd, path, err) < 0)
    return -1;
  fd = openat (s->dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC
                                   | O_NOFOLLOW);
  if (fd < 0)
    return mc_error_make (err, errno, "open `%s/%s`", s->root, path);
  /* diff without link: a pull was killed between the two renames.  */
  if (remove_stale_tmp (fd, err) < 0
      || (faccessat (fd, "link", F_OK, AT_SYMLINK_NOFOLLOW) < 0
          && faccessat (fd, "diff", F_OK, AT_SYMLINK_NOFOLLOW) == 0
          && mc_rm_rf_at (fd, "diff", err) < 0))
    {
      close (fd);
      return mc_error_prefix (err, "`%s/%s`", s->root, path);
    }
  return fd;
}

void
mcimg_store_layer_abandon (mcimg_store_t *s, const char *diff_id)
{
  cleanup_error mc_error_t err = NULL;
  const char *hex = digest_hex (diff_id, &err);
  cleanup_free char *path = hex ? xasprintf ("layers/%s", hex) : NULL;

  if (path)
    unlinkat (s->dirfd, path, AT_REMOVEDIR); /* fails when not empty */
}

/* 26 characters of base32, as containers-storage's short ids: 130 bits, so
   collisions are not a concern, and 100+ of "l/ID" fit in one page of
   overlay mount options.  */
static void
short_id (char out[27])
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  unsigned char rnd[26];
  size_t got = 0;

  while (got < sizeof rnd)
    {
      ssize_t n = getrandom (rnd + got, sizeof rnd - got, 0);
      if (n > 0)
        got += (size_t) n;
      else if (errno != EINTR)
        abort ();
    }
  for (size_t i = 0; i < sizeof rnd; i++)
    out[i] = alphabet[rnd[i] & 31];
  out[26] = '\0';
}

int
mcimg_store_layer_finish (mcimg_store_t *s, const char *diff_id,
                          mc_error_t *err)
{
  const char *hex = digest_hex (diff_id, err);
  cleanup_free char *link = NULL, *target = NULL, *lname = NULL;
  char id[27];

  if (hex == NULL)
    return -1;
  link = xasprintf ("layers/%s/link", hex);
  if (faccessat (s->dirfd, link, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
    return 0;
  short_id (id);
  target = xasprintf ("../layers/%s/diff", hex);
  lname = xasprintf ("l/%s", id);
  /* The symlink first: `link` is what says the layer is complete.  */
  if (symlinkat (target, s->dirfd, lname) < 0)
    return mc_error_make (err, errno, "symlink `%s/%s`", s->root, lname);
  if (fsync_dir (s->dirfd, "l", err) < 0)
    return -1;
  return mc_write_file_atomic_at (s->dirfd, link, id, strlen (id), 0644, 1,
                                  err);
}

int
mcimg_store_index_read (mcimg_store_t *s, spec_image_index_t **out,
                        mc_error_t *err)
{
  cleanup_free char *json = NULL;
  cleanup_free char *what = xasprintf ("%s/index.json", s->root);
  size_t len;

  if (mc_read_file_at (s->dirfd, "index.json", INDEX_MAX, &json, &len, err)
      < 0)
    return -1;
  return spec_image_index_parse (json, len, what, out, err);
}

int
mcimg_store_index_update (mcimg_store_t *s, mcimg_index_edit_fn edit,
                          void *data, mc_error_t *err)
{
  cleanup_image_index spec_image_index_t *index = NULL;
  cleanup_free char *json = NULL;
  size_t len;
  int lock = mcimg_store_lock (s, "index", err);
  int ret;

  if (lock < 0)
    return -1;
  ret = mcimg_store_index_read (s, &index, err);
  if (ret == 0)
    ret = edit (index, data, err);
  if (ret == 0)
    ret = spec_image_index_generate (index, false, &json, &len, err);
  if (ret == 0)
    ret = mc_write_file_atomic_at (s->dirfd, "index.json", json, len, 0644, 1,
                                   err);
  mcimg_store_unlock (lock);
  return ret < 0 ? -1 : 0;
}
