/* common/fileutil.c: bounded reads, atomic writes, mkdir -p and rm -rf.  */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"

static char *
make_tempdir (void)
{
  char *dir = xstrdup ("/tmp/fileutil-test.XXXXXX");
  assert_non_null (mkdtemp (dir));
  return dir;
}

static void
remove_tree (const char *dir)
{
  mc_error_t err = NULL;
  assert_int_equal (mc_rm_rf_at (AT_FDCWD, dir, &err), 0);
  assert_null (err);
}

static void
test_read_file_bounded (void **state)
{
  cleanup_free char *dir = make_tempdir ();
  cleanup_free char *path = xasprintf ("%s/f", dir);
  cleanup_free char *data = NULL;
  mc_error_t err = NULL;
  size_t len = 0;

  assert_int_equal (mc_write_file_atomic_at (AT_FDCWD, path, "hello", 5, 0600, 1, &err), 0);
  assert_int_equal (mc_read_file_at (AT_FDCWD, path, 5, &data, &len, &err), 0);
  assert_int_equal (len, 5);
  assert_string_equal (data, "hello");

  free (steal_ptr (&data));
  assert_true (mc_read_file_at (AT_FDCWD, path, 4, &data, &len, &err) < 0);
  assert_int_equal (err->status, EFBIG);
  mc_error_release (&err);

  assert_true (mc_read_file_at (AT_FDCWD, "/nonexistent/x", 10, &data, &len, &err) < 0);
  assert_int_equal (err->status, ENOENT);
  assert_string_equal (err->msg, "open `/nonexistent/x`");
  mc_error_release (&err);
  remove_tree (dir);
}

static void
test_atomic_write_replaces_and_leaves_no_temp (void **state)
{
  cleanup_free char *dir = make_tempdir ();
  cleanup_free char *path = xasprintf ("%s/f", dir);
  cleanup_free char *data = NULL;
  cleanup_dir DIR *d = NULL;
  struct dirent *de;
  struct stat st;
  mc_error_t err = NULL;
  int entries = 0;

  assert_int_equal (mc_write_file_atomic_at (AT_FDCWD, path, "one", 3, 0640, 0, &err), 0);
  assert_int_equal (mc_write_file_atomic_at (AT_FDCWD, path, "two!", 4, 0640, 1, &err), 0);
  assert_int_equal (mc_read_file_at (AT_FDCWD, path, 100, &data, NULL, &err), 0);
  assert_string_equal (data, "two!");
  assert_int_equal (stat (path, &st), 0);
  assert_int_equal (st.st_mode & 07777, 0640);
  d = opendir (dir);
  while ((de = readdir (d)))
    if (de->d_name[0] != '.')
      entries++;
  assert_int_equal (entries, 1);
  remove_tree (dir);
}

static void
test_mkdir_p (void **state)
{
  cleanup_free char *dir = make_tempdir ();
  cleanup_free char *deep = xasprintf ("%s/a/b/c", dir);
  struct stat st;
  mc_error_t err = NULL;

  assert_int_equal (mc_mkdir_p (deep, 0700, &err), 0);
  assert_int_equal (mc_mkdir_p (deep, 0700, &err), 0); /* exists: fine */
  assert_int_equal (stat (deep, &st), 0);
  assert_true (S_ISDIR (st.st_mode));
  remove_tree (dir);
}

/* A tree far deeper than the fd limit is removed, and a symlink inside it
   that points outside is removed, not followed.  */
static void
test_rm_rf_deep_tree_and_symlinks (void **state)
{
  cleanup_free char *dir = make_tempdir ();
  cleanup_free char *canary = make_tempdir ();
  cleanup_free char *canary_file = xasprintf ("%s/keep", canary);
  cleanup_close int fd = -1;
  struct rlimit saved, low;
  mc_error_t err = NULL;
  struct stat st;
  int i;

  assert_int_equal (mc_write_file_atomic_at (AT_FDCWD, canary_file, "x", 1, 0600, 0, &err), 0);
  fd = open (dir, O_RDONLY | O_DIRECTORY);
  assert_true (fd >= 0);
  assert_int_equal (mkdirat (fd, "tree", 0755), 0);
  {
    int cur = openat (fd, "tree", O_RDONLY | O_DIRECTORY);
    for (i = 0; i < 3000; i++)
      {
        int next;
        assert_int_equal (symlinkat (canary, cur, "link"), 0);
        assert_int_equal (mkdirat (cur, "d", 0755), 0);
        next = openat (cur, "d", O_RDONLY | O_DIRECTORY);
        assert_true (next >= 0);
        close (cur);
        cur = next;
      }
    close (cur);
  }

  /* Only the soft limit: it is the one open() obeys, and lowering the hard
     limit could not be undone without CAP_SYS_RESOURCE.  */
  assert_int_equal (getrlimit (RLIMIT_NOFILE, &saved), 0);
  low.rlim_cur = 32;
  low.rlim_max = saved.rlim_max;
  assert_int_equal (setrlimit (RLIMIT_NOFILE, &low), 0);
  i = mc_rm_rf_at (fd, "tree", &err);
  assert_int_equal (setrlimit (RLIMIT_NOFILE, &saved), 0);
  if (i < 0)
    fail_msg ("mc_rm_rf_at: %s", err->msg);
  assert_int_equal (fstatat (fd, "tree", &st, AT_SYMLINK_NOFOLLOW), -1);
  assert_int_equal (errno, ENOENT);
  assert_int_equal (stat (canary_file, &st), 0);

  /* A missing path is not an error; a plain file is removed.  */
  assert_int_equal (mc_rm_rf_at (fd, "missing", &err), 0);
  remove_tree (dir);
  remove_tree (canary);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_read_file_bounded),
    cmocka_unit_test (test_atomic_write_replaces_and_leaves_no_temp),
    cmocka_unit_test (test_mkdir_p),
    cmocka_unit_test (test_rm_rf_deep_tree_and_symlinks),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
