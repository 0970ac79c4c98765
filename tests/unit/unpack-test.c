/* mcimg_unpack_tar on well-formed layers: the exact resulting trees.  */
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "imagetool/lib/unpack.h"
#include "tests/unit/unpack-testlib.h"

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

/* Build, extract (must succeed) and return the listing of the root.  */
static char *
extract_ok (sandbox_t *sb, tb_t *tb, const mcimg_unpack_options_t *opts,
            mcimg_unpack_stats_t *stats)
{
  cleanup_free void *data = NULL;
  cleanup_error mc_error_t err = NULL;
  size_t len;

  data = tb_finish (tb, &len);
  if (unpack_mem (sb->root_fd, data, len, opts, stats, &err) < 0)
    fail_msg ("unpack failed: %s", error_text (err));
  return tree_listing (sb->root_fd);
}

static void
assert_mtime (int dirfd, const char *path, time_t sec, long nsec)
{
  struct stat st;

  assert_int_equal (fstatat (dirfd, path, &st, AT_SYMLINK_NOFOLLOW), 0);
  assert_int_equal (st.st_mtim.tv_sec, sec);
  assert_int_equal (st.st_mtim.tv_nsec, nsec);
}

static void
test_basic_tree (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);
  mcimg_unpack_stats_t stats;
  cleanup_free char *listing = NULL;

  tb_add (tb, &(tb_entry_t) { .path = "./etc/", .type = AE_IFDIR, .mtime = 1111 });
  tb_add (tb, &(tb_entry_t) { .path = "etc/hosts", .data = "127.0.0.1 localhost",
                              .mtime = 2222, .mtime_nsec = 5 });
  tb_add (tb, &(tb_entry_t) { .path = "/usr/bin/", .type = AE_IFDIR });
  tb_add (tb, &(tb_entry_t) { .path = "usr/bin/su", .mode = 04755, .data = "su" });
  tb_add (tb, &(tb_entry_t) { .path = "usr/bin/wall", .mode = 02755, .gid = 5,
                              .data = "wall" });
  tb_add (tb, &(tb_entry_t) { .path = "tmp", .type = AE_IFDIR, .mode = 01777 });
  tb_add (tb, &(tb_entry_t) { .path = "home/user/", .type = AE_IFDIR, .mode = 0700,
                              .uid = 1000, .gid = 1000 });
  tb_add (tb, &(tb_entry_t) { .path = "home/user/file", .mode = 0600, .uid = 1000,
                              .gid = 1000, .data = "mine" });
  tb_add (tb, &(tb_entry_t) { .path = "bin", .type = AE_IFLNK, .symlink = "usr/bin",
                              .mtime = 3333 });
  tb_add (tb, &(tb_entry_t) { .path = "usr/bin/sudo", .hardlink = "usr/bin/su" });
  tb_add (tb, &(tb_entry_t) { .path = "dev/null", .type = AE_IFCHR, .mode = 0666,
                              .major = 1, .minor = 3 });
  tb_add (tb, &(tb_entry_t) { .path = "dev/sda", .type = AE_IFBLK, .mode = 0660,
                              .gid = 6, .major = 8, .minor = 0 });
  tb_add (tb, &(tb_entry_t) { .path = "run/fifo", .type = AE_IFIFO, .mode = 0600 });
  tb_add (tb, &(tb_entry_t) { .path = "a//b/./c/", .type = AE_IFDIR, .mode = 0750 });
  listing = extract_ok (sb, tb, NULL, &stats);

  assert_string_equal (listing,
                       "d a 0755 0:0\n"
                       "d a/b 0755 0:0\n"
                       "d a/b/c 0750 0:0\n"
                       "l bin -> usr/bin\n"
                       "d dev 0755 0:0\n"
                       "c dev/null 0666 0:0 1,3\n"
                       "b dev/sda 0660 0:6 8,0\n"
                       "d etc 0755 0:0\n"
                       "f etc/hosts 0644 0:0 n1 '127.0.0.1 localhost'\n"
                       "d home 0755 0:0\n"
                       "d home/user 0700 1000:1000\n"
                       "f home/user/file 0600 1000:1000 n1 'mine'\n"
                       "d run 0755 0:0\n"
                       "p run/fifo 0600 0:0\n"
                       "d tmp 1777 0:0\n"
                       "d usr 0755 0:0\n"
                       "d usr/bin 0755 0:0\n"
                       "f usr/bin/su 4755 0:0 n2 'su'\n"
                       "f usr/bin/sudo 4755 0:0 n2 'su'\n"
                       "f usr/bin/wall 2755 0:5 n1 'wall'\n");
  /* Directory times are set after their contents were written.  */
  assert_mtime (sb->root_fd, "etc", 1111, 0);
  assert_mtime (sb->root_fd, "etc/hosts", 2222, 5);
  assert_mtime (sb->root_fd, "bin", 3333, 0);
  assert_mtime (sb->root_fd, "dev/null", 1000000000, 0);
  assert_mtime (sb->root_fd, "usr/bin", 1000000000, 0);
  assert_int_equal (stats.entries, 14);
  assert_int_equal (stats.files, 4);
  assert_int_equal (stats.dirs, 5);
  assert_int_equal (stats.symlinks, 1);
  assert_int_equal (stats.hardlinks, 1);
  assert_int_equal (stats.nodes, 3);
}

static void
test_readonly_dir_filled (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);
  cleanup_free char *listing = NULL;

  /* Mode 0555 and an owner other than us are applied only at the end, so
     the directory can still be filled.  */
  tb_add (tb, &(tb_entry_t) { .path = "ro", .type = AE_IFDIR, .mode = 0555,
                              .uid = 7, .gid = 7, .mtime = 42 });
  tb_add (tb, &(tb_entry_t) { .path = "ro/f", .data = "x" });
  tb_add (tb, &(tb_entry_t) { .path = "ro/sub", .type = AE_IFDIR, .mode = 0500 });
  tb_add (tb, &(tb_entry_t) { .path = "ro/sub/g", .data = "y" });
  listing = extract_ok (sb, tb, NULL, NULL);
  assert_string_equal (listing,
                       "d ro 0555 7:7\n"
                       "f ro/f 0644 0:0 n1 'x'\n"
                       "d ro/sub 0500 0:0\n"
                       "f ro/sub/g 0644 0:0 n1 'y'\n");
  assert_mtime (sb->root_fd, "ro", 42, 0);
}

static void
test_root_entry_metadata (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);
  cleanup_free char *listing = NULL;
  struct stat st;

  tb_add (tb, &(tb_entry_t) { .path = "./", .type = AE_IFDIR, .mode = 0750,
                              .gid = 3, .mtime = 77 });
  tb_add (tb, &(tb_entry_t) { .path = "f", .data = "x" });
  listing = extract_ok (sb, tb, NULL, NULL);
  assert_string_equal (listing, "f f 0644 0:0 n1 'x'\n");
  assert_int_equal (fstat (sb->root_fd, &st), 0);
  assert_int_equal (st.st_mode & 07777, 0750);
  assert_int_equal (st.st_gid, 3);
  assert_int_equal (st.st_mtim.tv_sec, 77);
}

static void
test_xattrs (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);
  cleanup_free char *listing = NULL;
  cleanup_free char *file = xasprintf ("%s/bin/ping", sb->root);
  cleanup_free char *dir = xasprintf ("%s/d", sb->root);
  cleanup_free char *v = NULL;
  /* vfs_cap_data revision 2, effective, permitted = CAP_NET_RAW (13).  */
  static const unsigned char cap[20] = { 0x01, 0, 0, 0x02, 0, 0x20, 0, 0 };
  unsigned char got[20];

  tb_add (tb, &(tb_entry_t) { .path = "bin/ping", .mode = 0755, .uid = 1000,
                              .data = "ping",
                              .xattr = { { "user.comment", "hello" },
                                         { "trusted.overlay.redirect", "/etc" } },
                              .bin_xattr = "security.capability",
                              .bin_value = cap, .bin_size = sizeof (cap) });
  tb_add (tb, &(tb_entry_t) { .path = "d", .type = AE_IFDIR,
                              .xattr = { { "trusted.overlay.opaque", "y" },
                                         { "user.d", "dir" } } });
  listing = extract_ok (sb, tb, NULL, NULL);
  assert_string_equal (listing,
                       "d bin 0755 0:0\n"
                       "f bin/ping 0755 1000:0 n1 'ping'\n"
                       "d d 0755 0:0\n");
  v = xattr_of (file, "user.comment");
  assert_string_equal (v, "hello");
  free (v);
  /* The capability survived the chown (set after it).  */
  assert_int_equal (lgetxattr (file, "security.capability", got, sizeof (got)),
                    sizeof (cap));
  assert_memory_equal (got, cap, sizeof (cap));
  /* Image-supplied overlay xattrs are escaped, never live.  */
  assert_null (xattr_of (file, "trusted.overlay.redirect"));
  v = xattr_of (file, "trusted.overlay.overlay.redirect");
  assert_string_equal (v, "/etc");
  free (v);
  assert_null (xattr_of (dir, "trusted.overlay.opaque"));
  v = xattr_of (dir, "trusted.overlay.overlay.opaque");
  assert_string_equal (v, "y");
  free (v);
  v = xattr_of (dir, "user.d");
  assert_string_equal (v, "dir");
}

static void
check_long_names (sandbox_t *sb, const char *format)
{
  tb_t *tb = tb_new_format (NULL, format);
  char comp[51];
  cleanup_free char *p150 = NULL;
  cleanup_free char *p300 = NULL;
  cleanup_free char *target = NULL;
  cleanup_free char *listing = NULL;
  cleanup_free char *expected = NULL;
  cleanup_free char *d300 = NULL;

  memset (comp, 'c', 50);
  comp[50] = '\0';
  /* 150 bytes: past ustar's 100-byte name field.  */
  p150 = xasprintf ("%s/%s/%s", comp, comp, "f123456789012345678901234567890123456789012345");
  /* 306 bytes: past the 255 of ustar's prefix+name.  */
  d300 = xasprintf ("%s/%s/%s/%s/%s", comp, comp, comp, comp, comp);
  p300 = xasprintf ("%s/%s/long-file-name", d300, comp);
  target = xasprintf ("../../%s/target-%s", comp, comp);
  tb_add (tb, &(tb_entry_t) { .path = p150, .data = "150" });
  tb_add (tb, &(tb_entry_t) { .path = p300, .data = "300" });
  tb_add (tb, &(tb_entry_t) { .path = "hl", .hardlink = p300 });
  tb_add (tb, &(tb_entry_t) { .path = "sl", .type = AE_IFLNK, .symlink = target });
  listing = extract_ok (sb, tb, NULL, NULL);
  /* Sorted by path: "c/c/c..." before "c/c/f...".  */
  expected = xasprintf ("d %s 0755 0:0\n"
                        "d %s/%s 0755 0:0\n"
                        "d %s/%s/%s 0755 0:0\n"
                        "d %s/%s/%s/%s 0755 0:0\n"
                        "d %s 0755 0:0\n"
                        "d %s/%s 0755 0:0\n"
                        "f %s 0644 0:0 n2 '300'\n"
                        "f %s 0644 0:0 n1 '150'\n"
                        "f hl 0644 0:0 n2 '300'\n"
                        "l sl -> %s\n",
                        comp, comp, comp, comp, comp, comp, comp, comp, comp,
                        comp, d300, d300, comp, p300, p150, target);
  assert_string_equal (listing, expected);
}

static void
test_long_names_pax (void **state)
{
  check_long_names (*state, "pax");
}

static void
test_long_names_gnu (void **state)
{
  check_long_names (*state, "gnutar");
}

static void
test_replacements (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);
  cleanup_free char *listing = NULL;

  tb_add (tb, &(tb_entry_t) { .path = "twice", .data = "first" });
  tb_add (tb, &(tb_entry_t) { .path = "twice", .data = "second", .mode = 0600 });
  tb_add (tb, &(tb_entry_t) { .path = "file2dir", .data = "x" });
  tb_add (tb, &(tb_entry_t) { .path = "file2dir", .type = AE_IFDIR });
  tb_add (tb, &(tb_entry_t) { .path = "dir2file/sub/f", .data = "gone" });
  tb_add (tb, &(tb_entry_t) { .path = "dir2file", .data = "file now" });
  tb_add (tb, &(tb_entry_t) { .path = "merge", .type = AE_IFDIR, .mode = 0700 });
  tb_add (tb, &(tb_entry_t) { .path = "merge/kept", .data = "k" });
  tb_add (tb, &(tb_entry_t) { .path = "merge", .type = AE_IFDIR, .mode = 0711 });
  tb_add (tb, &(tb_entry_t) { .path = "target", .data = "t" });
  tb_add (tb, &(tb_entry_t) { .path = "link2file", .type = AE_IFLNK, .symlink = "target" });
  tb_add (tb, &(tb_entry_t) { .path = "link2file", .data = "replaced" });
  tb_add (tb, &(tb_entry_t) { .path = "tdir", .type = AE_IFDIR });
  tb_add (tb, &(tb_entry_t) { .path = "link2dir", .type = AE_IFLNK, .symlink = "tdir" });
  tb_add (tb, &(tb_entry_t) { .path = "link2dir", .type = AE_IFDIR, .mode = 0700 });
  tb_add (tb, &(tb_entry_t) { .path = "link2dir/in", .data = "i" });
  listing = extract_ok (sb, tb, NULL, NULL);
  assert_string_equal (listing,
                       "f dir2file 0644 0:0 n1 'file now'\n"
                       "d file2dir 0755 0:0\n"
                       "d link2dir 0700 0:0\n"
                       "f link2dir/in 0644 0:0 n1 'i'\n"
                       "f link2file 0644 0:0 n1 'replaced'\n"
                       "d merge 0711 0:0\n"
                       "f merge/kept 0644 0:0 n1 'k'\n"
                       "f target 0644 0:0 n1 't'\n"
                       "d tdir 0755 0:0\n"
                       "f twice 0600 0:0 n1 'second'\n");
}

static void
test_overlay_whiteouts (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);
  mcimg_unpack_stats_t stats;
  cleanup_free char *listing = NULL;
  cleanup_free char *opq = xasprintf ("%s/d", sb->root);
  cleanup_free char *v = NULL;

  tb_add (tb, &(tb_entry_t) { .path = ".wh.gone" });
  tb_add (tb, &(tb_entry_t) { .path = "d", .type = AE_IFDIR });
  tb_add (tb, &(tb_entry_t) { .path = "d/.wh..wh..opq" });
  tb_add (tb, &(tb_entry_t) { .path = "d/new", .data = "n" });
  tb_add (tb, &(tb_entry_t) { .path = "sub/dir/.wh.x" });
  tb_add (tb, &(tb_entry_t) { .path = ".wh..wh.plnk", .type = AE_IFDIR });
  /* The layer's own file wins over its whiteout, in either order.  */
  tb_add (tb, &(tb_entry_t) { .path = "mine1", .data = "1" });
  tb_add (tb, &(tb_entry_t) { .path = ".wh.mine1" });
  tb_add (tb, &(tb_entry_t) { .path = ".wh.mine2" });
  tb_add (tb, &(tb_entry_t) { .path = "mine2", .data = "2" });
  listing = extract_ok (sb, tb, NULL, &stats);
  assert_string_equal (listing,
                       "d d 0755 0:0\n"
                       "f d/new 0644 0:0 n1 'n'\n"
                       "c gone 0000 0:0 0,0\n"
                       "f mine1 0644 0:0 n1 '1'\n"
                       "f mine2 0644 0:0 n1 '2'\n"
                       "d sub 0755 0:0\n"
                       "d sub/dir 0755 0:0\n"
                       "c sub/dir/x 0000 0:0 0,0\n");
  v = xattr_of (opq, "trusted.overlay.opaque");
  assert_string_equal (v, "y");
  assert_int_equal (stats.whiteouts, 4);
  assert_int_equal (stats.opaques, 1);
  assert_int_equal (stats.skipped, 1);
}

/* Through the stream pipeline, as the rootfs builder will use it.  */
static void
flat_apply (sandbox_t *sb, tb_t *tb)
{
  const mcimg_unpack_options_t flat = { .mode = MCIMG_UNPACK_FLAT };
  cleanup_error mc_error_t err = NULL;
  cleanup_free void *data = NULL;
  size_t len;

  data = tb_finish (tb, &len);
  if (unpack_stream_mem (sb->root_fd, data, len, &flat, &err) < 0)
    fail_msg ("unpack failed: %s", error_text (err));
}

static void
check_flat_layers (sandbox_t *sb, int opaque_first)
{
  tb_t *lower = tb_new (NULL), *upper = tb_new ("gzip");
  cleanup_free char *listing = NULL;

  tb_add (lower, &(tb_entry_t) { .path = "a/1", .data = "a1" });
  tb_add (lower, &(tb_entry_t) { .path = "a/2", .data = "a2" });
  tb_add (lower, &(tb_entry_t) { .path = "b/x", .data = "bx" });
  tb_add (lower, &(tb_entry_t) { .path = "c/old", .data = "o" });
  tb_add (lower, &(tb_entry_t) { .path = "c/sub/old2", .data = "o2" });
  tb_add (lower, &(tb_entry_t) { .path = "c/link", .type = AE_IFLNK, .symlink = "/a" });
  /* A directory removed while descending into c/sub, then a sibling after
     sub: catches removals that invalidate the fd being iterated.  */
  tb_add (lower, &(tb_entry_t) { .path = "c/sub/olddir/x", .data = "x" });
  tb_add (lower, &(tb_entry_t) { .path = "c/zzz", .data = "z" });
  tb_add (lower, &(tb_entry_t) { .path = "keep", .data = "k" });
  flat_apply (sb, lower);

  tb_add (upper, &(tb_entry_t) { .path = ".wh.b" });
  tb_add (upper, &(tb_entry_t) { .path = "a/.wh.1" });
  tb_add (upper, &(tb_entry_t) { .path = "a/.wh.nonexistent" });
  if (opaque_first)
    tb_add (upper, &(tb_entry_t) { .path = "c/.wh..wh..opq" });
  tb_add (upper, &(tb_entry_t) { .path = "c/new", .data = "n" });
  tb_add (upper, &(tb_entry_t) { .path = "c/sub/new2", .data = "n2" });
  if (!opaque_first)
    tb_add (upper, &(tb_entry_t) { .path = "c/.wh..wh..opq" });
  tb_add (upper, &(tb_entry_t) { .path = "keepnew", .data = "kn" });
  tb_add (upper, &(tb_entry_t) { .path = ".wh.keepnew" });
  flat_apply (sb, upper);

  listing = tree_listing (sb->root_fd);
  assert_string_equal (listing,
                       "d a 0755 0:0\n"
                       "f a/2 0644 0:0 n1 'a2'\n"
                       "d c 0755 0:0\n"
                       "f c/new 0644 0:0 n1 'n'\n"
                       "d c/sub 0755 0:0\n"
                       "f c/sub/new2 0644 0:0 n1 'n2'\n"
                       "f keep 0644 0:0 n1 'k'\n"
                       "f keepnew 0644 0:0 n1 'kn'\n");
}

static void
test_flat_layers_opaque_first (void **state)
{
  check_flat_layers (*state, 1);
}

static void
test_flat_layers_opaque_last (void **state)
{
  check_flat_layers (*state, 0);
}

static void
test_utf8_and_odd_names (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);
  cleanup_free char *listing = NULL;

  tb_add (tb, &(tb_entry_t) { .path = "caf\xc3\xa9/na\xc3\xafve", .data = "u" });
  tb_add (tb, &(tb_entry_t) { .path = "sp ace/-dash", .data = "s" });
  tb_add (tb, &(tb_entry_t) { .path = "...", .data = "dots" });
  listing = extract_ok (sb, tb, NULL, NULL);
  assert_string_equal (listing,
                       "f ... 0644 0:0 n1 'dots'\n"
                       "d caf\xc3\xa9 0755 0:0\n"
                       "f caf\xc3\xa9/na\xc3\xafve 0644 0:0 n1 'u'\n"
                       "d sp ace 0755 0:0\n"
                       "f sp ace/-dash 0644 0:0 n1 's'\n");
}

static void
test_no_chown (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);
  const mcimg_unpack_options_t opts = { .flags = MCIMG_UNPACK_NO_CHOWN };
  cleanup_free char *listing = NULL;

  tb_add (tb, &(tb_entry_t) { .path = "d", .type = AE_IFDIR, .uid = 5, .gid = 5 });
  tb_add (tb, &(tb_entry_t) { .path = "d/f", .uid = 5, .gid = 5, .data = "f" });
  listing = extract_ok (sb, tb, &opts, NULL);
  assert_string_equal (listing, "d d 0755 0:0\nf d/f 0644 0:0 n1 'f'\n");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_basic_tree, setup, teardown),
    cmocka_unit_test_setup_teardown (test_readonly_dir_filled, setup, teardown),
    cmocka_unit_test_setup_teardown (test_root_entry_metadata, setup, teardown),
    cmocka_unit_test_setup_teardown (test_xattrs, setup, teardown),
    cmocka_unit_test_setup_teardown (test_long_names_pax, setup, teardown),
    cmocka_unit_test_setup_teardown (test_long_names_gnu, setup, teardown),
    cmocka_unit_test_setup_teardown (test_replacements, setup, teardown),
    cmocka_unit_test_setup_teardown (test_overlay_whiteouts, setup, teardown),
    cmocka_unit_test_setup_teardown (test_flat_layers_opaque_first, setup, teardown),
    cmocka_unit_test_setup_teardown (test_flat_layers_opaque_last, setup, teardown),
    cmocka_unit_test_setup_teardown (test_utf8_and_odd_names, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_chown, setup, teardown),
  };

  if (geteuid () != 0)
    {
      printf ("1..0 # SKIP the unpacker tests need root (chown, mknod)\n");
      return 0;
    }
  return cmocka_run_group_tests (tests, NULL, NULL);
}
