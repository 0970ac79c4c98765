/* Platform parsing, normalisation, host mapping and the containerd-style
   choice from an index.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "imagetool/lib/platform.h"

static char *
parsed (const char *s)
{
  mcimg_platform_t p = { 0 };
  mc_error_t err = NULL;
  char *out;

  if (mcimg_platform_parse (s, &p, &err) < 0)
    {
      out = strdup (err->msg);
      mc_error_release (&err);
      return out;
    }
  out = mcimg_platform_string (&p);
  mcimg_platform_clear (&p);
  return out;
}

static void
test_parse (void **state)
{
  static const char *cases[][2] = {
    { "linux/amd64", "linux/amd64" },
    { "linux/x86_64", "linux/amd64" },
    { "linux/amd64/v1", "linux/amd64" },
    { "linux/amd64/v3", "linux/amd64/v3" },
    { "linux/arm64", "linux/arm64" },
    { "linux/arm64/v8", "linux/arm64" },
    { "linux/aarch64/8", "linux/arm64" },
    { "linux/arm64/9.0", "linux/arm64/v9" },
    { "linux/arm", "linux/arm/v7" },
    { "linux/arm/7", "linux/arm/v7" },
    { "linux/arm/6", "linux/arm/v6" },
    { "linux/armhf", "linux/arm/v7" },
    { "linux/armel", "linux/arm/v6" },
    { "linux/i386", "linux/386" },
    { "Linux/AMD64", "linux/amd64" },
    { "arm64", "linux/arm64" },
    { "windows/amd64", "windows/amd64" },
    { "linux/s390x", "linux/s390x" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      cleanup_free char *got = parsed (cases[i][0]);
      if (strcmp (got, cases[i][1]) != 0)
        fail_msg ("`%s` -> `%s`, want `%s`", cases[i][0], got, cases[i][1]);
    }
}

static void
test_parse_errors (void **state)
{
  static const char *bad[] = { "", "/", "linux/", "/amd64", "linux//v7",
                               "linux/arm/v7/x", "linux/am d64", "linux/a$" };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      mcimg_platform_t p = { 0 };
      cleanup_error mc_error_t err = NULL;
      if (mcimg_platform_parse (bad[i], &p, &err) == 0)
        fail_msg ("`%s` accepted", bad[i]);
      assert_non_null (strstr (err->msg, "invalid platform"));
    }
}

static void
test_machines (void **state)
{
  static const char *cases[][2] = {
    { "x86_64", "linux/amd64" },   { "aarch64", "linux/arm64" },
    { "armv7l", "linux/arm/v7" },  { "armv6l", "linux/arm/v6" },
    { "armv5tel", "linux/arm/v5" }, { "armv8l", "linux/arm/v8" },
    { "i686", "linux/386" },       { "ppc64le", "linux/ppc64le" },
    { "s390x", "linux/s390x" },    { "riscv64", "linux/riscv64" },
    { "mips64", "linux/mips64" },  { "loongarch64", "linux/loong64" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      mcimg_platform_t p = { 0 };
      cleanup_error mc_error_t err = NULL;
      assert_int_equal (mcimg_platform_from_machine (cases[i][0], &p, &err),
                        0);
      cleanup_free char *s = mcimg_platform_string (&p);
      if (strcmp (s, cases[i][1]) != 0)
        fail_msg ("`%s` -> `%s`, want `%s`", cases[i][0], s, cases[i][1]);
      mcimg_platform_clear (&p);
    }
  mcimg_platform_t p = { 0 };
  cleanup_error mc_error_t err = NULL;
  assert_true (mcimg_platform_from_machine ("pdp11", &p, &err) < 0);
  assert_non_null (strstr (err->msg, "pdp11"));

  mcimg_platform_t host = { 0 };
  mc_error_release (&err);
  assert_int_equal (mcimg_platform_host (&host, &err), 0);
  assert_string_equal (host.os, "linux");
  assert_non_null (host.architecture);
  mcimg_platform_clear (&host);
}

/* Candidates as written in an index (not normalised).  */
static int
choose (const char *want, const char *const *list, size_t n, char **msg)
{
  mcimg_platform_t w = { 0 };
  mcimg_platform_t c[16] = { { 0 } };
  mc_error_t err = NULL;
  int r;

  assert_int_equal (mcimg_platform_parse (want, &w, &err), 0);
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *s = strdup (list[i]);
      char *a = strchr (s, '/'), *v;
      *a++ = '\0';
      v = strchr (a, '/');
      if (v)
        *v++ = '\0';
      c[i].os = strdup (s);
      c[i].architecture = strdup (a);
      c[i].variant = v ? strdup (v) : NULL;
    }
  r = mcimg_platform_choose (&w, c, n, &err);
  if (r < 0 && msg)
    *msg = strdup (err->msg);
  mc_error_release (&err);
  mcimg_platform_clear (&w);
  for (size_t i = 0; i < n; i++)
    mcimg_platform_clear (&c[i]);
  return r;
}

#define N(a) (sizeof (a) / sizeof (a)[0])

static void
test_choose (void **state)
{
  static const char *multi[] = { "linux/amd64", "linux/arm64", "linux/arm/v7",
                                 "linux/arm/v6", "linux/386" };
  static const char *arm_only[] = { "linux/arm/v5", "linux/arm/v6" };
  static const char *arm64_v8[] = { "linux/amd64", "linux/arm64/v8" };
  static const char *arm64_plain[] = { "linux/arm64" };
  static const char *arm_variantless[] = { "linux/arm" };
  static const char *only386[] = { "linux/386", "windows/amd64" };
  static const char *amd64_levels[] = { "linux/amd64/v2", "linux/amd64" };
  static const char *v9_list[] = { "linux/arm/v7", "linux/arm64/v9" };
  static const char *dup[] = { "linux/amd64", "linux/amd64" };

  assert_int_equal (choose ("linux/amd64", multi, N (multi), NULL), 0);
  assert_int_equal (choose ("linux/arm64", multi, N (multi), NULL), 1);
  assert_int_equal (choose ("linux/arm/v7", multi, N (multi), NULL), 2);
  assert_int_equal (choose ("linux/arm/v6", multi, N (multi), NULL), 3);
  assert_int_equal (choose ("linux/386", multi, N (multi), NULL), 4);
  /* arm/v7 falls back to v6 before v5; arm64 runs arm/v6 too.  */
  assert_int_equal (choose ("linux/arm/v7", arm_only, N (arm_only), NULL), 1);
  assert_int_equal (choose ("linux/arm64", arm_only, N (arm_only), NULL), 1);
  assert_int_equal (choose ("linux/arm/v5", arm_only, N (arm_only), NULL), 0);
  /* arm64 and arm64/v8 are the same platform, either way round.  */
  assert_int_equal (choose ("linux/arm64", arm64_v8, N (arm64_v8), NULL), 1);
  assert_int_equal (choose ("linux/arm64/v8", arm64_plain, 1, NULL), 0);
  /* An index entry "arm" without variant means v7.  */
  assert_int_equal (choose ("linux/arm/v7", arm_variantless, 1, NULL), 0);
  /* amd64 accepts 386, not another OS.  */
  assert_int_equal (choose ("linux/amd64", only386, N (only386), NULL), 0);
  /* amd64/v3 takes v2 before v1; plain amd64 does not take v2.  */
  assert_int_equal (choose ("linux/amd64/v3", amd64_levels, 2, NULL), 0);
  assert_int_equal (choose ("linux/amd64", amd64_levels, 2, NULL), 1);
  /* arm64/v9: itself, then 32-bit arm.  */
  assert_int_equal (choose ("linux/arm64/v9", v9_list, 2, NULL), 1);
  /* Ties go to the first entry.  */
  assert_int_equal (choose ("linux/amd64", dup, 2, NULL), 0);

  char *msg = NULL;
  assert_true (choose ("linux/s390x", multi, N (multi), &msg) < 0);
  assert_non_null (strstr (msg, "no image for platform linux/s390x"));
  assert_non_null (strstr (msg, "linux/amd64, linux/arm64, linux/arm/v7"));
  free (msg);
  msg = NULL;
  /* arm/v6 does not run v7 code.  */
  static const char *v7_only[] = { "linux/arm/v7" };
  assert_true (choose ("linux/arm/v6", v7_only, 1, &msg) < 0);
  free (msg);
  msg = NULL;
  assert_true (choose ("windows/amd64", multi, N (multi), &msg) < 0);
  free (msg);
}

static void
test_incomplete_candidates (void **state)
{
  mcimg_platform_t want = { 0 };
  mcimg_platform_t c[2] = { { 0 } };
  cleanup_error mc_error_t err = NULL;

  assert_int_equal (mcimg_platform_parse ("linux/amd64", &want, &err), 0);
  c[1].os = strdup ("linux");
  c[1].architecture = strdup ("amd64");
  assert_int_equal (mcimg_platform_choose (&want, c, 2, &err), 1);
  mcimg_platform_clear (&c[1]);
  mcimg_platform_clear (&want);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parse),
    cmocka_unit_test (test_parse_errors),
    cmocka_unit_test (test_machines),
    cmocka_unit_test (test_choose),
    cmocka_unit_test (test_incomplete_candidates),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
