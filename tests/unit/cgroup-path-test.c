/* runtime/lib/cgroup-path.c and cgroup-convert.c: linux.cgroupsPath
   resolution and the v1 -> v2 conversions, all pure.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "runtime/lib/cgroup-convert.h"
#include "runtime/lib/cgroup.h"
#include "runtime/lib/state-dir.h"

static char *
resolve_ok (const char *path, const char *own)
{
  mc_error_t err = NULL;
  char *out = NULL;

  assert_int_equal (mc_cgroup_resolve_path (path, "c1", own, false, &out, &err), 0);
  assert_null (err);
  return out;
}

static void
resolve_fails (const char *path, bool systemd, const char *msg_part)
{
  mc_error_t err = NULL;
  char *out = NULL;

  assert_true (mc_cgroup_resolve_path (path, "c1", "/own", systemd, &out, &err) < 0);
  assert_null (out);
  assert_non_null (err);
  if (strstr (err->msg, msg_part) == NULL)
    fail_msg ("`%s` does not contain `%s`", err->msg, msg_part);
  mc_error_release (&err);
}

static void
test_resolve (void **state)
{
  static const struct { const char *path, *own, *want; } cases[] = {
    { NULL, "/own", "/minirun/c1" },
    { "", "/own", "/minirun/c1" },
    { "/a/b", "/own", "/a/b" },
    { "//a/./b/", "/own", "/a/b" },
    { "x/y", "/user.slice/s", "/user.slice/s/x/y" },
    { "x", "/", "/x" },
    { "./x", NULL, "/x" },
  };

  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_free char *got = resolve_ok (cases[i].path, cases[i].own);
      assert_string_equal (got, cases[i].want);
    }
  resolve_fails ("/a/../../etc", false, "`..` is not allowed");
  resolve_fails ("..", false, "`..` is not allowed");
  resolve_fails ("a/..", false, "`..` is not allowed");
  resolve_fails ("/", false, "root cgroup");
  resolve_fails ("/./", false, "root cgroup");
  resolve_fails ("system.slice:minirun:c1", false, "needs --systemd-cgroup");
  resolve_fails ("system.slice:minirun:c1", true, "systemd cgroup driver is not supported");
}

static void
test_own_path (void **state)
{
  const char *text = "9:name=systemd:/sys\n8:pids:/p\n1:cpu,cpuacct:/c\n0::/u\n";
  static const struct { const char *ctrl, *want; } cases[] = {
    { "name=systemd", "/sys" }, { "pids", "/p" }, { "cpu", "/c" },
    { "cpuacct", "/c" }, { "", "/u" },
  };
  mc_error_t err = NULL;
  char *out = NULL;

  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_free char *got = NULL;
      assert_int_equal (mc_cgroup_own_path (text, cases[i].ctrl, &got, &err), 0);
      assert_string_equal (got, cases[i].want);
    }
  assert_true (mc_cgroup_own_path (text, "memory", &out, &err) < 0);
  mc_error_release (&err);
  assert_true (mc_cgroup_own_path ("1:cpu:/c\n", "", &out, &err) < 0);
  mc_error_release (&err);
}

static void
test_shares_to_weight (void **state)
{
  assert_int_equal (mc_cgroup_shares_to_weight (0), 0);
  assert_int_equal (mc_cgroup_shares_to_weight (2), 1);
  assert_int_equal (mc_cgroup_shares_to_weight (1024), 39);
  assert_int_equal (mc_cgroup_shares_to_weight (512), 20);
  assert_int_equal (mc_cgroup_shares_to_weight (262144), 10000);
  /* Out of range: clamped like the kernel clamps cpu.shares.  */
  assert_int_equal (mc_cgroup_shares_to_weight (1), 1);
  assert_int_equal (mc_cgroup_shares_to_weight (1000000), 10000);
}

static void
test_blkio_weight (void **state)
{
  assert_int_equal (mc_cgroup_blkio_to_io_weight (0), 0);
  assert_int_equal (mc_cgroup_blkio_to_io_weight (10), 1);
  assert_int_equal (mc_cgroup_blkio_to_io_weight (500), 4950);
  assert_int_equal (mc_cgroup_blkio_to_io_weight (1000), 10000);
}

static void
swap_is (int64_t limit, bool has_limit, int64_t swap, bool has_swap,
         const char *want)
{
  spec_memory_t m = { .limit = limit, .has_limit = has_limit, .swap = swap,
                      .has_swap = has_swap };
  mc_error_t err = NULL;
  cleanup_free char *out = NULL;

  if (want == NULL)
    {
      assert_int_equal (mc_cgroup_swap_to_v2 (&m, &out, &err), 0);
      assert_null (out);
      return;
    }
  if (strncmp (want, "ERR", 3) == 0)
    {
      assert_true (mc_cgroup_swap_to_v2 (&m, &out, &err) < 0);
      mc_error_release (&err);
      return;
    }
  assert_int_equal (mc_cgroup_swap_to_v2 (&m, &out, &err), 0);
  assert_string_equal (out, want);
}

static void
test_swap (void **state)
{
  swap_is (100, true, 300, true, "200");   /* v1 mem+swap -> swap alone */
  swap_is (100, true, 100, true, "0");
  swap_is (100, true, -1, true, "max");
  swap_is (-1, true, 0, false, "max");     /* unlimited memory: swap too */
  swap_is (100, true, 0, false, NULL);     /* unset: untouched */
  swap_is (0, false, 0, false, NULL);
  swap_is (300, true, 100, true, "ERR");   /* swap < limit */
  swap_is (0, false, 100, true, "ERR");    /* swap without limit */
  swap_is (-1, true, 100, true, "ERR");
}

static void
test_cpu_max (void **state)
{
  spec_cpu_t c = { 0 };
  char *s;

  assert_null (mc_cgroup_cpu_max (&c));
  c = (spec_cpu_t) { .quota = 50000, .has_quota = true, .period = 100000,
                     .has_period = true };
  s = mc_cgroup_cpu_max (&c);
  assert_string_equal (s, "50000 100000");
  free (s);
  c.quota = -1;
  s = mc_cgroup_cpu_max (&c);
  assert_string_equal (s, "max 100000");
  free (s);
  c = (spec_cpu_t) { .quota = 20000, .has_quota = true };
  s = mc_cgroup_cpu_max (&c);
  assert_string_equal (s, "20000");
  free (s);
}

static void
test_io_max_lines (void **state)
{
  spec_throttle_device_t rbps[] = { { 8, 0, 1048576 }, { 8, 16, 2048 } };
  spec_throttle_device_t wiops[] = { { 8, 0, 100 } };
  spec_throttle_device_t riops[] = { { 253, 1, 7 } };
  spec_block_io_t b = {
    .throttle_read_bps_device = rbps, .throttle_read_bps_device_len = 2,
    .throttle_write_iops_device = wiops, .throttle_write_iops_device_len = 1,
    .throttle_read_iops_device = riops, .throttle_read_iops_device_len = 1,
  };
  spec_block_io_t none = { 0 };
  cleanup_strv char **lines = mc_cgroup_io_max_lines (&b);

  assert_non_null (lines);
  assert_string_equal (lines[0], "8:0 rbps=1048576 wiops=100");
  assert_string_equal (lines[1], "8:16 rbps=2048");
  assert_string_equal (lines[2], "253:1 riops=7");
  assert_null (lines[3]);
  assert_null (mc_cgroup_io_max_lines (&none));
}

static void
test_unified_keys (void **state)
{
  static const char *const good[] = { "memory.high", "cpu.weight.nice",
                                      "io.latency", "memory.oom.group" };
  static const char *const bad[] = { "", ".", "..", "../memory.max",
                                     "sub/memory.max", "memory..max",
                                     "/memory.max", "cgroupprocs" };
  mc_error_t err = NULL;

  for (size_t i = 0; i < sizeof (good) / sizeof (good[0]); i++)
    assert_int_equal (mc_cgroup_check_unified_key (good[i], &err), 0);
  for (size_t i = 0; i < sizeof (bad) / sizeof (bad[0]); i++)
    {
      assert_true (mc_cgroup_check_unified_key (bad[i], &err) < 0);
      mc_error_release (&err);
    }
}

/* The default group of a container is per state root: the default root
   keeps the plain id, any other gets a stable tag of the root's path.  */
static void
test_default_name (void **state)
{
  char *dflt = mc_state_root_default ();
  char *plain = mc_cgroup_default_name (dflt, "c1");
  char *a1 = mc_cgroup_default_name ("/tmp/root-a", "c1");
  char *a2 = mc_cgroup_default_name ("/tmp/root-a", "c1");
  char *b = mc_cgroup_default_name ("/tmp/root-b", "c1");

  assert_string_equal (plain, "c1");
  assert_int_equal (strlen (a1), strlen ("c1-") + 8);
  assert_memory_equal (a1, "c1-", 3);
  assert_string_equal (a1, a2);
  assert_string_not_equal (a1, b);
  free (dflt);
  free (plain);
  free (a1);
  free (a2);
  free (b);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_resolve),
    cmocka_unit_test (test_default_name),
    cmocka_unit_test (test_own_path),
    cmocka_unit_test (test_shares_to_weight),
    cmocka_unit_test (test_blkio_weight),
    cmocka_unit_test (test_swap),
    cmocka_unit_test (test_cpu_max),
    cmocka_unit_test (test_io_max_lines),
    cmocka_unit_test (test_unified_keys),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
