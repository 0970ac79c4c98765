/* The store's blob and layer bookkeeping (imagetool/lib/store.c): partial
   blobs resumed and committed, the crash leftovers a layer directory can
   hold and their cleanup, the l/ short links.  */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/store.h"

#define DIFF_HEX "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define DIFF "sha256:" DIFF_HEX
/* sha256("hello") */
#define HELLO_HEX "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
#define HELLO "sha256:" HELLO_HEX

struct fixture
{
  char dir[64];
  mcimg_store_t *store;
  int root;
};

static int
setup (void **state)
{
  struct fixture *f = xzalloc (sizeof (*f));
  cleanup_free char *root = NULL;
  mc_error_t err = NULL;

  strcpy (f->dir, "/tmp/store-layer-test.XXXXXX");
  assert_non_null (mkdtemp (f->dir));
  root = xasprintf ("%s/store", f->dir);
  assert_int_equal (mcimg_store_open (root, &f->store, &err), 0);
  f->root = mcimg_store_dirfd (f->store);
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  struct fixture *f = *state;
  mc_error_t err = NULL;

  mcimg_store_close (f->store);
  assert_int_equal (mc_rm_rf_at (AT_FDCWD, f->dir, &err), 0);
  free (f);
  return 0;
}

static bool
exists (int dirfd, const char *path)
{
  return faccessat (dirfd, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

static void
test_partial_resume_and_commit (void **state)
{
  struct fixture *f = *state;
  mc_error_t err = NULL;
  uint64_t have = 99;
  int fd;

  fd = mcimg_store_open_partial (f->store, HELLO, &have, &err);
  assert_true (fd >= 0);
  assert_int_equal (have, 0);
  assert_int_equal (mc_write_all (fd, "hel", 3), 0);
  close (fd);

  /* A later pull finds the first bytes and appends the rest.  */
  fd = mcimg_store_open_partial (f->store, HELLO, &have, &err);
  assert_int_equal (have, 3);
  assert_int_equal (mc_write_all (fd, "lo", 2), 0);
  assert_false (mcimg_store_has_blob (f->store, HELLO));
  assert_int_equal (mcimg_store_commit_partial (f->store, HELLO, fd, &err), 0);
  close (fd);
  assert_true (mcimg_store_has_blob (f->store, HELLO));
  assert_false (exists (f->root, "tmp/" HELLO_HEX ".partial"));
  {
    cleanup_free char *data = NULL;
    size_t len;
    assert_int_equal (mcimg_store_read_blob (f->store, HELLO, 100, &data, &len,
                                             &err), 0);
    assert_string_equal (data, "hello");
  }
  /* put_blob keeps what is there.  */
  assert_int_equal (mcimg_store_put_blob (f->store, HELLO, "hello", 5, &err), 0);
}

static void
test_layer_dir_cleans_crash_leftovers (void **state)
{
  struct fixture *f = *state;
  mc_error_t err = NULL;
  int fd;

  /* A pull killed after the unpacker's rename but before `link`, with an
     older temporary tree beside it.  */
  assert_int_equal (mkdirat (f->root, "layers/" DIFF_HEX, 0755), 0);
  assert_int_equal (mkdirat (f->root, "layers/" DIFF_HEX "/diff", 0755), 0);
  assert_int_equal (mkdirat (f->root, "layers/" DIFF_HEX "/.tmp-diff-x", 0755),
                    0);
  assert_false (mcimg_store_has_layer (f->store, DIFF));

  fd = mcimg_store_layer_dir (f->store, DIFF, &err);
  assert_true (fd >= 0);
  assert_false (exists (fd, "diff"));
  assert_false (exists (fd, ".tmp-diff-x"));

  assert_int_equal (mkdirat (fd, "diff", 0755), 0);
  assert_int_equal (mcimg_store_layer_finish (f->store, DIFF, &err), 0);
  assert_true (mcimg_store_has_layer (f->store, DIFF));
  {
    cleanup_free char *id = NULL, *l = NULL;
    struct stat st;
    size_t len;
    assert_int_equal (mc_read_file_at (fd, "link", 64, &id, &len, &err), 0);
    assert_int_equal (len, 26);
    l = xasprintf ("l/%s", id);
    assert_int_equal (fstatat (f->root, l, &st, 0), 0); /* follows */
    assert_true (S_ISDIR (st.st_mode));
  }
  /* Finishing twice keeps the first link.  */
  assert_int_equal (mcimg_store_layer_finish (f->store, DIFF, &err), 0);
  close (fd);

  /* A complete layer is left alone by layer_dir.  */
  fd = mcimg_store_layer_dir (f->store, DIFF, &err);
  assert_true (exists (fd, "diff"));
  close (fd);
}

static void
test_abandon_only_empty (void **state)
{
  struct fixture *f = *state;
  mc_error_t err = NULL;
  int fd = mcimg_store_layer_dir (f->store, DIFF, &err);

  assert_true (fd >= 0);
  close (fd);
  mcimg_store_layer_abandon (f->store, DIFF);
  assert_false (exists (f->root, "layers/" DIFF_HEX));
}

static void
test_bad_digests_refused (void **state)
{
  struct fixture *f = *state;
  mc_error_t err = NULL;
  uint64_t have;

  assert_true (mcimg_store_open_partial (f->store, "sha256:../../x", &have,
                                         &err) < 0);
  mc_error_release (&err);
  assert_true (mcimg_store_layer_dir (f->store, "sha256:ABC", &err) < 0);
  mc_error_release (&err);
  assert_false (mcimg_store_has_layer (f->store, "md5:00"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown (test_partial_resume_and_commit, setup,
                                     teardown),
    cmocka_unit_test_setup_teardown (test_layer_dir_cleans_crash_leftovers,
                                     setup, teardown),
    cmocka_unit_test_setup_teardown (test_abandon_only_empty, setup, teardown),
    cmocka_unit_test_setup_teardown (test_bad_digests_refused, setup,
                                     teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
