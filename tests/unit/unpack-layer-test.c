/* The layer pipeline: decompression by magic, diff_id checking, and the
   all-or-nothing temp directory.  */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/unpack.h"
#include "tests/unit/unpack-testlib.h"

#define BIG_SIZE (300 * 1024)

static const char layer_listing[] =
  "d l1 0755 0:0\n"
  "f l1/big 0644 0:0 n1 307200 bytes\n"
  "l l1/bin -> usr/bin\n"
  "d l1/etc 0755 0:0\n"
  "f l1/etc/os-release 0644 0:0 n1 'ID=test'\n"
  "c l1/gone 0000 0:0 0,0\n";

static int
setup (void **state)
{
  sandbox_t *sb = xzalloc (sizeof (*sb));

  umask (022);
  sandbox_setup (sb);
  *state = sb;
  return 0;
}

static int
teardown (void **state)
{
  sandbox_teardown (*state);
  free (*state);
  return 0;
}

static void *
build_layer (const char *filter, size_t *len)
{
  tb_t *tb = tb_new (filter);
  cleanup_free char *big = xmalloc (BIG_SIZE + 1);
  unsigned seed = 12345;

  /* Incompressible-ish content so the compressed stream spans blocks.  */
  for (size_t i = 0; i < BIG_SIZE; i++)
    {
      seed = seed * 1103515245 + 12345;
      big[i] = (char) ('a' + (seed >> 16) % 26);
    }
  big[BIG_SIZE] = '\0';
  tb_add (tb, &(tb_entry_t) { .path = "etc", .type = AE_IFDIR });
  tb_add (tb, &(tb_entry_t) { .path = "etc/os-release", .data = "ID=test" });
  tb_add (tb, &(tb_entry_t) { .path = "bin", .type = AE_IFLNK, .symlink = "usr/bin" });
  tb_add (tb, &(tb_entry_t) { .path = "big", .data = big });
  tb_add (tb, &(tb_entry_t) { .path = ".wh.gone" });
  return tb_finish (tb, len);
}

/* sha256 of the decompressed stream, computed independently of the code
   under test (gzip/zstd decoded by a separate libarchive reader into one
   buffer).  */
static char *
uncompressed_digest (const void *data, size_t len)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *e;
  char *buf = NULL, *digest;
  size_t used = 0;
  char chunk[65536];
  la_ssize_t n;

  archive_read_support_filter_all (a);
  archive_read_support_format_raw (a);
  assert_int_equal (archive_read_open_memory (a, data, len), ARCHIVE_OK);
  assert_int_equal (archive_read_next_header (a, &e), ARCHIVE_OK);
  while ((n = archive_read_data (a, chunk, sizeof (chunk))) > 0)
    {
      buf = xrealloc (buf, used + (size_t) n);
      memcpy (buf + used, chunk, (size_t) n);
      used += (size_t) n;
    }
  if (n != 0)
    fail_msg ("decompress: %s", archive_error_string (a));
  archive_read_free (a);
  digest = sha256_digest (buf, used);
  free (buf);
  return digest;
}

static void
assert_parent_listing (sandbox_t *sb, const char *expected)
{
  cleanup_free char *listing = tree_listing (sb->root_fd);
  assert_string_equal (listing, expected);
  sandbox_assert_canary_intact (sb);
}

static void
check_layer_ok (sandbox_t *sb, const char *filter)
{
  size_t len;
  cleanup_free void *blob = build_layer (filter, &len);
  cleanup_free char *expected = uncompressed_digest (blob, len);
  cleanup_free char *got = NULL;
  cleanup_error mc_error_t err = NULL;
  cleanup_close int fd = memfd_with (blob, len);

  if (mcimg_unpack_layer_fd (fd, expected, sb->root_fd, "l1", NULL, &got, &err) < 0)
    fail_msg ("%s", error_text (err));
  assert_string_equal (got, expected);
  assert_parent_listing (sb, layer_listing);
}

static void
test_plain_layer (void **state)
{
  check_layer_ok (*state, NULL);
}

static void
test_gzip_layer (void **state)
{
  check_layer_ok (*state, "gzip");
}

static void
test_zstd_layer (void **state)
{
  check_layer_ok (*state, "zstd");
}

static void
test_diff_id_independent_of_compression (void **state)
{
  size_t plain_len, gz_len;
  cleanup_free void *plain = build_layer (NULL, &plain_len);
  cleanup_free void *gz = build_layer ("gzip", &gz_len);
  cleanup_free char *d1 = NULL;
  cleanup_free char *d2 = NULL;
  cleanup_free char *want = sha256_digest (plain, plain_len);
  cleanup_error mc_error_t err = NULL;
  mem_source_t s1 = { .data = plain, .len = plain_len, .chunk = 777 };
  mem_source_t s2 = { .data = gz, .len = gz_len, .chunk = 3 };
  sandbox_t *sb = *state;

  /* No expected digest: computed and returned.  Odd chunk sizes exercise
     the block hand-over.  */
  assert_int_equal (mcimg_unpack_layer_stream (mem_source_read, &s1, NULL, sb->root_fd,
                                               "p", NULL, NULL, &d1, &err), 0);
  assert_int_equal (mcimg_unpack_layer_stream (mem_source_read, &s2, NULL, sb->root_fd,
                                               "g", NULL, NULL, &d2, &err), 0);
  assert_string_equal (d1, want);
  /* libarchive pads the compressed tar differently, so compare with the
     independently decompressed digest.  */
  {
    cleanup_free char *gz_want = uncompressed_digest (gz, gz_len);
    assert_string_equal (d2, gz_want);
  }
}

static void
assert_layer_fails (sandbox_t *sb, const void *blob, size_t len,
                    const char *diff_id, const mcimg_unpack_options_t *opts,
                    const char *reason, const char *parent_after)
{
  cleanup_error mc_error_t err = NULL;
  cleanup_close int fd = memfd_with (blob, len);
  cleanup_free char *got = NULL;
  cleanup_free char *msg = NULL;

  if (mcimg_unpack_layer_fd (fd, diff_id, sb->root_fd, "l1", opts, &got, &err) == 0)
    fail_msg ("bad layer accepted");
  assert_null (got);
  msg = mc_error_string (err);
  if (strstr (msg, reason) == NULL)
    fail_msg ("error lacks `%s`: %s", reason, msg);
  if (strstr (msg, "unpack layer `l1`") == NULL)
    fail_msg ("error lacks context: %s", msg);
  /* Nothing half-unpacked, no temporary directory.  */
  assert_parent_listing (sb, parent_after);
}

static void
test_wrong_diff_id (void **state)
{
  size_t len;
  cleanup_free void *blob = build_layer ("gzip", &len);

  assert_layer_fails (*state, blob, len,
                      "sha256:0000000000000000000000000000000000000000000000000000000000000000",
                      NULL, "diff_id mismatch", "");
}

static void
test_invalid_diff_id (void **state)
{
  size_t len;
  cleanup_free void *blob = build_layer (NULL, &len);

  assert_layer_fails (*state, blob, len, "sha256:XYZ", NULL, "invalid diff_id", "");
  assert_layer_fails (*state, blob, len, "md5:d41d8cd98f00b204e9800998ecf8427e",
                      NULL, "invalid diff_id", "");
}

static void
test_truncated_gzip (void **state)
{
  size_t len;
  cleanup_free void *blob = build_layer ("gzip", &len);

  assert_layer_fails (*state, blob, len / 2, NULL, NULL, "unpack layer", "");
}

static void
test_truncated_zstd (void **state)
{
  size_t len;
  cleanup_free void *blob = build_layer ("zstd", &len);

  assert_layer_fails (*state, blob, len - 100, NULL, NULL, "unpack layer", "");
}

static void
test_truncated_tar (void **state)
{
  size_t len;
  cleanup_free void *blob = build_layer (NULL, &len);

  /* Cut inside the big file's data.  */
  assert_layer_fails (*state, blob, 100 * 1024, NULL, NULL, "Truncated", "");
}

static void
test_hostile_layer_leaves_nothing (void **state)
{
  tb_t *tb = tb_new ("gzip");
  cleanup_free void *blob = NULL;
  size_t len;

  tb_add (tb, &(tb_entry_t) { .path = "ok", .data = "fine" });
  tb_add (tb, &(tb_entry_t) { .path = "../escaped", .data = "pwned" });
  blob = tb_finish (tb, &len);
  assert_layer_fails (*state, blob, len, NULL, NULL, "entry `../escaped`", "");
}

static void
test_target_exists (void **state)
{
  sandbox_t *sb = *state;
  size_t len;
  cleanup_free void *blob = build_layer (NULL, &len);

  assert_int_equal (mkdirat (sb->root_fd, "l1", 0700), 0);
  assert_layer_fails (sb, blob, len, NULL, NULL, "File exists", "d l1 0700 0:0\n");
}

static void
test_source_error_reported (void **state)
{
  sandbox_t *sb = *state;
  size_t len;
  cleanup_free void *blob = build_layer ("gzip", &len);
  mem_source_t src = { .data = blob, .len = len, .chunk = 1000, .fail_at = 5000 };
  cleanup_error mc_error_t err = NULL;
  cleanup_free char *msg = NULL;

  assert_true (mcimg_unpack_layer_stream (mem_source_read, &src, NULL, sb->root_fd,
                                          "l1", NULL, NULL, NULL, &err) < 0);
  msg = mc_error_string (err);
  assert_non_null (strstr (msg, "read layer: injected source failure"));
  assert_parent_listing (sb, "");
}

static void
test_size_limit (void **state)
{
  size_t len;
  cleanup_free void *blob = build_layer ("zstd", &len);
  const mcimg_unpack_options_t opts = { .max_size = 64 * 1024 };

  assert_layer_fails (*state, blob, len, NULL, &opts, "larger than 65536 bytes", "");
}

typedef struct
{
  int fd;
  const char *data;
  size_t len;
} pipe_writer_t;

static void *
pipe_writer (void *arg)
{
  pipe_writer_t *w = arg;

  for (size_t off = 0; off < w->len; off += 4096)
    if (mc_write_all (w->fd, w->data + off, w->len - off < 4096 ? w->len - off : 4096) < 0)
      break;
  close (w->fd);
  return NULL;
}

static void
test_pipe_stream (void **state)
{
  sandbox_t *sb = *state;
  size_t len;
  cleanup_free void *blob = build_layer ("gzip", &len);
  cleanup_free char *expected = uncompressed_digest (blob, len);
  cleanup_error mc_error_t err = NULL;
  pipe_writer_t w = { .data = blob, .len = len };
  mcimg_unpack_options_t opts = { .flags = MCIMG_UNPACK_SYNC };
  int fds[2];
  pthread_t thread;

  assert_int_equal (pipe2 (fds, O_CLOEXEC), 0);
  w.fd = fds[1];
  assert_int_equal (pthread_create (&thread, NULL, pipe_writer, &w), 0);
  if (mcimg_unpack_layer_fd (fds[0], expected, sb->root_fd, "l1", &opts, NULL, &err) < 0)
    fail_msg ("%s", error_text (err));
  pthread_join (thread, NULL);
  close (fds[0]);
  assert_parent_listing (sb, layer_listing);
}

static void
test_empty_layer (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new ("gzip");
  cleanup_free void *blob = NULL;
  cleanup_error mc_error_t err = NULL;
  size_t len;
  int fd;

  blob = tb_finish (tb, &len);
  fd = memfd_with (blob, len);
  if (mcimg_unpack_layer_fd (fd, NULL, sb->root_fd, "empty", NULL, NULL, &err) < 0)
    fail_msg ("%s", error_text (err));
  close (fd);
  assert_parent_listing (sb, "d empty 0755 0:0\n");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_plain_layer, setup, teardown),
    cmocka_unit_test_setup_teardown (test_gzip_layer, setup, teardown),
    cmocka_unit_test_setup_teardown (test_zstd_layer, setup, teardown),
    cmocka_unit_test_setup_teardown (test_diff_id_independent_of_compression, setup, teardown),
    cmocka_unit_test_setup_teardown (test_wrong_diff_id, setup, teardown),
    cmocka_unit_test_setup_teardown (test_invalid_diff_id, setup, teardown),
    cmocka_unit_test_setup_teardown (test_truncated_gzip, setup, teardown),
    cmocka_unit_test_setup_teardown (test_truncated_zstd, setup, teardown),
    cmocka_unit_test_setup_teardown (test_truncated_tar, setup, teardown),
    cmocka_unit_test_setup_teardown (test_hostile_layer_leaves_nothing, setup, teardown),
    cmocka_unit_test_setup_teardown (test_target_exists, setup, teardown),
    cmocka_unit_test_setup_teardown (test_source_error_reported, setup, teardown),
    cmocka_unit_test_setup_teardown (test_size_limit, setup, teardown),
    cmocka_unit_test_setup_teardown (test_pipe_stream, setup, teardown),
    cmocka_unit_test_setup_teardown (test_empty_layer, setup, teardown),
  };

  if (geteuid () != 0)
    {
      printf ("1..0 # SKIP the unpacker tests need root (chown, mknod)\n");
      return 0;
    }
  return cmocka_run_group_tests (tests, NULL, NULL);
}
