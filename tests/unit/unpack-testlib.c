#include "tests/unit/unpack-testlib.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"

struct tb
{
  struct archive *w;
  char *data;
  size_t len, cap;
};

static la_ssize_t
tb_write_cb (struct archive *a, void *data, const void *buf, size_t len)
{
  tb_t *tb = data;

  if (tb->len + len > tb->cap)
    {
      tb->cap = (tb->len + len) * 2;
      tb->data = xrealloc (tb->data, tb->cap);
    }
  memcpy (tb->data + tb->len, buf, len);
  tb->len += len;
  return (la_ssize_t) len;
}

tb_t *
tb_new (const char *filter)
{
  return tb_new_format (filter, "pax");
}

tb_t *
tb_new_format (const char *filter, const char *format)
{
  tb_t *tb = xzalloc (sizeof (*tb));

  tb->w = archive_write_new ();
  if (strcmp (format, "gnutar") == 0)
    assert_int_equal (archive_write_set_format_gnutar (tb->w), ARCHIVE_OK);
  else if (strcmp (format, "ustar") == 0)
    assert_int_equal (archive_write_set_format_ustar (tb->w), ARCHIVE_OK);
  else
    assert_int_equal (archive_write_set_format_pax (tb->w), ARCHIVE_OK);
  if (filter && strcmp (filter, "gzip") == 0)
    assert_int_equal (archive_write_add_filter_gzip (tb->w), ARCHIVE_OK);
  else if (filter && strcmp (filter, "zstd") == 0)
    assert_int_equal (archive_write_add_filter_zstd (tb->w), ARCHIVE_OK);
  /* Compressed blobs end with the compressor's frame, not with zeros up to
     a 10240-byte record (which zstd readers reject as a bad frame).  */
  if (filter)
    assert_int_equal (archive_write_set_bytes_in_last_block (tb->w, 1), ARCHIVE_OK);
  assert_int_equal (archive_write_open (tb->w, tb, NULL, tb_write_cb, NULL),
                    ARCHIVE_OK);
  return tb;
}

void
tb_add (tb_t *tb, const tb_entry_t *e)
{
  struct archive_entry *ae = archive_entry_new ();
  unsigned type = e->type ? e->type : AE_IFREG;
  size_t size = e->data ? strlen (e->data) : 0;

  archive_entry_set_pathname (ae, e->path);
  archive_entry_set_filetype (ae, type);
  archive_entry_set_perm (ae, e->mode ? e->mode : type == AE_IFDIR ? 0755 : 0644);
  archive_entry_set_uid (ae, e->uid);
  archive_entry_set_gid (ae, e->gid);
  archive_entry_set_mtime (ae, e->mtime ? e->mtime : 1000000000, e->mtime_nsec);
  if (e->symlink)
    archive_entry_set_symlink (ae, e->symlink);
  if (e->hardlink)
    {
      archive_entry_set_hardlink (ae, e->hardlink);
      size = 0;
    }
  if (type == AE_IFCHR || type == AE_IFBLK)
    archive_entry_set_rdev (ae, makedev (e->major, e->minor));
  for (int i = 0; i < 4 && e->xattr[i][0]; i++)
    archive_entry_xattr_add_entry (ae, e->xattr[i][0], e->xattr[i][1],
                                   strlen (e->xattr[i][1]));
  if (e->bin_xattr)
    archive_entry_xattr_add_entry (ae, e->bin_xattr, e->bin_value, e->bin_size);
  archive_entry_set_size (ae, type == AE_IFREG ? (int64_t) size : 0);
  if (e->size)
    archive_entry_set_size (ae, e->size);
  /* WARN: a name not convertible to the C locale, written as raw bytes.  */
  assert_true (archive_write_header (tb->w, ae) >= ARCHIVE_WARN);
  if (type == AE_IFREG && size)
    assert_int_equal (archive_write_data (tb->w, e->data, size), (la_ssize_t) size);
  archive_entry_free (ae);
}

void *
tb_finish (tb_t *tb, size_t *len)
{
  void *data;

  assert_int_equal (archive_write_close (tb->w), ARCHIVE_OK);
  archive_write_free (tb->w);
  data = tb->data;
  *len = tb->len;
  free (tb);
  return data;
}

static void
rawtar_append (rawtar_t *t, const void *p, size_t len)
{
  t->data = xrealloc (t->data, t->len + len);
  memcpy (t->data + t->len, p, len);
  t->len += len;
}

static void
rawtar_header (rawtar_t *t, const char *name, size_t name_len, char typeflag,
               const char *linkname, size_t size)
{
  char h[512] = { 0 };
  unsigned sum = 0;

  memcpy (h, name, name_len < 100 ? name_len : 100);
  snprintf (h + 100, 8, "%07o", 0644);
  snprintf (h + 108, 8, "%07o", 0);
  snprintf (h + 116, 8, "%07o", 0);
  snprintf (h + 124, 12, "%011zo", size);
  snprintf (h + 136, 12, "%011o", 1000000000);
  h[156] = typeflag;
  if (linkname)
    strncpy (h + 157, linkname, 100);
  memcpy (h + 257, "ustar", 6);
  memcpy (h + 263, "00", 2);
  memset (h + 148, ' ', 8);
  for (int i = 0; i < 512; i++)
    sum += (unsigned char) h[i];
  snprintf (h + 148, 8, "%06o", sum);
  h[155] = ' ';
  rawtar_append (t, h, sizeof (h));
}

static void
rawtar_body (rawtar_t *t, const char *data, size_t len)
{
  static const char zeros[512];

  rawtar_append (t, data, len);
  if (len % 512)
    rawtar_append (t, zeros, 512 - len % 512);
}

void
rawtar_add (rawtar_t *t, const char *name, char typeflag,
            const char *linkname, const char *content)
{
  size_t len = content ? strlen (content) : 0;

  rawtar_header (t, name, strlen (name), typeflag, linkname, len);
  rawtar_body (t, content, len);
}

void
rawtar_add_pax (rawtar_t *t, const char *records, size_t len)
{
  rawtar_header (t, "PaxHeader", 9, 'x', NULL, len);
  rawtar_body (t, records, len);
}

void
rawtar_finish (rawtar_t *t)
{
  static const char zeros[1024];

  rawtar_append (t, zeros, sizeof (zeros));
}

static void
write_at (int dirfd, const char *path, const char *content)
{
  mc_error_t err = NULL;

  assert_int_equal (mc_write_file_atomic_at (dirfd, path, content,
                                             strlen (content), 0644, 0, &err), 0);
}

/* The canary directory's own metadata and its whole tree.  */
static char *
canary_state (const sandbox_t *sb)
{
  cleanup_close int cfd = openat (sb->base_fd, "canary", O_RDONLY | O_DIRECTORY
                                  | O_NOFOLLOW);
  cleanup_free char *tree = NULL;
  struct stat st;

  assert_true (cfd >= 0);
  assert_int_equal (fstat (cfd, &st), 0);
  tree = tree_listing (cfd);
  return xasprintf ("canary %04o %u:%u mtime %lld\n%s", st.st_mode & 07777,
                    st.st_uid, st.st_gid, (long long) st.st_mtim.tv_sec, tree);
}

void
sandbox_setup (sandbox_t *sb)
{
  char tmpl[] = "/tmp/unpack-test-XXXXXX";

  memset (sb, 0, sizeof (*sb));
  assert_non_null (mkdtemp (tmpl));
  sb->base = xstrdup (tmpl);
  sb->root = xasprintf ("%s/root", tmpl);
  sb->canary = xasprintf ("%s/canary", tmpl);
  sb->base_fd = open (tmpl, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  assert_true (sb->base_fd >= 0);
  assert_int_equal (mkdirat (sb->base_fd, "root", 0755), 0);
  assert_int_equal (mkdirat (sb->base_fd, "canary", 0755), 0);
  assert_int_equal (mkdirat (sb->base_fd, "canary/etc", 0755), 0);
  write_at (sb->base_fd, "canary/etc/passwd", "root:x:0:0");
  write_at (sb->base_fd, "canary/victim", "original");
  assert_int_equal (symlinkat ("etc/passwd", sb->base_fd, "canary/link"), 0);
  sb->root_fd = openat (sb->base_fd, "root", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  assert_true (sb->root_fd >= 0);
  sb->canary_before = canary_state (sb);
}

void
sandbox_assert_canary_intact (const sandbox_t *sb)
{
  cleanup_free char *now = canary_state (sb);
  struct stat st;

  assert_string_equal (now, sb->canary_before);
  /* Nothing appeared next to root and canary either.  */
  assert_int_equal (fstatat (sb->base_fd, "passwd", &st, AT_SYMLINK_NOFOLLOW), -1);
  assert_int_equal (fstatat (sb->base_fd, "escaped", &st, AT_SYMLINK_NOFOLLOW), -1);
  assert_int_equal (fstatat (sb->base_fd, "x", &st, AT_SYMLINK_NOFOLLOW), -1);
}

void
sandbox_teardown (sandbox_t *sb)
{
  mc_error_t err = NULL;
  cleanup_close int tmp = open ("/tmp", O_RDONLY | O_DIRECTORY);

  close (sb->root_fd);
  close (sb->base_fd);
  assert_int_equal (mc_rm_rf_at (tmp, sb->base + strlen ("/tmp/"), &err), 0);
  free (sb->base);
  free (sb->root);
  free (sb->canary);
  free (sb->canary_before);
}

typedef struct
{
  char *path;
  char *line;
} listing_line_t;

static void
list_dir (int dirfd, const char *prefix, listing_line_t **lines, size_t *n)
{
  cleanup_dir DIR *dir = NULL;
  int fd = openat (dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct dirent *de;

  assert_true (fd >= 0);
  dir = fdopendir (fd);
  assert_non_null (dir);
  while ((de = readdir (dir)))
    {
      cleanup_free char *path = NULL;
      struct stat st;
      char *line = NULL;
      unsigned mode;

      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      path = *prefix ? xasprintf ("%s/%s", prefix, de->d_name)
                     : xstrdup (de->d_name);
      assert_int_equal (fstatat (dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW), 0);
      mode = st.st_mode & 07777;
      if (S_ISDIR (st.st_mode))
        {
          cleanup_close int sub = openat (dirfd, de->d_name, O_RDONLY
                                          | O_DIRECTORY | O_NOFOLLOW);
          line = xasprintf ("d %s %04o %u:%u", path, mode, st.st_uid, st.st_gid);
          assert_true (sub >= 0);
          list_dir (sub, path, lines, n);
        }
      else if (S_ISREG (st.st_mode))
        {
          char buf[65] = { 0 };
          cleanup_close int f = openat (dirfd, de->d_name, O_RDONLY | O_NOFOLLOW);
          assert_true (f >= 0);
          if (st.st_size <= 64)
            {
              assert_int_equal (mc_read_all (f, buf, sizeof (buf) - 1), st.st_size);
              line = xasprintf ("f %s %04o %u:%u n%u '%s'", path, mode,
                                st.st_uid, st.st_gid, (unsigned) st.st_nlink, buf);
            }
          else
            line = xasprintf ("f %s %04o %u:%u n%u %lld bytes", path, mode,
                              st.st_uid, st.st_gid, (unsigned) st.st_nlink,
                              (long long) st.st_size);
        }
      else if (S_ISLNK (st.st_mode))
        {
          char target[4097] = { 0 };
          assert_true (readlinkat (dirfd, de->d_name, target, sizeof (target) - 1) >= 0);
          line = xasprintf ("l %s -> %s", path, target);
        }
      else if (S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode))
        line = xasprintf ("%c %s %04o %u:%u %u,%u", S_ISCHR (st.st_mode) ? 'c' : 'b',
                          path, mode, st.st_uid, st.st_gid, major (st.st_rdev),
                          minor (st.st_rdev));
      else
        line = xasprintf ("p %s %04o %u:%u", path, mode, st.st_uid, st.st_gid);
      *lines = xgrow (*lines, *n, sizeof (**lines));
      (*lines)[*n].path = steal_ptr (&path);
      (*lines)[(*n)++].line = line;
    }
}

static int
compare_lines (const void *a, const void *b)
{
  return strcmp (((const listing_line_t *) a)->path,
                 ((const listing_line_t *) b)->path);
}

char *
tree_listing (int dirfd)
{
  listing_line_t *lines = NULL;
  size_t n = 0, len = 0;
  char *out;

  list_dir (dirfd, "", &lines, &n);
  if (n > 0)
    qsort (lines, n, sizeof (*lines), compare_lines);
  for (size_t i = 0; i < n; i++)
    len += strlen (lines[i].line) + 1;
  out = xmalloc (len + 1);
  out[0] = '\0';
  for (size_t i = 0, off = 0; i < n; i++)
    {
      off += (size_t) sprintf (out + off, "%s\n", lines[i].line);
      free (lines[i].path);
      free (lines[i].line);
    }
  free (lines);
  return out;
}

int
unpack_mem (int root_fd, const void *data, size_t len,
            const mcimg_unpack_options_t *opts, mcimg_unpack_stats_t *stats,
            mc_error_t *err)
{
  struct archive *a = archive_read_new ();
  int r;

  assert_int_equal (archive_read_support_format_tar (a), ARCHIVE_OK);
  assert_int_equal (archive_read_open_memory (a, data, len), ARCHIVE_OK);
  r = mcimg_unpack_tar (a, root_fd, opts, stats, err);
  archive_read_free (a);
  return r;
}

ssize_t
mem_source_read (void *data, void *buf, size_t len, mc_error_t *err)
{
  mem_source_t *src = data;
  size_t n = src->len - src->pos;

  if (src->fail_at && src->pos >= src->fail_at)
    return mc_error_make (err, EIO, "injected source failure");
  if (n > len)
    n = len;
  if (src->chunk && n > src->chunk)
    n = src->chunk;
  memcpy (buf, src->data + src->pos, n);
  src->pos += n;
  return (ssize_t) n;
}

int
unpack_stream_mem (int root_fd, const void *data, size_t len,
                   const mcimg_unpack_options_t *opts, mc_error_t *err)
{
  mem_source_t src = { .data = data, .len = len };

  return mcimg_unpack_stream (mem_source_read, &src, NULL, root_fd, opts,
                              NULL, NULL, err);
}

const char *
error_text (const mc_error_t err)
{
  return err ? err->msg : "";
}

int
memfd_with (const void *data, size_t len)
{
  int fd = memfd_create ("layer", MFD_CLOEXEC);

  assert_true (fd >= 0);
  assert_int_equal (mc_write_all (fd, data, len), 0);
  assert_int_equal (lseek (fd, 0, SEEK_SET), 0);
  return fd;
}

char *
sha256_digest (const void *data, size_t len)
{
  unsigned char md[32];
  unsigned int md_len = 0;
  char *out = xmalloc (7 + 64 + 1), *p;

  assert_int_equal (EVP_Digest (data, len, md, &md_len, EVP_sha256 (), NULL), 1);
  p = stpcpy (out, "sha256:");
  for (unsigned i = 0; i < md_len; i++)
    p += sprintf (p, "%02x", md[i]);
  return out;
}

char *
xattr_of (const char *path, const char *name)
{
  char buf[4096];
  ssize_t n = lgetxattr (path, name, buf, sizeof (buf) - 1);

  if (n < 0)
    return NULL;
  buf[n] = '\0';
  return xstrdup (buf);
}
