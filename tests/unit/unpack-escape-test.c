/* Hostile layers.  Every test has a canary directory next to the root (at
   an absolute path the tarballs aim at) and checks it is unchanged; each
   case asserts whether the entry was REFUSED (error naming the entry) or
   CONTAINED (written, but inside the root, where RESOLVE_IN_ROOT puts it).  */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
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
#include "imagetool/lib/safe-path.h"
#include "imagetool/lib/unpack.h"
#include "tests/unit/unpack-testlib.h"

static const mcimg_unpack_options_t flat = { .mode = MCIMG_UNPACK_FLAT };

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
  mc_safe_path_force_walk = 0;
  sandbox_teardown (*state);
  free (*state);
  return 0;
}

static void
assert_refused_data (sandbox_t *sb, const void *data, size_t len,
                     const mcimg_unpack_options_t *opts, const char *entry,
                     const char *reason)
{
  cleanup_error mc_error_t err = NULL;
  cleanup_free char *msg = NULL;
  cleanup_free char *named = NULL;

  if (unpack_mem (sb->root_fd, data, len, opts, NULL, &err) == 0)
    fail_msg ("hostile entry `%s` was accepted", entry);
  msg = mc_error_string (err);
  if (entry)
    {
      named = xasprintf ("entry `%s`", entry);
      if (strstr (msg, named) == NULL)
        fail_msg ("error does not name the entry `%s`: %s", entry, msg);
    }
  if (strstr (msg, reason) == NULL)
    fail_msg ("error lacks `%s`: %s", reason, msg);
  sandbox_assert_canary_intact (sb);
}

/* Extraction must fail, name `entry` and mention `reason`.  */
static void
assert_refused (sandbox_t *sb, tb_t *tb, const mcimg_unpack_options_t *opts,
                const char *entry, const char *reason)
{
  cleanup_free void *data = NULL;
  size_t len;

  data = tb_finish (tb, &len);
  assert_refused_data (sb, data, len, opts, entry, reason);
}

static void
assert_contained (sandbox_t *sb, tb_t *tb, const mcimg_unpack_options_t *opts)
{
  cleanup_error mc_error_t err = NULL;
  cleanup_free void *data = NULL;
  size_t len;

  data = tb_finish (tb, &len);
  if (unpack_mem (sb->root_fd, data, len, opts, NULL, &err) < 0)
    fail_msg ("extraction failed: %s", error_text (err));
  sandbox_assert_canary_intact (sb);
}

static void
assert_file_in_root (sandbox_t *sb, const char *path, const char *content)
{
  cleanup_error mc_error_t err = NULL;
  cleanup_free char *data = NULL;

  if (mc_read_file_at (sb->root_fd, path, 4096, &data, NULL, &err) < 0)
    fail_msg ("%s", error_text (err));
  assert_string_equal (data, content);
}

/* The canary's absolute path, as a path inside the root ("tmp/.../canary").  */
static const char *
canary_in_root (sandbox_t *sb)
{
  return sb->canary + 1;
}

/* Entries recreating the canary's path inside the root, so that symlinks to
   it resolve (inside) instead of dangling.  */
static void
add_canary_mirror (sandbox_t *sb, tb_t *tb)
{
  cleanup_free char *victim = xasprintf ("%s/victim", canary_in_root (sb));

  tb_add (tb, &(tb_entry_t) { .path = victim, .data = "inroot" });
}

static void
test_dotdot_refused (void **state)
{
  sandbox_t *sb = *state;
  const char *names[] = { "../escaped", "a/../../escaped", "..", "./../x",
                          "a/b/../../../../x" };

  for (size_t i = 0; i < sizeof (names) / sizeof (names[0]); i++)
    {
      tb_t *tb = tb_new (NULL);
      tb_add (tb, &(tb_entry_t) { .path = names[i], .data = "pwned" });
      assert_refused (sb, tb, NULL, names[i], "`..` component");
    }
}

static void
test_absolute_names_contained (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);
  cleanup_free char *abs = xasprintf ("%s/victim", sb->canary);

  tb_add (tb, &(tb_entry_t) { .path = "/escaped", .data = "1" });
  tb_add (tb, &(tb_entry_t) { .path = "///x", .data = "2" });
  tb_add (tb, &(tb_entry_t) { .path = abs, .data = "3" });
  assert_contained (sb, tb, NULL);
  assert_file_in_root (sb, "escaped", "1");
  assert_file_in_root (sb, "x", "2");
  assert_file_in_root (sb, abs + 1, "3");
}

static void
test_planted_symlink_dangling_refused (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);

  /* evil -> /tmp/.../canary/etc: inside the root that does not exist.  */
  cleanup_free char *target = xasprintf ("%s/etc", sb->canary);
  tb_add (tb, &(tb_entry_t) { .path = "evil", .type = AE_IFLNK, .symlink = target });
  tb_add (tb, &(tb_entry_t) { .path = "evil/passwd", .data = "pwned" });
  assert_refused (sb, tb, NULL, "evil/passwd", "open directory `evil`");
}

static void
test_planted_symlink_contained (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);
  cleanup_free char *in_root = xasprintf ("%s/passwd", canary_in_root (sb));

  add_canary_mirror (sb, tb);
  tb_add (tb, &(tb_entry_t) { .path = "evil", .type = AE_IFLNK, .symlink = sb->canary });
  tb_add (tb, &(tb_entry_t) { .path = "evil/passwd", .data = "pwned" });
  tb_add (tb, &(tb_entry_t) { .path = "evil/victim", .data = "pwned" });
  /* Relative climbing is clamped at the root as well.  */
  tb_add (tb, &(tb_entry_t) { .path = "up", .type = AE_IFLNK,
                              .symlink = "../../../../../../.." });
  tb_add (tb, &(tb_entry_t) { .path = "up/escaped", .data = "up" });
  /* A chain ending in `/`.  */
  tb_add (tb, &(tb_entry_t) { .path = "b", .type = AE_IFLNK, .symlink = "/" });
  tb_add (tb, &(tb_entry_t) { .path = "a", .type = AE_IFLNK, .symlink = "b" });
  tb_add (tb, &(tb_entry_t) { .path = "a/x", .data = "chain" });
  assert_contained (sb, tb, NULL);
  assert_file_in_root (sb, in_root, "pwned");
  {
    cleanup_free char *victim = xasprintf ("%s/victim", canary_in_root (sb));
    assert_file_in_root (sb, victim, "pwned");
  }
  assert_file_in_root (sb, "escaped", "up");
  assert_file_in_root (sb, "x", "chain");
}

static void
test_symlink_loop_refused (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);

  tb_add (tb, &(tb_entry_t) { .path = "l1", .type = AE_IFLNK, .symlink = "l2" });
  tb_add (tb, &(tb_entry_t) { .path = "l2", .type = AE_IFLNK, .symlink = "l1" });
  tb_add (tb, &(tb_entry_t) { .path = "l1/x", .data = "loop" });
  assert_refused (sb, tb, NULL, "l1/x", "Too many levels of symbolic links");
}

static void
test_hardlink_outside_refused (void **state)
{
  sandbox_t *sb = *state;
  cleanup_free char *abs = xasprintf ("%s/victim", sb->canary);
  tb_t *tb;

  tb = tb_new (NULL);
  tb_add (tb, &(tb_entry_t) { .path = "x", .hardlink = "../canary/victim" });
  assert_refused (sb, tb, NULL, "x", "hardlink target: `..` component");

  tb = tb_new (NULL);
  tb_add (tb, &(tb_entry_t) { .path = "y", .hardlink = abs });
  assert_refused (sb, tb, NULL, "y", "No such file or directory");

  tb = tb_new (NULL);
  tb_add (tb, &(tb_entry_t) { .path = "evil", .type = AE_IFLNK, .symlink = sb->canary });
  tb_add (tb, &(tb_entry_t) { .path = "z", .hardlink = "evil/victim" });
  assert_refused (sb, tb, NULL, "z", "hardlink target `evil/victim`");
}

static void
test_hardlink_through_symlink_contained (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);
  cleanup_free char *victim = xasprintf ("%s/victim", canary_in_root (sb));
  struct stat st;

  add_canary_mirror (sb, tb);
  tb_add (tb, &(tb_entry_t) { .path = "evil", .type = AE_IFLNK, .symlink = sb->canary });
  tb_add (tb, &(tb_entry_t) { .path = "z", .hardlink = "evil/victim" });
  assert_contained (sb, tb, NULL);
  assert_file_in_root (sb, "z", "inroot");
  assert_int_equal (fstatat (sb->root_fd, victim, &st, 0), 0);
  assert_int_equal (st.st_nlink, 2);
}

/* containerd CVE-2021-32760: a hardlink to a symlink, then the hardlink
   entry's mode applied through it.  */
static void
test_hardlink_to_symlink_no_chmod_through (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);
  cleanup_free char *victim = xasprintf ("%s/victim", sb->canary);
  char target[4096] = { 0 };
  struct stat st;

  tb_add (tb, &(tb_entry_t) { .path = "t", .data = "t", .mode = 0644 });
  tb_add (tb, &(tb_entry_t) { .path = "rel", .type = AE_IFLNK, .symlink = "t" });
  tb_add (tb, &(tb_entry_t) { .path = "link", .type = AE_IFLNK, .symlink = victim });
  tb_add (tb, &(tb_entry_t) { .path = "hl", .hardlink = "link", .mode = 04777,
                              .uid = 1000 });
  tb_add (tb, &(tb_entry_t) { .path = "hl2", .hardlink = "rel", .mode = 04777,
                              .uid = 1000 });
  assert_contained (sb, tb, NULL);
  assert_int_equal (fstatat (sb->root_fd, "hl", &st, AT_SYMLINK_NOFOLLOW), 0);
  assert_true (S_ISLNK (st.st_mode));
  assert_int_equal (st.st_nlink, 2);
  assert_true (readlinkat (sb->root_fd, "hl", target, sizeof (target) - 1) > 0);
  assert_string_equal (target, victim);
  assert_int_equal (fstatat (sb->root_fd, "t", &st, 0), 0);
  assert_int_equal (st.st_mode & 07777, 0644);
  assert_int_equal (st.st_uid, 0);
}

static void
test_replacing_symlink_does_not_write_through (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);
  cleanup_free char *victim = xasprintf ("%s/victim", sb->canary);

  tb_add (tb, &(tb_entry_t) { .path = "link", .type = AE_IFLNK, .symlink = victim });
  tb_add (tb, &(tb_entry_t) { .path = "link", .data = "pwned", .mode = 04777 });
  tb_add (tb, &(tb_entry_t) { .path = "dlink", .type = AE_IFLNK, .symlink = sb->canary });
  tb_add (tb, &(tb_entry_t) { .path = "dlink", .type = AE_IFDIR, .mode = 0777 });
  tb_add (tb, &(tb_entry_t) { .path = "dlink/victim", .data = "pwned" });
  tb_add (tb, &(tb_entry_t) { .path = "node", .type = AE_IFLNK, .symlink = victim });
  tb_add (tb, &(tb_entry_t) { .path = "node", .type = AE_IFIFO, .mode = 0666 });
  assert_contained (sb, tb, NULL);
  assert_file_in_root (sb, "link", "pwned");
  assert_file_in_root (sb, "dlink/victim", "pwned");
}

/* A directory replaced by a symlink after entries went into it: the parent
   cache must not keep writing into the old directory, and the directory's
   deferred metadata must not be applied to the symlink's target.  */
static void
test_dir_replaced_by_symlink (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);
  cleanup_free char *victim = xasprintf ("%s/victim", canary_in_root (sb));
  struct stat st;

  add_canary_mirror (sb, tb);
  tb_add (tb, &(tb_entry_t) { .path = "d", .type = AE_IFDIR, .mode = 0777, .uid = 99 });
  tb_add (tb, &(tb_entry_t) { .path = "d/a", .data = "a" });
  tb_add (tb, &(tb_entry_t) { .path = "d", .type = AE_IFLNK, .symlink = sb->canary });
  tb_add (tb, &(tb_entry_t) { .path = "d/victim", .data = "pwned" });
  assert_contained (sb, tb, NULL);
  assert_file_in_root (sb, victim, "pwned");
  assert_int_equal (fstatat (sb->root_fd, canary_in_root (sb), &st, 0), 0);
  assert_int_equal (st.st_mode & 07777, 0755);
  assert_int_equal (st.st_uid, 0);
}

/* umoci CVE-2021-29136: the root entry as a symlink.  */
static void
test_root_entry_symlink_refused (void **state)
{
  sandbox_t *sb = *state;
  const char *names[] = { ".", "./", "/" };

  for (size_t i = 0; i < sizeof (names) / sizeof (names[0]); i++)
    {
      tb_t *tb = tb_new (NULL);
      tb_add (tb, &(tb_entry_t) { .path = names[i], .type = AE_IFLNK,
                                  .symlink = sb->canary });
      tb_add (tb, &(tb_entry_t) { .path = "passwd", .data = "pwned" });
      assert_refused (sb, tb, NULL, names[i], "root directory can only be a directory");
    }
  {
    tb_t *tb = tb_new (NULL);
    /* (Not "./": libarchive reads a regular file with a trailing slash as
       a directory.)  */
    tb_add (tb, &(tb_entry_t) { .path = ".", .data = "file" });
    assert_refused (sb, tb, NULL, ".", "root directory can only be a directory");
  }
  {
    tb_t *tb = tb_new (NULL);
    tb_add (tb, &(tb_entry_t) { .path = "f", .data = "f" });
    tb_add (tb, &(tb_entry_t) { .path = ".", .hardlink = "f" });
    assert_refused (sb, tb, NULL, ".", "root directory can only be a directory");
  }
}

static void
test_whiteout_escapes (void **state)
{
  sandbox_t *sb = *state;
  cleanup_free char *victim = xasprintf ("%s/victim", canary_in_root (sb));
  struct stat st;
  tb_t *tb;

  tb = tb_new (NULL);
  tb_add (tb, &(tb_entry_t) { .path = "../.wh.victim" });
  assert_refused (sb, tb, &flat, "../.wh.victim", "`..` component");

  tb = tb_new (NULL);
  tb_add (tb, &(tb_entry_t) { .path = "a/.wh." });
  assert_refused (sb, tb, &flat, "a/.wh.", "whiteout of an invalid name");

  tb = tb_new (NULL);
  tb_add (tb, &(tb_entry_t) { .path = ".wh.." });
  assert_refused (sb, tb, NULL, ".wh..", "whiteout of an invalid name");

  /* OVERLAY: a whiteout below a planted symlink to a missing directory.  */
  tb = tb_new (NULL);
  tb_add (tb, &(tb_entry_t) { .path = "evil", .type = AE_IFLNK, .symlink = sb->canary });
  tb_add (tb, &(tb_entry_t) { .path = "evil/.wh.victim" });
  assert_refused (sb, tb, NULL, "evil/.wh.victim", "open directory `evil`");

  /* FLAT: lower layer has the mirror; the whiteout through the symlink
     deletes the mirror, inside.  */
  tb = tb_new (NULL);
  add_canary_mirror (sb, tb);
  tb_add (tb, &(tb_entry_t) { .path = "evil2", .type = AE_IFLNK, .symlink = sb->canary });
  tb_add (tb, &(tb_entry_t) { .path = "evil3", .type = AE_IFLNK, .symlink = sb->canary });
  assert_contained (sb, tb, &flat);
  tb = tb_new (NULL);
  tb_add (tb, &(tb_entry_t) { .path = "evil2/.wh.victim" });
  /* Whiteout of a symlink to a directory removes the symlink only.  */
  tb_add (tb, &(tb_entry_t) { .path = ".wh.evil3" });
  /* Opaque through a symlink: clears the in-root directory.  */
  tb_add (tb, &(tb_entry_t) { .path = "evil2/.wh..wh..opq" });
  assert_contained (sb, tb, &flat);
  assert_int_equal (fstatat (sb->root_fd, victim, &st, AT_SYMLINK_NOFOLLOW), -1);
  assert_int_equal (fstatat (sb->root_fd, "evil3", &st, AT_SYMLINK_NOFOLLOW), -1);
  assert_int_equal (fstatat (sb->root_fd, "evil2", &st, AT_SYMLINK_NOFOLLOW), 0);
}

static void
test_no_openat2_fallback_refuses_symlinked_parents (void **state)
{
  sandbox_t *sb = *state;
  tb_t *tb = tb_new (NULL);

  mc_safe_path_force_walk = 1;
  add_canary_mirror (sb, tb);
  tb_add (tb, &(tb_entry_t) { .path = "plain/dir/f", .data = "ok" });
  tb_add (tb, &(tb_entry_t) { .path = "evil", .type = AE_IFLNK, .symlink = sb->canary });
  tb_add (tb, &(tb_entry_t) { .path = "evil/victim", .data = "pwned" });
  assert_refused (sb, tb, NULL, "evil/victim", "symlinks in parent paths are refused");
  assert_file_in_root (sb, "plain/dir/f", "ok");
}

static void
test_pathological_names (void **state)
{
  sandbox_t *sb = *state;
  const mcimg_unpack_options_t small = { .max_path = 64 };
  char comp[300];
  tb_t *tb;

  {
    rawtar_t raw = { 0 };
    rawtar_add (&raw, "", '0', NULL, "empty");
    rawtar_finish (&raw);
    /* libarchive may already reject it; either way it is refused.  */
    assert_refused_data (sb, raw.data, raw.len, NULL, NULL, "");
    free (raw.data);
  }
  {
    /* A pax path with a NUL: libarchive keeps the part before it, so the
       name becomes "ab": contained in the root, never `../x`.  */
    static const char rec[] = "20 path=ab\0/../../x\n";
    rawtar_t raw = { 0 };
    cleanup_error mc_error_t err = NULL;
    struct stat st;

    rawtar_add_pax (&raw, rec, sizeof (rec) - 1);
    rawtar_add (&raw, "placeholder", '0', NULL, "nul");
    rawtar_finish (&raw);
    if (unpack_mem (sb->root_fd, raw.data, raw.len, NULL, NULL, &err) == 0)
      assert_int_equal (fstatat (sb->root_fd, "ab", &st, AT_SYMLINK_NOFOLLOW), 0);
    sandbox_assert_canary_intact (sb);
    free (raw.data);
  }
  memset (comp, 'n', 256);
  comp[256] = '\0';
  tb = tb_new (NULL);
  tb_add (tb, &(tb_entry_t) { .path = comp, .data = "x" });
  assert_refused (sb, tb, NULL, comp, "component longer than 255 bytes");

  tb = tb_new (NULL);
  tb_add (tb, &(tb_entry_t) { .path = "aaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbbbbbbbbbbb/"
                                      "cccccccccccccccccccccc", .data = "x" });
  assert_refused (sb, tb, &small, NULL, "path longer than 64 bytes");
}

static void
test_resource_limits (void **state)
{
  sandbox_t *sb = *state;
  const mcimg_unpack_options_t two = { .max_xattrs = 2, .max_xattr_size = 4 };
  tb_t *tb;

  tb = tb_new (NULL);
  tb_add (tb, &(tb_entry_t) { .path = "f", .xattr = { { "user.a", "1" },
                                                      { "user.b", "2" },
                                                      { "user.c", "3" } } });
  assert_refused (sb, tb, &two, "f", "more than 2 xattrs");

  tb = tb_new (NULL);
  tb_add (tb, &(tb_entry_t) { .path = "g", .xattr = { { "user.a", "hello" } } });
  assert_refused (sb, tb, &two, "g", "larger than 4 bytes");

  tb = tb_new (NULL);
  tb_add (tb, &(tb_entry_t) { .path = "h", .uid = 4294967295LL });
  assert_refused (sb, tb, NULL, "h", "out of range");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_dotdot_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_absolute_names_contained, setup, teardown),
    cmocka_unit_test_setup_teardown (test_planted_symlink_dangling_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_planted_symlink_contained, setup, teardown),
    cmocka_unit_test_setup_teardown (test_symlink_loop_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_hardlink_outside_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_hardlink_through_symlink_contained, setup, teardown),
    cmocka_unit_test_setup_teardown (test_hardlink_to_symlink_no_chmod_through, setup, teardown),
    cmocka_unit_test_setup_teardown (test_replacing_symlink_does_not_write_through, setup, teardown),
    cmocka_unit_test_setup_teardown (test_dir_replaced_by_symlink, setup, teardown),
    cmocka_unit_test_setup_teardown (test_root_entry_symlink_refused, setup, teardown),
    cmocka_unit_test_setup_teardown (test_whiteout_escapes, setup, teardown),
    cmocka_unit_test_setup_teardown (test_no_openat2_fallback_refuses_symlinked_parents, setup, teardown),
    cmocka_unit_test_setup_teardown (test_pathological_names, setup, teardown),
    cmocka_unit_test_setup_teardown (test_resource_limits, setup, teardown),
  };

  if (geteuid () != 0)
    {
      printf ("1..0 # SKIP the unpacker tests need root (chown, mknod)\n");
      return 0;
    }
  return cmocka_run_group_tests (tests, NULL, NULL);
}
