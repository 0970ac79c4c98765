/* runtime/lib/mounts.c and idmap.c: mount options split into flags, the
   recursive attributes, the idmap options, refusals and file-system
   data.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mount.h>

#include <cmocka.h>

#include "runtime/lib/idmap.h"
#include "runtime/lib/mounts.h"

#define PARSE(o, ...)                                                       \
  do                                                                        \
    {                                                                       \
      char *opts_[] = { __VA_ARGS__ };                                      \
      mc_mount_options_parse (opts_, sizeof (opts_) / sizeof (opts_[0]),    \
                              (o));                                         \
    }                                                                       \
  while (0)

static void
test_recursive_flags (void **state)
{
  mc_mount_options_t o;

  PARSE (&o, "rbind", "rro", "rnosuid", "rnodev", "rnoexec", "rnodiratime",
         "rnosymfollow");
  assert_true (o.bind && o.recursive);
  assert_int_equal (o.rec_set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID
                               | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC
                               | MOUNT_ATTR_NODIRATIME
                               | MOUNT_ATTR_NOSYMFOLLOW);
  assert_int_equal (o.rec_clear, 0);
  /* Not mount(2) flags, and not data.  */
  assert_int_equal (o.flags, 0);
  assert_null (o.data);
  assert_null (o.refused);
  mc_mount_options_free (&o);

  /* The last of a set/clear pair wins.  */
  PARSE (&o, "rro", "rrw", "rsuid", "rnosuid");
  assert_int_equal (o.rec_set, MOUNT_ATTR_NOSUID);
  assert_int_equal (o.rec_clear, MOUNT_ATTR_RDONLY);
  mc_mount_options_free (&o);
}

static void
test_recursive_atime (void **state)
{
  mc_mount_options_t o;

  /* One mode, the last; the whole atime field is cleared first.  */
  PARSE (&o, "rnoatime", "rstrictatime");
  assert_int_equal (o.rec_set, MOUNT_ATTR_STRICTATIME);
  assert_int_equal (o.rec_clear, MOUNT_ATTR__ATIME);
  mc_mount_options_free (&o);
  PARSE (&o, "rnodiratime", "rrelatime");
  assert_int_equal (o.rec_set, MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_RELATIME);
  assert_int_equal (o.rec_clear, MOUNT_ATTR__ATIME);
  /* Not the non-recursive atime handling.  */
  assert_false (o.has_atime);
  mc_mount_options_free (&o);
}

static void
test_refused (void **state)
{
  mc_mount_options_t o;

  PARSE (&o, "rbind", "ratime");
  assert_string_equal (o.refused, "ratime");
  assert_null (o.data);
  mc_mount_options_free (&o);
  PARSE (&o, "rnostrictatime");
  assert_string_equal (o.refused, "rnostrictatime");
  mc_mount_options_free (&o);
}

static void
test_idmap (void **state)
{
  mc_mount_options_t o;
  spec_mount_t m = { .destination = "/d", .source = "/s", .type = "bind" };
  spec_id_mapping_t map = { 0, 1000, 1 };
  char *bind[] = { "bind" };
  char *idmap[] = { "bind", "idmap" };
  char *ridmap[] = { "rbind", "ridmap" };

  PARSE (&o, "idmap");
  assert_true (o.idmap);
  assert_false (o.idmap_recursive);
  assert_null (o.data);
  mc_mount_options_free (&o);
  PARSE (&o, "ridmap");
  assert_true (o.idmap && o.idmap_recursive);
  mc_mount_options_free (&o);

  m.options = bind;
  m.options_len = 1;
  assert_false (mc_idmap_wanted (&m));
  m.options = idmap;
  m.options_len = 2;
  assert_true (mc_idmap_wanted (&m));
  m.options = ridmap;
  assert_true (mc_idmap_wanted (&m));
  /* Mappings alone ask for it, as with runc.  */
  m.options = bind;
  m.options_len = 1;
  m.uid_mappings = &map;
  m.uid_mappings_len = 1;
  assert_true (mc_idmap_wanted (&m));
}

static void
test_data_untouched (void **state)
{
  mc_mount_options_t o;

  PARSE (&o, "ro", "size=1m", "rro", "mode=755");
  assert_int_equal (o.flags, MS_RDONLY);
  assert_int_equal (o.rec_set, MOUNT_ATTR_RDONLY);
  assert_string_equal (o.data, "size=1m,mode=755");
  mc_mount_options_free (&o);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_recursive_flags),
    cmocka_unit_test (test_recursive_atime),
    cmocka_unit_test (test_refused),
    cmocka_unit_test (test_idmap),
    cmocka_unit_test (test_data_untouched),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
