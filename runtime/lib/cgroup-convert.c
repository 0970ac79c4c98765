#include "runtime/lib/cgroup-convert.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

uint64_t
mc_cgroup_shares_to_weight (uint64_t shares)
{
  if (shares == 0)
    return 0;
  /* Maps 2 -> 1 and 262144 -> 10000 linearly (runc, crun agree).  */
  if (shares < 2)
    shares = 2;
  if (shares > 262144)
    shares = 262144;
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t
mc_cgroup_blkio_to_io_weight (uint64_t weight)
{
  if (weight == 0)
    return 0;
  if (weight < 10)
    weight = 10;
  if (weight > 1000)
    weight = 1000;
  return 1 + ((weight - 10) * 9999) / 990;
}

char *
mc_cgroup_limit_str (int64_t v)
{
  if (v < 0)
    return xstrdup ("max");
  return xasprintf ("%" PRId64, v);
}

int
mc_cgroup_swap_to_v2 (const spec_memory_t *m, char **out, mc_error_t *err)
{
  int64_t limit = m->has_limit ? m->limit : 0;
  int64_t swap = m->has_swap ? m->swap : 0;

  *out = NULL;
  /* As on v1: an unlimited memory with no swap given means both
     unlimited.  */
  if (limit == -1 && swap == 0)
    {
      *out = xstrdup ("max");
      return 0;
    }
  if (swap == 0)
    return 0;
  if (swap == -1)
    {
      *out = xstrdup ("max");
      return 0;
    }
  if (limit == 0 || limit == -1)
    return mc_error_make (err, 0, "memory.swap: cannot set a swap limit "
                          "without a memory limit");
  if (limit < 0 || swap < 0)
    return mc_error_make (err, 0, "memory: invalid limit %" PRId64
                          " or swap %" PRId64, limit, swap);
  /* v1's swap is memory+swap; v2's swap.max is swap alone.  */
  if (swap < limit)
    return mc_error_make (err, 0, "memory.swap (%" PRId64 ") must be >= "
                          "memory.limit (%" PRId64 ")", swap, limit);
  *out = xasprintf ("%" PRId64, swap - limit);
  return 0;
}

char *
mc_cgroup_cpu_max (const spec_cpu_t *cpu)
{
  bool quota = cpu->has_quota && cpu->quota != 0;
  bool period = cpu->has_period && cpu->period != 0;
  char *q;
  char *r;

  if (!quota && !period)
    return NULL;
  q = quota && cpu->quota > 0 ? xasprintf ("%" PRId64, cpu->quota)
                              : xstrdup ("max");
  if (!period)
    return q;
  r = xasprintf ("%s %" PRIu64, q, cpu->period);
  free (q);
  return r;
}

/* Find or add the line of device MAJ:MIN.  */
static size_t
io_line_for (char ***lines, size_t *n, int64_t major, int64_t minor)
{
  char prefix[64];
  size_t plen = (size_t) snprintf (prefix, sizeof (prefix),
                                   "%" PRId64 ":%" PRId64, major, minor);

  for (size_t i = 0; i < *n; i++)
    if (strncmp ((*lines)[i], prefix, plen) == 0 && (*lines)[i][plen] == ' ')
      return i;
  *lines = xrealloc (*lines, (*n + 2) * sizeof (char *));
  (*lines)[*n] = xasprintf ("%s ", prefix);
  (*lines)[*n + 1] = NULL;
  return (*n)++;
}

static void
io_add (char ***lines, size_t *n, const spec_throttle_device_t *d,
        size_t len, const char *key)
{
  for (size_t i = 0; i < len; i++)
    {
      size_t l = io_line_for (lines, n, d[i].major, d[i].minor);
      char *old = (*lines)[l];
      size_t olen = strlen (old);

      (*lines)[l] = xasprintf ("%s%s%s=%" PRIu64, old,
                               old[olen - 1] == ' ' ? "" : " ", key,
                               d[i].rate);
      free (old);
    }
}

char **
mc_cgroup_io_max_lines (const spec_block_io_t *b)
{
  char **lines = NULL;
  size_t n = 0;

  io_add (&lines, &n, b->throttle_read_bps_device,
          b->throttle_read_bps_device_len, "rbps");
  io_add (&lines, &n, b->throttle_write_bps_device,
          b->throttle_write_bps_device_len, "wbps");
  io_add (&lines, &n, b->throttle_read_iops_device,
          b->throttle_read_iops_device_len, "riops");
  io_add (&lines, &n, b->throttle_write_iops_device,
          b->throttle_write_iops_device_len, "wiops");
  return lines;
}

int
mc_cgroup_check_unified_key (const char *key, mc_error_t *err)
{
  if (key == NULL || *key == '\0' || strcmp (key, ".") == 0
      || strstr (key, "..") || strchr (key, '/'))
    return mc_error_make (err, 0, "linux.resources.unified: invalid key `%s`",
                          key ? key : "");
  /* Without a controller prefix it is not a resource file.  */
  if (strchr (key, '.') == NULL)
    return mc_error_make (err, 0, "linux.resources.unified: `%s` is not a "
                          "cgroup file name", key);
  return 0;
}
