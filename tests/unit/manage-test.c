/* runtime/lib/manage.c parsers (update's sizes, events' durations) and
   runtime/lib/stats-json.c (runc's event objects), all pure.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <yajl/yajl_tree.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "runtime/lib/manage.h"
#include "runtime/lib/stats-json.h"

static int64_t
size_ok (const char *s)
{
  mc_error_t err = NULL;
  int64_t v = 12345;

  if (mc_parse_size (s, &v, &err) < 0)
    fail_msg ("`%s` refused: %s", s, err->msg);
  return v;
}

static void
size_fails (const char *s)
{
  mc_error_t err = NULL;
  int64_t v = 12345;

  if (mc_parse_size (s, &v, &err) == 0)
    fail_msg ("`%s` accepted as %lld", s, (long long) v);
  assert_non_null (err);
  assert_non_null (strstr (err->msg, s));
  assert_int_equal (v, 12345);
  mc_error_release (&err);
}

static void
test_size (void **state)
{
  (void) state;
  assert_int_equal (size_ok ("0"), 0);
  assert_int_equal (size_ok ("1024"), 1024);
  assert_int_equal (size_ok ("-1"), -1);
  assert_int_equal (size_ok ("256m"), 256 << 20);
  assert_int_equal (size_ok ("256M"), 256 << 20);
  assert_int_equal (size_ok ("1g"), 1 << 30);
  assert_int_equal (size_ok ("1GB"), 1 << 30);
  assert_int_equal (size_ok ("1GiB"), 1 << 30);
  assert_int_equal (size_ok ("10k"), 10240);
  assert_int_equal (size_ok ("10kb"), 10240);
  assert_int_equal (size_ok ("2 MB"), 2 << 20);
  assert_int_equal (size_ok ("1.5g"), 3 << 29);
  assert_int_equal (size_ok ("1t"), 1LL << 40);
  assert_int_equal (size_ok ("100b"), 100);
  size_fails ("");
  size_fails ("abc");
  size_fails ("-2");
  size_fails ("-5m");
  size_fails ("12zz");
  size_fails ("1x");
  size_fails ("1e5");
  size_fails ("0x10");
  size_fails ("1.");
  size_fails ("m");
  size_fails ("1mm");
  size_fails ("99999999999p");
}

static uint64_t
duration_ok (const char *s)
{
  mc_error_t err = NULL;
  uint64_t v = 0;

  if (mc_parse_duration (s, &v, &err) < 0)
    fail_msg ("`%s` refused: %s", s, err->msg);
  return v;
}

static void
duration_fails (const char *s, const char *msg_part)
{
  mc_error_t err = NULL;
  uint64_t v = 0;

  if (mc_parse_duration (s, &v, &err) == 0)
    fail_msg ("`%s` accepted as %llu", s, (unsigned long long) v);
  if (strstr (err->msg, msg_part) == NULL)
    fail_msg ("`%s` does not contain `%s`", err->msg, msg_part);
  mc_error_release (&err);
}

static void
test_duration (void **state)
{
  (void) state;
  assert_int_equal (duration_ok ("5s"), 5000000000u);
  assert_int_equal (duration_ok ("500ms"), 500000000u);
  assert_int_equal (duration_ok ("1m"), 60000000000u);
  assert_int_equal (duration_ok ("1m30s"), 90000000000u);
  assert_int_equal (duration_ok ("1.5h"), 5400000000000u);
  assert_int_equal (duration_ok ("250us"), 250000u);
  assert_int_equal (duration_ok ("250\xc2\xb5s"), 250000u);
  assert_int_equal (duration_ok ("10ns"), 10u);
  assert_int_equal (duration_ok ("+2s"), 2000000000u);
  assert_int_equal (duration_ok (".5s"), 500000000u);
  duration_fails ("0", "greater than 0");
  duration_fails ("0s", "greater than 0");
  duration_fails ("5", "needs a unit");
  duration_fails ("5x", "needs a unit");
  duration_fails ("", "invalid duration");
  duration_fails ("-1s", "invalid duration");
  duration_fails ("s", "invalid duration");
  duration_fails ("1e3s", "invalid duration");
}

static void
test_parse_helpers (void **state)
{
  cleanup_free uint64_t *list = NULL;
  mc_blkio_entry_t *e = NULL;
  mc_stats_t st = { 0 };
  size_t n = 0;

  (void) state;
  mc_stats_parse_u64_list ("10 20 30 \n", &list, &n);
  assert_int_equal (n, 3);
  assert_int_equal (list[2], 30);

  mc_stats_parse_blkio_v1 ("8:0 Read 4096\n8:0 Write 512\n8:0 Total 4608\n"
                           "Total 4608\n", &e, &n);
  n = 0;
  free (e);
  e = NULL;
  mc_stats_parse_blkio_v1 ("8:0 Read 4096\n8:16 Write 512\nTotal 4608\n", &e,
                           &n);
  assert_int_equal (n, 2);
  assert_int_equal (e[1].minor, 16);
  assert_string_equal (e[1].op, "Write");
  assert_int_equal (e[1].value, 512);
  free (e);

  mc_stats_parse_io_stat (&st, "8:0 rbytes=100 wbytes=200 rios=3 wios=4 "
                          "dbytes=0 dios=0\n");
  assert_int_equal (st.service_bytes_len, 2);
  assert_int_equal (st.serviced_len, 2);
  assert_string_equal (st.service_bytes[0].op, "Read");
  assert_int_equal (st.service_bytes[1].value, 200);
  assert_int_equal (st.serviced[1].value, 4);

  mc_stats_parse_raw (&st, "cache 5\nrss 7\nbad line\n");
  assert_int_equal (st.raw_len, 2);
  assert_string_equal (st.raw[1].key, "rss");
  assert_int_equal (st.raw[1].value, 7);
  mc_stats_clear (&st);
  assert_int_equal (st.raw_len, 0);
}

/* The value at a path of a parsed document (NULL when absent).  */
static yajl_val
at (yajl_val doc, const char *a, const char *b, const char *c,
    const char *d)
{
  const char *path[] = { a, b, c, d, NULL };
  return yajl_tree_get (doc, path, yajl_t_any);
}

static void
test_stats_json (void **state)
{
  uint64_t percpu[] = { 11, 22 };
  mc_stats_t st = { 0 };
  cleanup_free char *json = NULL;
  mc_error_t err = NULL;
  char errbuf[256];
  yajl_val doc, v;

  (void) state;
  st.cg.cpu_usage_ns = 33;
  st.cg.cpu_user_ns = 20;
  st.cg.cpu_system_ns = 0;
  st.percpu = percpu;
  st.percpu_len = 2;
  st.cg.memory_usage = 4096;
  st.cg.memory_limit = UINT64_MAX;
  st.cg.pids_current = 3;
  st.cg.pids_limit = UINT64_MAX;
  st.throttled_periods = 0;
  assert_int_equal (mc_stats_event_json ("c\"1", &st, &json, &err), 0);
  assert_null (strchr (json, '\n'));
  doc = yajl_tree_parse (json, errbuf, sizeof (errbuf));
  if (doc == NULL)
    fail_msg ("not JSON: %s: %s", errbuf, json);
  assert_string_equal (YAJL_GET_STRING (at (doc, "type", NULL, NULL, NULL)),
                       "stats");
  assert_string_equal (YAJL_GET_STRING (at (doc, "id", NULL, NULL, NULL)),
                       "c\"1");
  v = at (doc, "data", "cpu", "usage", "total");
  assert_true (YAJL_IS_INTEGER (v) && YAJL_GET_INTEGER (v) == 33);
  v = at (doc, "data", "cpu", "usage", "percpu");
  assert_true (YAJL_IS_ARRAY (v) && v->u.array.len == 2);
  /* kernel and user are always there; throttling fields are omitempty. */
  v = at (doc, "data", "cpu", "usage", "kernel");
  assert_true (YAJL_IS_INTEGER (v) && YAJL_GET_INTEGER (v) == 0);
  assert_null (at (doc, "data", "cpu", "throttling", "throttledPeriods"));
  assert_true (YAJL_IS_OBJECT (at (doc, "data", "cpu", "throttling", NULL)));
  v = at (doc, "data", "memory", "usage", "usage");
  assert_true (YAJL_IS_INTEGER (v) && YAJL_GET_INTEGER (v) == 4096);
  /* An unlimited limit is UINT64_MAX, not -1.  */
  assert_non_null (strstr (json, "\"limit\":18446744073709551615"));
  v = at (doc, "data", "memory", "swap", "failcnt");
  assert_true (YAJL_IS_INTEGER (v) && YAJL_GET_INTEGER (v) == 0);
  assert_null (at (doc, "data", "memory", "raw", NULL));
  v = at (doc, "data", "pids", "current", NULL);
  assert_true (YAJL_IS_INTEGER (v) && YAJL_GET_INTEGER (v) == 3);
  /* "max" pids is no limit, as runc reports it.  */
  assert_null (at (doc, "data", "pids", "limit", NULL));
  assert_true (YAJL_IS_OBJECT (at (doc, "data", "blkio", NULL, NULL)));
  assert_true (YAJL_IS_OBJECT (at (doc, "data", "hugetlb", NULL, NULL)));
  yajl_tree_free (doc);
}

static void
test_stats_json_lists (void **state)
{
  mc_hugetlb_stat_t huge = { .page_size = (char *) "2MB", .usage = 0,
                             .max = 0, .failcnt = 1 };
  mc_blkio_entry_t io = { .major = 8, .minor = 0, .op = "Read",
                          .value = 512 };
  mc_stat_kv_t raw = { .key = (char *) "rss", .value = 9 };
  mc_stats_t st = { 0 };
  cleanup_free char *json = NULL;
  mc_error_t err = NULL;

  (void) state;
  st.hugetlb = &huge;
  st.hugetlb_len = 1;
  st.service_bytes = &io;
  st.service_bytes_len = 1;
  st.raw = &raw;
  st.raw_len = 1;
  st.cg.pids_limit = 40;
  assert_int_equal (mc_stats_event_json ("c1", &st, &json, &err), 0);
  assert_non_null (strstr (json, "\"hugetlb\":{\"2MB\":{\"failcnt\":1}}"));
  assert_non_null (strstr (json, "\"ioServiceBytesRecursive\":[{\"major\":8,"
                                 "\"op\":\"Read\",\"value\":512}]"));
  assert_non_null (strstr (json, "\"raw\":{\"rss\":9}"));
  assert_non_null (strstr (json, "\"pids\":{\"limit\":40}"));
}

static void
test_oom_json (void **state)
{
  cleanup_free char *json = NULL;
  mc_error_t err = NULL;

  (void) state;
  assert_int_equal (mc_oom_event_json ("c1", &json, &err), 0);
  assert_string_equal (json, "{\"type\":\"oom\",\"id\":\"c1\"}");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_size),
    cmocka_unit_test (test_duration),
    cmocka_unit_test (test_parse_helpers),
    cmocka_unit_test (test_stats_json),
    cmocka_unit_test (test_stats_json_lists),
    cmocka_unit_test (test_oom_json),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
