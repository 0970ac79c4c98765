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
  resolve_fails ("system.slice:minirun:c1", true, "systemd cgroup driver names its own group");
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

/* The systemd driver's unit name and path (runc's slice:prefix:name).  */
static void
test_systemd_parse (void **state)
{
  static const struct { const char *cp, *slice, *unit, *path; } cases[] = {
    { NULL, "system.slice", "minirun-c1.scope", "/system.slice/minirun-c1.scope" },
    { "", "system.slice", "minirun-c1.scope", "/system.slice/minirun-c1.scope" },
    { "system.slice:minirun:web", "system.slice", "minirun-web.scope",
      "/system.slice/minirun-web.scope" },
    { ":docker:abc", "system.slice", "docker-abc.scope",
      "/system.slice/docker-abc.scope" },
    { "machine-pod-x.slice::c9", "machine-pod-x.slice", "c9.scope",
      "/machine.slice/machine-pod.slice/machine-pod-x.slice/c9.scope" },
    { "-.slice:p:n", "-.slice", "p-n.scope", "/p-n.scope" },
  };
  static const struct { const char *cp, *msg; } bad[] = {
    { "/minirun/c1", "slice:prefix:name" },
    { "a.slice:b", "slice:prefix:name" },
    { "a.slice:b:c:d", "slice:prefix:name" },
    { "a.slice:p:", "bad unit name" },
    { "a.slice:p:x/y", "bad unit name" },
    { "a.slice:p/q:x", "bad unit name" },
    { "a.slice:p:..", "bad unit name" },
    { "a.slice::x.slice", "not supported" },
    { "notaslice:p:n", "not a slice name" },
    { "a/b.slice:p:n", "not a slice name" },
    { "a--b.slice:p:n", "not a valid slice name" },
    { "-a.slice:p:n", "not a valid slice name" },
  };

  (void) state;
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_free char *slice = NULL, *unit = NULL, *path = NULL;
      mc_error_t err = NULL;

      assert_int_equal (mc_cgroup_systemd_parse (cases[i].cp, "c1", &slice,
                                                 &unit, &path, &err), 0);
      assert_string_equal (slice, cases[i].slice);
      assert_string_equal (unit, cases[i].unit);
      assert_string_equal (path, cases[i].path);
    }
  for (size_t i = 0; i < sizeof (bad) / sizeof (bad[0]); i++)
    {
      char *slice = NULL, *unit = NULL, *path = NULL;
      mc_error_t err = NULL;

      assert_true (mc_cgroup_systemd_parse (bad[i].cp, "c1", &slice, &unit,
                                            &path, &err) < 0);
      assert_null (unit);
      assert_non_null (err);
      if (strstr (err->msg, bad[i].msg) == NULL)
        fail_msg ("`%s`: `%s` does not contain `%s`", bad[i].cp, err->msg,
                  bad[i].msg);
      mc_error_release (&err);
    }
}

static void
test_systemd_cpu_mask (void **state)
{
  uint8_t *mask = NULL;
  size_t len = 0;
  mc_error_t err = NULL;

  (void) state;
  assert_int_equal (mc_cgroup_systemd_cpu_mask ("0-3,9", &mask, &len, &err), 0);
  assert_int_equal (len, 2);
  assert_int_equal (mask[0], 0x0f);
  assert_int_equal (mask[1], 0x02);
  free (mask);
  assert_int_equal (mc_cgroup_systemd_cpu_mask ("1\n", &mask, &len, &err), 0);
  assert_int_equal (len, 1);
  assert_int_equal (mask[0], 0x02);
  free (mask);
  assert_true (mc_cgroup_systemd_cpu_mask ("3-1", &mask, &len, &err) < 0);
  mc_error_release (&err);
  assert_true (mc_cgroup_systemd_cpu_mask ("x", &mask, &len, &err) < 0);
  mc_error_release (&err);
}

static const mc_systemd_prop_t *
find_prop (const mc_systemd_prop_t *p, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp (p[i].name, name) == 0)
      return &p[i];
  return NULL;
}

static void
test_systemd_props (void **state)
{
  spec_memory_t mem = { .limit = 33554432, .has_limit = true,
                        .reservation = 1048576, .has_reservation = true };
  spec_cpu_t cpu = { .shares = 1024, .has_shares = true,
                     .quota = 25000, .has_quota = true,
                     .period = 50000, .has_period = true,
                     .cpus = (char *) "0-1", .mems = (char *) "0" };
  spec_pids_t pids = { .limit = 8, .has_limit = true };
  spec_resources_t r = { .memory = &mem, .cpu = &cpu, .pids = &pids };
  mc_systemd_prop_t *p = NULL;
  size_t n = 0;
  mc_error_t err = NULL;
  const mc_systemd_prop_t *q;

  (void) state;
  assert_int_equal (mc_cgroup_systemd_props (&r, MC_CGROUP_V2, "system.slice",
                                             "d", 42, &p, &n, &err), 0);
  assert_string_equal (find_prop (p, n, "Slice")->str, "system.slice");
  q = find_prop (p, n, "PIDs");
  assert_int_equal (q->type, 'u');
  assert_int_equal (q->num, 42);
  assert_int_equal (find_prop (p, n, "Delegate")->num, 1);
  assert_int_equal (find_prop (p, n, "MemoryMax")->num, 33554432);
  assert_int_equal (find_prop (p, n, "MemoryLow")->num, 1048576);
  assert_null (find_prop (p, n, "MemoryLimit"));
  assert_int_equal (find_prop (p, n, "CPUWeight")->num, 39);
  assert_null (find_prop (p, n, "CPUShares"));
  /* 25000 / 50000 of a second: 500 ms per second.  */
  assert_int_equal (find_prop (p, n, "CPUQuotaPerSecUSec")->num, 500000);
  assert_int_equal (find_prop (p, n, "CPUQuotaPeriodUSec")->num, 50000);
  assert_int_equal (find_prop (p, n, "TasksMax")->num, 8);
  q = find_prop (p, n, "AllowedCPUs");
  assert_int_equal (q->type, 'y');
  assert_int_equal (q->bytes_len, 1);
  assert_int_equal (q->bytes[0], 0x03);
  assert_int_equal (find_prop (p, n, "AllowedMemoryNodes")->bytes[0], 0x01);
  assert_non_null (find_prop (p, n, "IOAccounting"));
  mc_cgroup_systemd_props_free (p, n);

  /* v1 names; unlimited values; quota rounded up to 10 ms; no cpuset.  */
  mem.limit = -1;
  cpu.quota = 1234;
  cpu.period = 100000;
  pids.limit = -1;
  assert_int_equal (mc_cgroup_systemd_props (&r, MC_CGROUP_V1, "system.slice",
                                             "d", 42, &p, &n, &err), 0);
  assert_int_equal (find_prop (p, n, "MemoryLimit")->num, UINT64_MAX);
  assert_null (find_prop (p, n, "MemoryMax"));
  assert_null (find_prop (p, n, "MemoryLow"));
  assert_int_equal (find_prop (p, n, "CPUShares")->num, 1024);
  assert_int_equal (find_prop (p, n, "CPUQuotaPerSecUSec")->num, 20000);
  assert_int_equal (find_prop (p, n, "TasksMax")->num, UINT64_MAX);
  assert_null (find_prop (p, n, "AllowedCPUs"));
  assert_non_null (find_prop (p, n, "BlockIOAccounting"));
  mc_cgroup_systemd_props_free (p, n);

  /* No resources: only the unit's own properties.  */
  assert_int_equal (mc_cgroup_systemd_props (NULL, MC_CGROUP_V2, "a.slice",
                                             "d", 7, &p, &n, &err), 0);
  assert_null (find_prop (p, n, "MemoryMax"));
  assert_null (find_prop (p, n, "TasksMax"));
  mc_cgroup_systemd_props_free (p, n);

  /* For an update: the resources alone.  */
  assert_int_equal (mc_cgroup_systemd_props (&r, MC_CGROUP_V2, NULL, NULL, 0,
                                             &p, &n, &err), 0);
  assert_null (find_prop (p, n, "Slice"));
  assert_null (find_prop (p, n, "PIDs"));
  assert_null (find_prop (p, n, "Delegate"));
  assert_int_equal (find_prop (p, n, "TasksMax")->num, UINT64_MAX);
  assert_int_equal (find_prop (p, n, "MemoryMax")->num, UINT64_MAX);
  mc_cgroup_systemd_props_free (p, n);

  cpu.cpus = (char *) "zz";
  assert_true (mc_cgroup_systemd_props (&r, MC_CGROUP_V2, "system.slice",
                                        "d", 42, &p, &n, &err) < 0);
  assert_non_null (strstr (err->msg, "AllowedCPUs"));
  mc_error_release (&err);
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
    cmocka_unit_test (test_systemd_parse),
    cmocka_unit_test (test_systemd_cpu_mask),
    cmocka_unit_test (test_systemd_props),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
