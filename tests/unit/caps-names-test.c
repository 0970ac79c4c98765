/* runtime/lib/capabilities.c: names to numbers, the sets as masks,
   unknown and unsupported names.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/capability.h>

#include <cmocka.h>

#include "runtime/lib/capabilities.h"

static void
test_names (void **state)
{
  assert_int_equal (mc_cap_from_name ("CAP_CHOWN"), CAP_CHOWN);
  assert_int_equal (mc_cap_from_name ("CAP_KILL"), CAP_KILL);
  assert_int_equal (mc_cap_from_name ("CAP_NET_BIND_SERVICE"),
                    CAP_NET_BIND_SERVICE);
  assert_int_equal (mc_cap_from_name ("CAP_SYS_ADMIN"), CAP_SYS_ADMIN);
  assert_int_equal (mc_cap_from_name ("CAP_AUDIT_WRITE"), CAP_AUDIT_WRITE);
  assert_int_equal (mc_cap_from_name ("CAP_CHECKPOINT_RESTORE"), 40);
  assert_int_equal (mc_cap_from_name ("cap_kill"), CAP_KILL);
  assert_int_equal (mc_cap_from_name ("Cap_Kill"), CAP_KILL);
  /* Not capability names of the spec.  */
  assert_int_equal (mc_cap_from_name ("KILL"), -1);
  assert_int_equal (mc_cap_from_name ("CAP_"), -1);
  assert_int_equal (mc_cap_from_name ("CAP_BOGUS"), -1);
  assert_int_equal (mc_cap_from_name ("5"), -1);
  assert_int_equal (mc_cap_from_name ("all"), -1);
  assert_int_equal (mc_cap_from_name (""), -1);
}

static void
test_last_cap (void **state)
{
  int last = mc_caps_last_cap ();

  assert_true (last >= CAP_AUDIT_READ && last < 64);
}

static void
test_parse_sets (void **state)
{
  char *bounding[] = { "CAP_KILL", "CAP_CHOWN", NULL };
  char *effective[] = { "CAP_KILL", NULL };
  char *ambient[] = { "CAP_CHOWN", NULL };
  spec_capabilities_t c = {
    .bounding = bounding, .bounding_len = 2,
    .effective = effective, .effective_len = 1,
    .permitted = bounding, .permitted_len = 2,
    .ambient = ambient, .ambient_len = 1,
  };
  mc_caps_t caps;
  mc_error_t err = NULL;

  assert_int_equal (mc_caps_parse (&c, 40, &caps, &err), 0);
  assert_null (err);
  assert_int_equal (caps.bounding, (1 << CAP_KILL) | (1 << CAP_CHOWN));
  assert_int_equal (caps.permitted, caps.bounding);
  assert_int_equal (caps.effective, 1 << CAP_KILL);
  /* Not asked: empty (CVE-2022-29162).  */
  assert_int_equal (caps.inheritable, 0);
  assert_int_equal (caps.ambient, 1 << CAP_CHOWN);
  assert_int_equal (caps.last_cap, 40);
}

static void
test_parse_absent_is_empty (void **state)
{
  mc_caps_t caps;
  mc_error_t err = NULL;

  memset (&caps, 0xff, sizeof (caps));
  assert_int_equal (mc_caps_parse (NULL, 40, &caps, &err), 0);
  assert_int_equal (caps.bounding | caps.effective | caps.permitted
                    | caps.inheritable | caps.ambient, 0);
}

static void
test_parse_unknown_skipped (void **state)
{
  /* Warned about and left out (runtime-spec: MUST warn, SHOULD NOT
     fail); the known names stay.  */
  char *names[] = { "CAP_KILL", "CAP_NET_ADMN", "KILL", NULL };
  spec_capabilities_t c = { .inheritable = names, .inheritable_len = 3 };
  mc_caps_t caps;
  mc_error_t err = NULL;

  assert_int_equal (mc_caps_parse (&c, 40, &caps, &err), 0);
  assert_null (err);
  assert_int_equal (caps.inheritable, 1 << CAP_KILL);
}

static void
test_parse_beyond_kernel_skipped (void **state)
{
  /* A kernel that stops at CAP_AUDIT_READ (37): CAP_BPF (39) is skipped
     with a warning, the rest is kept.  */
  char *names[] = { "CAP_KILL", "CAP_BPF", NULL };
  spec_capabilities_t c = { .bounding = names, .bounding_len = 2 };
  mc_caps_t caps;
  mc_error_t err = NULL;

  assert_int_equal (mc_caps_parse (&c, 37, &caps, &err), 0);
  assert_null (err);
  assert_int_equal (caps.bounding, 1 << CAP_KILL);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_names),
    cmocka_unit_test (test_last_cap),
    cmocka_unit_test (test_parse_sets),
    cmocka_unit_test (test_parse_absent_is_empty),
    cmocka_unit_test (test_parse_unknown_skipped),
    cmocka_unit_test (test_parse_beyond_kernel_skipped),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
