/* runc's event objects with yajl_gen.  A field runc marks `omitempty` is
   left out when 0 (or empty), as Go's encoder does, so the output has the
   same shape as runc's.  */
#include "runtime/lib/stats-json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "common/cleanup.h"
#include "common/xalloc.h"

void
mc_stats_clear (mc_stats_t *st)
{
  free (st->percpu);
  free (st->percpu_kernel);
  free (st->percpu_user);
  for (size_t i = 0; i < st->raw_len; i++)
    free (st->raw[i].key);
  free (st->raw);
  free (st->service_bytes);
  free (st->serviced);
  for (size_t i = 0; i < st->hugetlb_len; i++)
    free (st->hugetlb[i].page_size);
  free (st->hugetlb);
  memset (st, 0, sizeof (*st));
}

static void
gen_str (yajl_gen g, const char *s)
{
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

/* A uint64 as a JSON number: yajl_gen_integer takes a long long, which
   would turn an unlimited (UINT64_MAX) limit negative.  */
static void
gen_u64 (yajl_gen g, uint64_t v)
{
  char buf[32];
  int n = snprintf (buf, sizeof (buf), "%" PRIu64, v);

  yajl_gen_number (g, buf, (size_t) n);
}

/* "key": v, always.  */
static void
key_u64 (yajl_gen g, const char *key, uint64_t v)
{
  gen_str (g, key);
  gen_u64 (g, v);
}

/* "key": v, unless v is 0 (omitempty).  */
static void
key_u64_omit (yajl_gen g, const char *key, uint64_t v)
{
  if (v != 0)
    key_u64 (g, key, v);
}

static void
key_u64_list (yajl_gen g, const char *key, const uint64_t *v, size_t n)
{
  if (n == 0)
    return;
  gen_str (g, key);
  yajl_gen_array_open (g);
  for (size_t i = 0; i < n; i++)
    gen_u64 (g, v[i]);
  yajl_gen_array_close (g);
}

static void
gen_cpu (yajl_gen g, const mc_stats_t *st)
{
  gen_str (g, "cpu");
  yajl_gen_map_open (g);
  gen_str (g, "usage");
  yajl_gen_map_open (g);
  key_u64_omit (g, "total", st->cg.cpu_usage_ns);
  key_u64_list (g, "percpu", st->percpu, st->percpu_len);
  key_u64_list (g, "percpu_kernel", st->percpu_kernel, st->percpu_kernel_len);
  key_u64_list (g, "percpu_user", st->percpu_user, st->percpu_user_len);
  key_u64 (g, "kernel", st->cg.cpu_system_ns);
  key_u64 (g, "user", st->cg.cpu_user_ns);
  yajl_gen_map_close (g);
  gen_str (g, "throttling");
  yajl_gen_map_open (g);
  key_u64_omit (g, "periods", st->throttling_periods);
  key_u64_omit (g, "throttledPeriods", st->throttled_periods);
  key_u64_omit (g, "throttledTime", st->throttled_time_ns);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
}

/* runc's MemoryEntry: limit and failcnt always, usage and max omitempty. */
static void
gen_memory_entry (yajl_gen g, const char *key, uint64_t limit, uint64_t usage,
                  uint64_t max, uint64_t failcnt)
{
  gen_str (g, key);
  yajl_gen_map_open (g);
  key_u64 (g, "limit", limit);
  key_u64_omit (g, "usage", usage);
  key_u64_omit (g, "max", max);
  key_u64 (g, "failcnt", failcnt);
  yajl_gen_map_close (g);
}

static void
gen_memory (yajl_gen g, const mc_stats_t *st)
{
  gen_str (g, "memory");
  yajl_gen_map_open (g);
  key_u64_omit (g, "cache", st->memory_cache);
  gen_memory_entry (g, "usage", st->cg.memory_limit, st->cg.memory_usage,
                    st->cg.memory_max_usage, st->memory_failcnt);
  gen_memory_entry (g, "swap", st->cg.swap_limit, st->cg.swap_usage, 0,
                    st->swap_failcnt);
  gen_memory_entry (g, "kernel", st->kernel_limit, st->kernel_usage,
                    st->kernel_max_usage, st->kernel_failcnt);
  gen_memory_entry (g, "kernelTCP", st->kernel_tcp_limit,
                    st->kernel_tcp_usage, st->kernel_tcp_max_usage,
                    st->kernel_tcp_failcnt);
  if (st->raw_len)
    {
      gen_str (g, "raw");
      yajl_gen_map_open (g);
      for (size_t i = 0; i < st->raw_len; i++)
        key_u64 (g, st->raw[i].key, st->raw[i].value);
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
}

static void
gen_blkio_entries (yajl_gen g, const char *key, const mc_blkio_entry_t *e,
                   size_t n)
{
  if (n == 0)
    return;
  gen_str (g, key);
  yajl_gen_array_open (g);
  for (size_t i = 0; i < n; i++)
    {
      yajl_gen_map_open (g);
      key_u64_omit (g, "major", e[i].major);
      key_u64_omit (g, "minor", e[i].minor);
      if (e[i].op[0])
        {
          gen_str (g, "op");
          gen_str (g, e[i].op);
        }
      key_u64_omit (g, "value", e[i].value);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
}

static void
gen_data (yajl_gen g, const mc_stats_t *st)
{
  gen_cpu (g, st);
  gen_memory (g, st);
  gen_str (g, "pids");
  yajl_gen_map_open (g);
  key_u64_omit (g, "current", st->cg.pids_current);
  /* runc reports an unlimited "max" as no limit.  */
  key_u64_omit (g, "limit", st->cg.pids_limit == UINT64_MAX
                              ? 0 : st->cg.pids_limit);
  yajl_gen_map_close (g);
  gen_str (g, "blkio");
  yajl_gen_map_open (g);
  gen_blkio_entries (g, "ioServiceBytesRecursive", st->service_bytes,
                     st->service_bytes_len);
  gen_blkio_entries (g, "ioServicedRecursive", st->serviced,
                     st->serviced_len);
  yajl_gen_map_close (g);
  gen_str (g, "hugetlb");
  yajl_gen_map_open (g);
  for (size_t i = 0; i < st->hugetlb_len; i++)
    {
      gen_str (g, st->hugetlb[i].page_size);
      yajl_gen_map_open (g);
      key_u64_omit (g, "usage", st->hugetlb[i].usage);
      key_u64_omit (g, "max", st->hugetlb[i].max);
      key_u64 (g, "failcnt", st->hugetlb[i].failcnt);
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
}

/* {"type": TYPE, "id": ID[, "data": {...}]}.  */
static int
gen_event (const char *type, const char *id, const mc_stats_t *st,
           char **out, mc_error_t *err)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf;
  yajl_gen_status s;
  size_t len;

  yajl_gen_config (g, yajl_gen_validate_utf8, 1);
  yajl_gen_map_open (g);
  gen_str (g, "type");
  gen_str (g, type);
  gen_str (g, "id");
  gen_str (g, id);
  if (st)
    {
      gen_str (g, "data");
      yajl_gen_map_open (g);
      gen_data (g, st);
      yajl_gen_map_close (g);
    }
  s = yajl_gen_map_close (g);
  if (s != yajl_gen_status_ok
      || yajl_gen_get_buf (g, &buf, &len) != yajl_gen_status_ok)
    {
      yajl_gen_free (g);
      return mc_error_make (err, 0, "generate the %s event: yajl status %d",
                            type, (int) s);
    }
  *out = xstrndup ((const char *) buf, len);
  yajl_gen_free (g);
  return 0;
}

int
mc_stats_event_json (const char *id, const mc_stats_t *st, char **out,
                     mc_error_t *err)
{
  return gen_event ("stats", id, st, out, err);
}

int
mc_oom_event_json (const char *id, char **out, mc_error_t *err)
{
  return gen_event ("oom", id, NULL, out, err);
}

void
mc_stats_parse_raw (mc_stats_t *st, const char *text)
{
  const char *l = text;

  while (l && *l)
    {
      const char *nl = strchr (l, '\n');
      size_t n = nl ? (size_t) (nl - l) : strlen (l);
      cleanup_free char *line = xstrndup (l, n);
      char key[128];
      uint64_t v;

      l = nl ? nl + 1 : NULL;
      if (sscanf (line, "%127s %" SCNu64, key, &v) != 2)
        continue;
      st->raw = xgrow (st->raw, st->raw_len, sizeof (*st->raw));
      st->raw[st->raw_len].key = xstrdup (key);
      st->raw[st->raw_len].value = v;
      st->raw_len++;
    }
}

static void
add_entry (mc_blkio_entry_t **entries, size_t *len, uint64_t major,
           uint64_t minor, const char *op, uint64_t value)
{
  mc_blkio_entry_t *e;

  *entries = xgrow (*entries, *len, sizeof (**entries));
  e = &(*entries)[(*len)++];
  memset (e, 0, sizeof (*e));
  e->major = major;
  e->minor = minor;
  snprintf (e->op, sizeof (e->op), "%s", op);
  e->value = value;
}

void
mc_stats_parse_blkio_v1 (const char *text, mc_blkio_entry_t **entries,
                         size_t *len)
{
  for (const char *l = text; l && *l;)
    {
      const char *nl = strchr (l, '\n');
      cleanup_free char *line = xstrndup (l, nl ? (size_t) (nl - l)
                                                : strlen (l));
      uint64_t major, minor, v;
      char op[16];

      l = nl ? nl + 1 : NULL;
      /* "Total N" closes the file; it has no device.  */
      if (sscanf (line, "%" SCNu64 ":%" SCNu64 " %15s %" SCNu64, &major,
                  &minor, op, &v) == 4)
        add_entry (entries, len, major, minor, op, v);
    }
}

void
mc_stats_parse_io_stat (mc_stats_t *st, const char *text)
{
  static const struct
  {
    const char *key;
    const char *op;
    bool bytes;
  } keys[] = {
    { "rbytes=", "Read", true }, { "wbytes=", "Write", true },
    { "rios=", "Read", false }, { "wios=", "Write", false },
  };

  for (const char *l = text; l && *l;)
    {
      const char *nl = strchr (l, '\n');
      cleanup_free char *line = xstrndup (l, nl ? (size_t) (nl - l)
                                                : strlen (l));
      char *save = NULL;
      uint64_t major, minor;

      l = nl ? nl + 1 : NULL;
      if (sscanf (line, "%" SCNu64 ":%" SCNu64, &major, &minor) != 2)
        continue;
      for (char *t = strtok_r (line, " ", &save); t;
           t = strtok_r (NULL, " ", &save))
        for (size_t k = 0; k < sizeof (keys) / sizeof (keys[0]); k++)
          if (strncmp (t, keys[k].key, strlen (keys[k].key)) == 0)
            {
              uint64_t v = strtoull (t + strlen (keys[k].key), NULL, 10);

              if (keys[k].bytes)
                add_entry (&st->service_bytes, &st->service_bytes_len,
                           major, minor, keys[k].op, v);
              else
                add_entry (&st->serviced, &st->serviced_len, major, minor,
                           keys[k].op, v);
            }
    }
}

void
mc_stats_parse_u64_list (const char *text, uint64_t **out, size_t *len)
{
  const char *p = text;

  *out = NULL;
  *len = 0;
  while (p && *p)
    {
      char *end;
      uint64_t v;

      p += strspn (p, " \t\n");
      if (*p == '\0')
        break;
      v = strtoull (p, &end, 10);
      if (end == p)
        break;
      *out = xgrow (*out, *len, sizeof (**out));
      (*out)[(*len)++] = v;
      p = end;
    }
}
