/* mcimg bundle option values: sizes, CPUs and counts parse strictly.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "imagetool/lib/bundle.h"

static void
test_sizes (void **state)
{
  static const struct
  {
    const char *in;
    int64_t want;
  } ok[] = {
    { "1", 1 }, { "256m", 256ll << 20 }, { "256M", 256ll << 20 },
    { "1g", 1ll << 30 }, { "512k", 512ll << 10 }, { "10b", 10 },
    { "2t", 2ll << 40 },
  };
  static const char *const bad[] = {
    "", "m", "10x", "-1", "0", "1.5g", "256mb", " 1", "1 ", "99999999999t",
    "18446744073709551616",
  };
  (void) state;
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    {
      mc_error_t err = NULL;
      int64_t v = 0;
      assert_int_equal (mcimg_parse_size (ok[i].in, &v, &err), 0);
      assert_true (v == ok[i].want);
    }
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      mc_error_t err = NULL;
      int64_t v = 0;
      assert_true (mcimg_parse_size (bad[i], &v, &err) < 0);
      assert_non_null (strstr (err->msg, "invalid size"));
      mc_error_release (&err);
    }
}

static void
test_cpus (void **state)
{
  static const struct
  {
    const char *in;
    int64_t want;
  } ok[] = {
    { "0.5", 50000 }, { "1", 100000 }, { "2.25", 225000 }, { "0.01", 1000 },
    { "1.", 100000 },
  };
  static const char *const bad[] = { "-1", "0", "0.0", "abc", "1x", "",
                                     ".5", "0.001", "1.123456" };
  (void) state;
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    {
      mc_error_t err = NULL;
      int64_t q = 0;
      assert_int_equal (mcimg_parse_cpus (ok[i].in, &q, &err), 0);
      assert_true (q == ok[i].want);
    }
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      mc_error_t err = NULL;
      int64_t q = 0;
      assert_true (mcimg_parse_cpus (bad[i], &q, &err) < 0);
      assert_non_null (strstr (err->msg, "--cpus"));
      mc_error_release (&err);
    }
}

static void
test_positive (void **state)
{
  mc_error_t err = NULL;
  int64_t v = 0;

  (void) state;
  assert_int_equal (mcimg_parse_positive ("--pids-limit", "100", &v, &err), 0);
  assert_true (v == 100);
  assert_true (mcimg_parse_positive ("--pids-limit", "0", &v, &err) < 0);
  mc_error_release (&err);
  assert_true (mcimg_parse_positive ("--pids-limit", "-5", &v, &err) < 0);
  mc_error_release (&err);
  assert_true (mcimg_parse_positive ("--pids-limit", "5k", &v, &err) < 0);
  assert_non_null (strstr (err->msg, "--pids-limit"));
  mc_error_release (&err);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_sizes),
    cmocka_unit_test (test_cpus),
    cmocka_unit_test (test_positive),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
