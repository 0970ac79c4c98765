/* User resolution from an image's own /etc/passwd and /etc/group, and
   hostile files: symlinks out of the rootfs, devices, FIFOs.  */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/image-user.h"

static char root[] = "/tmp/bundle-user-test.XXXXXX";
static int root_fd = -1;

static void
put (const char *path, const char *text)
{
  mc_error_t err = NULL;
  assert_int_equal (mc_write_file_atomic_at (root_fd, path, text,
                                             strlen (text), 0644, 0, &err),
                    0);
}

static int
setup (void **state)
{
  (void) state;
  if (mkdtemp (root) == NULL)
    return -1;
  root_fd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0 || mkdirat (root_fd, "etc", 0755) < 0)
    return -1;
  put ("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
                     "bad line\n"
                     "app:x:1000:1000:App:/home/app:/bin/sh\n"
                     "nohome:x:1001:1001::::\n");
  put ("etc/group", "root:x:0:\n"
                    "app:x:1000:\n"
                    "wheel:x:10:root,app\n"
                    "audio:x:29:other,app\n"
                    "staff:x:50:\n");
  return 0;
}

static int
teardown (void **state)
{
  mc_error_t err = NULL;
  (void) state;
  close (root_fd);
  mc_rm_rf_at (AT_FDCWD, root, &err);
  mc_error_release (&err);
  return 0;
}

static void
resolve_ok (const char *spec, uint32_t uid, uint32_t gid, const char *home,
            size_t ngids)
{
  mcimg_image_user_t u;
  mc_error_t err = NULL;

  assert_int_equal (mcimg_image_user_resolve (root_fd, spec, &u, &err), 0);
  assert_int_equal (u.uid, uid);
  assert_int_equal (u.gid, gid);
  assert_string_equal (u.home, home);
  assert_int_equal (u.additional_gids_len, ngids);
  mcimg_image_user_clear (&u);
}

static void
resolve_fails (const char *spec, const char *msg)
{
  mcimg_image_user_t u;
  mc_error_t err = NULL;

  assert_true (mcimg_image_user_resolve (root_fd, spec, &u, &err) < 0);
  if (strstr (err->msg, msg) == NULL)
    fail_msg ("`%s`: got `%s`, expected `%s`", spec, err->msg, msg);
  mc_error_release (&err);
}

static void
test_forms (void **state)
{
  (void) state;
  resolve_ok (NULL, 0, 0, "/root", 1);
  resolve_ok ("app", 1000, 1000, "/home/app", 2);
  resolve_ok ("1000", 1000, 1000, "/home/app", 2);
  resolve_ok ("app:staff", 1000, 50, "/home/app", 2);
  resolve_ok ("app:7", 1000, 7, "/home/app", 2);
  resolve_ok ("4242", 4242, 0, "/", 0);
  resolve_ok ("4242:4343", 4242, 4343, "/", 0);
  resolve_ok ("nohome", 1001, 1001, "/", 0);
  resolve_fails ("nobody", "no such user");
  resolve_fails ("app:nogroup", "group `nogroup` not found");
  resolve_fails ("app:", "expected NAME");
}

static void
test_hostile (void **state)
{
  (void) state;
  /* Absolute symlink out: clamped into the rootfs, where it is missing. */
  assert_int_equal (unlinkat (root_fd, "etc/passwd", 0), 0);
  assert_int_equal (symlinkat ("/etc/shadow-not-here", root_fd, "etc/passwd"),
                    0);
  resolve_fails ("app", "symlink to nothing inside the image");
  /* To /dev/zero: inside the rootfs a device, not a regular file.  */
  assert_int_equal (unlinkat (root_fd, "etc/passwd", 0), 0);
  assert_int_equal (symlinkat ("../../../../dev/zero", root_fd, "etc/passwd"),
                    0);
  assert_int_equal (mkdirat (root_fd, "dev", 0755), 0);
  assert_int_equal (mkfifoat (root_fd, "dev/zero", 0644), 0);
  resolve_fails ("app", "not a regular file");
  resolve_fails ("0", "not a regular file");
  /* No passwd at all: numbers still work, names do not.  */
  assert_int_equal (unlinkat (root_fd, "etc/passwd", 0), 0);
  resolve_ok ("0", 0, 0, "/", 0);
  resolve_fails ("app", "no such user");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_forms),
    cmocka_unit_test (test_hostile),
  };
  return cmocka_run_group_tests (tests, setup, teardown);
}
