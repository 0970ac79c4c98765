/* pause, resume, update, events: a running container's cgroup, found
   again from the directories saved in its state.  */
#include "runtime/lib/manage.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "runtime/lib/cgroup.h"
#include "runtime/lib/lifecycle.h"
#include "runtime/lib/state-dir.h"

static void
cleanup_cgroupp (mc_cgroup_t **cg)
{
  mc_cgroup_free (*cg);
}
#define cleanup_cgroup __attribute__ ((cleanup (cleanup_cgroupp)))

static bool
is_frozen (const mc_cgroup_t *cg)
{
  cleanup_free char *state = NULL;
  mc_error_t ignored = NULL;
  const char *d;

  if (cg->mode == MC_CGROUP_V2)
    return cg->dirs_len
           && mc_cgroup_read_key (cg->dirs[0], "cgroup.events", "frozen") == 1;
  d = mc_cgroup_controller_dir (cg, "freezer");
  if (d == NULL || mc_cgroup_read (d, "freezer.state", &state, &ignored) < 0)
    {
      mc_error_release (&ignored);
      return false;
    }
  return strncmp (state, "FROZEN", 6) == 0;
}

bool
mc_manage_saved_frozen (char **dirs, size_t dirs_len)
{
  cleanup_cgroup mc_cgroup_t *cg = NULL;
  mc_error_t ignored = NULL;

  if (dirs == NULL || dirs_len == 0)
    return false;
  if (mc_cgroup_load (dirs, dirs_len, &cg, &ignored) < 0)
    {
      mc_error_release (&ignored);
      return false;
    }
  return is_frozen (cg);
}

int
mc_manage_thaw_saved (char **dirs, size_t dirs_len, mc_error_t *err)
{
  cleanup_cgroup mc_cgroup_t *cg = NULL;

  if (dirs == NULL || dirs_len == 0)
    return 0;
  if (mc_cgroup_load (dirs, dirs_len, &cg, err) < 0)
    return -1;
  if (!is_frozen (cg))
    return 0;
  return mc_cgroup_freeze (cg, false, err);
}

/* Lock ID, read its state and load its group.  */
static int
open_group (const char *root, const char *id, mc_state_dir_t **dir,
            mc_state_t **s, mc_cgroup_t **cg, mc_error_t *err)
{
  *cg = NULL;
  if (mc_lifecycle_open (root, id, dir, s, err) < 0)
    return -1;
  if (strcmp ((*s)->status, "stopped") == 0)
    return mc_error_make (err, 0, "container not running");
  if ((*s)->cgroup_paths_len == 0)
    return mc_error_make (err, 0, "the container has no cgroup (created "
                          "with --cgroup-manager disabled)");
  return mc_cgroup_load ((*s)->cgroup_paths, (*s)->cgroup_paths_len, cg, err);
}

int
mc_manage_pause (const char *root, const char *id, mc_error_t *err)
{
  cleanup_state_dir mc_state_dir_t *dir = NULL;
  cleanup_state mc_state_t *s = NULL;
  cleanup_cgroup mc_cgroup_t *cg = NULL;

  if (open_group (root, id, &dir, &s, &cg, err) < 0)
    return -1;
  /* As runc: only a running or created container can be paused.  */
  if (strcmp (s->status, "running") != 0 && strcmp (s->status, "created") != 0)
    return mc_error_make (err, 0, "container not running");
  if (mc_cgroup_freeze (cg, true, err) < 0)
    {
      mc_error_t ignored = NULL;

      /* Half frozen is no state to leave it in.  */
      mc_cgroup_freeze (cg, false, &ignored);
      mc_error_release (&ignored);
      return -1;
    }
  return 0;
}

int
mc_manage_resume (const char *root, const char *id, mc_error_t *err)
{
  cleanup_state_dir mc_state_dir_t *dir = NULL;
  cleanup_state mc_state_t *s = NULL;
  cleanup_cgroup mc_cgroup_t *cg = NULL;

  if (open_group (root, id, &dir, &s, &cg, err) < 0)
    {
      if (*err && strcmp ((*err)->msg, "container not running") == 0)
        {
          mc_error_release (err);
          return mc_error_make (err, 0, "container not paused");
        }
      return -1;
    }
  if (strcmp (s->status, "paused") != 0)
    return mc_error_make (err, 0, "container not paused");
  return mc_cgroup_freeze (cg, false, err);
}

/* ---- update ---- */

/* The files an update may write, per mode: saved before, put back when a
   write fails half-way.  */
static const struct
{
  const char *controller;
  const char *file;
} v1_files[] = {
  { "memory", "memory.memsw.limit_in_bytes" },
  { "memory", "memory.limit_in_bytes" },
  { "memory", "memory.soft_limit_in_bytes" },
  { "memory", "memory.swappiness" },
  { "cpu", "cpu.shares" },
  { "cpu", "cpu.cfs_period_us" },
  { "cpu", "cpu.cfs_quota_us" },
  { "cpu", "cpu.cfs_burst_us" },
  { "cpu", "cpu.rt_period_us" },
  { "cpu", "cpu.rt_runtime_us" },
  { "cpu", "cpu.idle" },
  { "cpuset", "cpuset.cpus" },
  { "cpuset", "cpuset.mems" },
  { "pids", "pids.max" },
  { "blkio", "blkio.weight" },
  { "blkio", "blkio.bfq.weight" },
}, v2_files[] = {
  { "", "memory.swap.max" },
  { "", "memory.max" },
  { "", "memory.low" },
  { "", "cpu.weight" },
  { "", "cpu.max" },
  { "", "cpu.max.burst" },
  { "", "cpu.idle" },
  { "", "cpuset.cpus" },
  { "", "cpuset.mems" },
  { "", "pids.max" },
  { "", "io.weight" },
  { "", "io.bfq.weight" },
};
#define N_SAVED (sizeof (v1_files) / sizeof (v1_files[0]))

typedef struct saved_file
{
  const char *dir;
  const char *file;
  char *value;  /* NULL: not there */
} saved_file_t;

static size_t
save_files (const mc_cgroup_t *cg, saved_file_t *saved)
{
  bool v2 = cg->mode == MC_CGROUP_V2;
  size_t n = v2 ? sizeof (v2_files) / sizeof (v2_files[0]) : N_SAVED;

  for (size_t i = 0; i < n; i++)
    {
      mc_error_t ignored = NULL;

      saved[i].file = v2 ? v2_files[i].file : v1_files[i].file;
      saved[i].dir = mc_cgroup_controller_dir (cg, v2 ? "" : v1_files[i].controller);
      saved[i].value = NULL;
      if (saved[i].dir
          && mc_cgroup_read (saved[i].dir, saved[i].file, &saved[i].value,
                             &ignored) < 0)
        mc_error_release (&ignored);
    }
  return n;
}

/* Put back what changed.  Interdependent values (a v1 memory limit and
   its memsw limit) may need a second round in the other order.  */
static void
restore_files (saved_file_t *saved, size_t n)
{
  for (int round = 0; round < 2; round++)
    for (size_t k = 0; k < n; k++)
      {
        saved_file_t *f = &saved[round == 0 ? n - 1 - k : k];
        cleanup_free char *now = NULL;
        cleanup_free char *value = NULL;
        mc_error_t ignored = NULL;

        if (f->value == NULL
            || mc_cgroup_read (f->dir, f->file, &now, &ignored) < 0
            || strcmp (now, f->value) == 0)
          {
            mc_error_release (&ignored);
            continue;
          }
        value = xstrndup (f->value, strcspn (f->value, "\n"));
        mc_cgroup_write (f->dir, f->file, value, &ignored);
        mc_error_release (&ignored);
      }
}

static bool
valid_cpu_list (const char *s)
{
  if (*s == '\0')
    return false;
  for (const char *p = s; *p; p++)
    if (!isdigit ((unsigned char) *p) && *p != ',' && *p != '-')
      return false;
  return true;
}

/* What the kernel would refuse for certain, with a clearer message.  */
static int
check_resources (const mc_cgroup_t *cg, const spec_resources_t *r,
                 mc_error_t *err)
{
  const spec_cpu_t *c = r->cpu;

  if (r->memory)
    {
      const spec_memory_t *m = r->memory;

      if (m->has_limit && m->limit < -1)
        return mc_error_make (err, 0, "memory limit %" PRId64 " is not a "
                              "size or -1", m->limit);
      if (m->has_swap && m->swap < -1)
        return mc_error_make (err, 0, "memory+swap limit %" PRId64 " is not "
                              "a size or -1", m->swap);
      if (m->has_limit && m->has_swap && m->limit > 0 && m->swap > 0
          && m->swap < m->limit)
        return mc_error_make (err, 0, "memory+swap limit %" PRId64 " is "
                              "below the memory limit %" PRId64, m->swap,
                              m->limit);
    }
  if (c)
    {
      if (c->has_quota && c->quota != 0 && c->quota != -1 && c->quota < 1000)
        return mc_error_make (err, 0, "cpu quota %" PRId64 " is not -1 or at "
                              "least 1000 (microseconds)", c->quota);
      if (c->has_period && c->period != 0
          && (c->period < 1000 || c->period > 1000000))
        return mc_error_make (err, 0, "cpu period %" PRIu64 " is not in "
                              "[1000, 1000000] (microseconds)", c->period);
      if (c->cpus && *c->cpus && !valid_cpu_list (c->cpus))
        return mc_error_make (err, 0, "cpuset cpus `%s` is not a list of "
                              "cpus (0-3,5)", c->cpus);
      if (c->mems && *c->mems && !valid_cpu_list (c->mems))
        return mc_error_make (err, 0, "cpuset mems `%s` is not a list of "
                              "memory nodes (0-1)", c->mems);
      if ((c->has_realtime_period && c->realtime_period)
          || (c->has_realtime_runtime && c->realtime_runtime))
        {
          const char *d = mc_cgroup_controller_dir (cg, "cpu");

          if (cg->mode == MC_CGROUP_V2)
            return mc_error_make (err, 0, "realtime cpu limits (cpu-rt-"
                                  "period, cpu-rt-runtime) are not supported "
                                  "on cgroup v2");
          if (d == NULL || !mc_cgroup_has_file (d, "cpu.rt_runtime_us"))
            return mc_error_make (err, 0, "realtime cpu limits (cpu-rt-"
                                  "period, cpu-rt-runtime) are not supported "
                                  "by this kernel (no CONFIG_RT_GROUP_SCHED)");
        }
    }
  if (r->block_io && r->block_io->has_weight && r->block_io->weight != 0
      && (r->block_io->weight < 10 || r->block_io->weight > 1000))
    return mc_error_make (err, 0, "blkio weight %u is not in [10, 1000]",
                          r->block_io->weight);
  return 0;
}

int
mc_manage_update (const char *root, const char *id,
                  const spec_resources_t *r, mc_error_t *err)
{
  cleanup_state_dir mc_state_dir_t *dir = NULL;
  cleanup_state mc_state_t *s = NULL;
  cleanup_cgroup mc_cgroup_t *cg = NULL;
  saved_file_t saved[N_SAVED];
  spec_resources_t copy = *r;
  spec_pids_t pids;
  size_t n;
  int ret;

  if (open_group (root, id, &dir, &s, &cg, err) < 0)
    return -1;
  if (check_resources (cg, r, err) < 0)
    return -1;
  /* As runc: an update never touches the device rules.  */
  if (r->devices_len)
    {
      mc_warning ("update: device rules are not updated (ignored)");
      copy.devices = NULL;
      copy.devices_len = 0;
    }
  /* As runc: a pids limit of 0 leaves the limit as it is.  */
  if (r->pids && r->pids->has_limit && r->pids->limit == 0)
    {
      pids = *r->pids;
      pids.has_limit = false;
      copy.pids = &pids;
    }
  n = save_files (cg, saved);
  ret = mc_cgroup_update (cg, &copy, err);
  if (ret < 0)
    restore_files (saved, n);
  for (size_t i = 0; i < n; i++)
    free (saved[i].value);
  return ret;
}

int
mc_manage_load_resources (const char *path, spec_resources_t **out,
                          mc_error_t *err)
{
  cleanup_free char *json = NULL;
  size_t len = 0;

  if (strcmp (path, "-") == 0)
    {
      if (mc_read_fd (STDIN_FILENO, "the standard input", 1 << 20, &json,
                      &len, err) < 0)
        return -1;
    }
  else if (mc_read_file_at (AT_FDCWD, path, 1 << 20, &json, &len, err) < 0)
    return -1;
  return spec_resources_parse (json, len, strcmp (path, "-") == 0 ? "stdin"
                                                                  : path,
                               out, err);
}

/* ---- stats and events ---- */

static char *
read_text (const char *dir, const char *file)
{
  char *text = NULL;
  mc_error_t ignored = NULL;

  if (dir == NULL || mc_cgroup_read (dir, file, &text, &ignored) < 0)
    {
      mc_error_release (&ignored);
      return NULL;
    }
  return text;
}

static void
read_u64_list (const char *dir, const char *file, uint64_t **out, size_t *len)
{
  cleanup_free char *text = read_text (dir, file);

  if (text)
    mc_stats_parse_u64_list (text, out, len);
}

/* hugetlb.SIZE.SUFFIX files: one entry per page size.  */
static void
read_hugetlb (const mc_cgroup_t *cg, mc_stats_t *st)
{
  const char *d = mc_cgroup_controller_dir (cg, "hugetlb");
  bool v2 = cg->mode == MC_CGROUP_V2;
  const char *suffix = v2 ? ".current" : ".usage_in_bytes";
  cleanup_dir DIR *dp = NULL;
  struct dirent *e;

  if (d == NULL || (dp = opendir (d)) == NULL)
    return;
  while ((e = readdir (dp)) != NULL)
    {
      size_t len = strlen (e->d_name), slen = strlen (suffix);
      cleanup_free char *size = NULL;
      cleanup_free char *max = NULL, *fail = NULL;
      mc_hugetlb_stat_t *h;

      if (strncmp (e->d_name, "hugetlb.", 8) != 0 || len <= 8 + slen
          || strcmp (e->d_name + len - slen, suffix) != 0
          || strstr (e->d_name, ".rsvd."))
        continue;
      size = xstrndup (e->d_name + 8, len - 8 - slen);
      if (strchr (size, '.'))
        continue;
      st->hugetlb = xgrow (st->hugetlb, st->hugetlb_len, sizeof (*h));
      h = &st->hugetlb[st->hugetlb_len++];
      memset (h, 0, sizeof (*h));
      h->usage = mc_cgroup_read_u64 (d, e->d_name);
      if (v2)
        {
          fail = xasprintf ("hugetlb.%s.events", size);
          h->failcnt = mc_cgroup_read_key (d, fail, "max");
        }
      else
        {
          max = xasprintf ("hugetlb.%s.max_usage_in_bytes", size);
          fail = xasprintf ("hugetlb.%s.failcnt", size);
          h->max = mc_cgroup_read_u64 (d, max);
          h->failcnt = mc_cgroup_read_u64 (d, fail);
        }
      h->page_size = steal_ptr (&size);
    }
}

static int
read_stats (const mc_cgroup_t *cg, mc_stats_t *st, mc_error_t *err)
{
  const char *d;
  cleanup_free char *raw = NULL;
  cleanup_free char *io = NULL;

  memset (st, 0, sizeof (*st));
  if (mc_cgroup_stats ((mc_cgroup_t *) cg, &st->cg, err) < 0)
    return -1;
  if (cg->mode == MC_CGROUP_V2)
    {
      d = cg->dirs[0];
      st->throttling_periods = mc_cgroup_read_key (d, "cpu.stat", "nr_periods");
      st->throttled_periods = mc_cgroup_read_key (d, "cpu.stat",
                                                  "nr_throttled");
      st->throttled_time_ns = mc_cgroup_read_key (d, "cpu.stat",
                                                  "throttled_usec") * 1000;
      st->memory_failcnt = mc_cgroup_read_key (d, "memory.events", "max");
      st->swap_failcnt = mc_cgroup_read_key (d, "memory.swap.events", "max");
      raw = read_text (d, "memory.stat");
      if (raw)
        mc_stats_parse_raw (st, raw);
      for (size_t i = 0; i < st->raw_len; i++)
        if (strcmp (st->raw[i].key, "file") == 0)
          st->memory_cache = st->raw[i].value;
      io = read_text (d, "io.stat");
      if (io)
        mc_stats_parse_io_stat (st, io);
    }
  else
    {
      d = mc_cgroup_controller_dir (cg, "cpuacct");
      read_u64_list (d, "cpuacct.usage_percpu", &st->percpu,
                     &st->percpu_len);
      read_u64_list (d, "cpuacct.usage_percpu_sys", &st->percpu_kernel,
                     &st->percpu_kernel_len);
      read_u64_list (d, "cpuacct.usage_percpu_user", &st->percpu_user,
                     &st->percpu_user_len);
      if ((d = mc_cgroup_controller_dir (cg, "cpu")))
        {
          st->throttling_periods = mc_cgroup_read_key (d, "cpu.stat",
                                                       "nr_periods");
          st->throttled_periods = mc_cgroup_read_key (d, "cpu.stat",
                                                      "nr_throttled");
          st->throttled_time_ns = mc_cgroup_read_key (d, "cpu.stat",
                                                      "throttled_time");
        }
      if ((d = mc_cgroup_controller_dir (cg, "memory")))
        {
          st->memory_failcnt = mc_cgroup_read_u64 (d, "memory.failcnt");
          st->swap_failcnt = mc_cgroup_read_u64 (d, "memory.memsw.failcnt");
          st->kernel_usage = mc_cgroup_read_u64 (d,
                                                 "memory.kmem.usage_in_bytes");
          st->kernel_max_usage
            = mc_cgroup_read_u64 (d, "memory.kmem.max_usage_in_bytes");
          st->kernel_limit = mc_cgroup_read_u64 (d,
                                                 "memory.kmem.limit_in_bytes");
          st->kernel_failcnt = mc_cgroup_read_u64 (d, "memory.kmem.failcnt");
          st->kernel_tcp_usage
            = mc_cgroup_read_u64 (d, "memory.kmem.tcp.usage_in_bytes");
          st->kernel_tcp_max_usage
            = mc_cgroup_read_u64 (d, "memory.kmem.tcp.max_usage_in_bytes");
          st->kernel_tcp_limit
            = mc_cgroup_read_u64 (d, "memory.kmem.tcp.limit_in_bytes");
          st->kernel_tcp_failcnt
            = mc_cgroup_read_u64 (d, "memory.kmem.tcp.failcnt");
          raw = read_text (d, "memory.stat");
          if (raw)
            mc_stats_parse_raw (st, raw);
          for (size_t i = 0; i < st->raw_len; i++)
            if (strcmp (st->raw[i].key, "cache") == 0)
              st->memory_cache = st->raw[i].value;
        }
      if ((d = mc_cgroup_controller_dir (cg, "blkio")))
        {
          cleanup_free char *bytes
            = read_text (d, "blkio.throttle.io_service_bytes_recursive");
          cleanup_free char *ios
            = read_text (d, "blkio.throttle.io_serviced_recursive");

          if (bytes)
            mc_stats_parse_blkio_v1 (bytes, &st->service_bytes,
                                     &st->service_bytes_len);
          if (ios)
            mc_stats_parse_blkio_v1 (ios, &st->serviced, &st->serviced_len);
        }
    }
  read_hugetlb (cg, st);
  return 0;
}

int
mc_manage_stats (const char *root, const char *id, mc_stats_t *st,
                 mc_error_t *err)
{
  cleanup_state_dir mc_state_dir_t *dir = NULL;
  cleanup_state mc_state_t *s = NULL;
  cleanup_cgroup mc_cgroup_t *cg = NULL;

  memset (st, 0, sizeof (*st));
  if (open_group (root, id, &dir, &s, &cg, err) < 0)
    return -1;
  return read_stats (cg, st, err);
}

int
mc_manage_stats_json (const char *root, const char *id, char **json,
                      mc_error_t *err)
{
  mc_stats_t st;
  int ret = mc_manage_stats (root, id, &st, err);

  if (ret == 0)
    ret = mc_stats_event_json (id, &st, json, err);
  mc_stats_clear (&st);
  return ret;
}

static uint64_t
oom_kills (const mc_cgroup_t *cg)
{
  const char *d = mc_cgroup_controller_dir (cg, "memory");

  if (d == NULL)
    return 0;
  if (cg->mode == MC_CGROUP_V2)
    return mc_cgroup_read_key (d, "memory.events", "oom_kill");
  return mc_cgroup_read_key (d, "memory.oom_control", "oom_kill");
}

static uint64_t
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

/* How often the OOM counter and init are looked at between stats.  */
#define EVENTS_POLL_NS (100u * 1000 * 1000)

int
mc_manage_events (const char *root, const char *id, uint64_t interval_ns,
                  mc_events_fn emit, void *data, mc_error_t *err)
{
  cleanup_cgroup mc_cgroup_t *cg = NULL;
  uint64_t next, ooms;
  pid_t pid;
  uint64_t start_time;

  /* The state under the lock, once: then no lock is held, so that kill
     and delete go on while the events stream.  */
  {
    cleanup_state_dir mc_state_dir_t *dir = NULL;
    cleanup_state mc_state_t *s = NULL;

    if (open_group (root, id, &dir, &s, &cg, err) < 0)
      return -1;
    pid = s->pid;
    start_time = s->pid_start_time;
  }
  ooms = oom_kills (cg);
  next = now_ns () + interval_ns;
  for (;;)
    {
      uint64_t now = now_ns (), n;
      uint64_t wait = next > now ? next - now : 0;
      struct timespec ts;

      if (wait > EVENTS_POLL_NS)
        wait = EVENTS_POLL_NS;
      ts.tv_sec = (time_t) (wait / 1000000000u);
      ts.tv_nsec = (long) (wait % 1000000000u);
      while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
        ;
      /* An OOM kill of init is reported before its end.  */
      n = oom_kills (cg);
      if (n > ooms)
        {
          cleanup_free char *json = NULL;

          ooms = n;
          if (mc_oom_event_json (id, &json, err) < 0
              || emit (json, data, err) < 0)
            return -1;
        }
      if (!mc_proc_alive (pid, start_time))
        return 0;
      if (now_ns () >= next)
        {
          cleanup_free char *json = NULL;
          mc_stats_t st;
          int ret;

          next += interval_ns;
          if (next < now_ns ())
            next = now_ns () + interval_ns;
          ret = read_stats (cg, &st, err);
          if (ret == 0)
            ret = mc_stats_event_json (id, &st, &json, err);
          mc_stats_clear (&st);
          if (ret < 0 || emit (json, data, err) < 0)
            return -1;
        }
    }
}

/* ---- parsers ---- */

int
mc_parse_size (const char *s, int64_t *out, mc_error_t *err)
{
  static const char units[] = "kmgtp";
  const char *p = s;
  double v, mult = 1;
  char *end;

  if (strcmp (s, "-1") == 0)
    {
      *out = -1;
      return 0;
    }
  /* A number, maybe with a fraction, then " ", a unit, "i", "b".  */
  if (!isdigit ((unsigned char) *p))
    return mc_error_make (err, 0, "invalid size `%s`", s);
  errno = 0;
  v = strtod (p, &end);
  if (errno != 0 || end == p || end[-1] == '.')
    return mc_error_make (err, 0, "invalid size `%s`", s);
  for (const char *q = p; q < end; q++)
    if (!isdigit ((unsigned char) *q) && *q != '.')
      return mc_error_make (err, 0, "invalid size `%s`", s);
  p = end;
  if (*p == ' ')
    p++;
  if (*p && strchr (units, tolower ((unsigned char) *p)))
    {
      size_t k = (size_t) (strchr (units, tolower ((unsigned char) *p))
                           - units);

      for (size_t i = 0; i <= k; i++)
        mult *= 1024;
      p++;
      if (*p == 'i' || *p == 'I')
        p++;
    }
  if (*p == 'b' || *p == 'B')
    p++;
  if (*p != '\0')
    return mc_error_make (err, 0, "invalid size `%s`", s);
  v *= mult;
  if (v >= 9223372036854775807.0)
    return mc_error_make (err, 0, "size `%s` is too large", s);
  *out = (int64_t) v;
  return 0;
}

int
mc_parse_duration (const char *s, uint64_t *ns, mc_error_t *err)
{
  static const struct
  {
    const char *unit;
    double ns;
  } units[] = {
    /* Longest first: "ms" before "m".  */
    { "ns", 1 }, { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "\xce\xbcs", 1e3 },
    { "ms", 1e6 }, { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
  };
  const char *p = s;
  double total = 0;

  if (*p == '+')
    p++;
  if (strcmp (p, "0") == 0)
    return mc_error_make (err, 0, "the interval `%s` must be greater than 0",
                          s);
  if (*p == '\0')
    return mc_error_make (err, 0, "invalid duration `%s`", s);
  while (*p)
    {
      double v;
      char *end;
      size_t u;

      if (!isdigit ((unsigned char) *p) && *p != '.')
        return mc_error_make (err, 0, "invalid duration `%s`", s);
      v = strtod (p, &end);
      if (end == p || (end == p + 1 && *p == '.'))
        return mc_error_make (err, 0, "invalid duration `%s`", s);
      for (const char *q = p; q < end; q++)
        if (!isdigit ((unsigned char) *q) && *q != '.')
          return mc_error_make (err, 0, "invalid duration `%s`", s);
      p = end;
      for (u = 0; u < sizeof (units) / sizeof (units[0]); u++)
        if (strncmp (p, units[u].unit, strlen (units[u].unit)) == 0)
          break;
      if (u == sizeof (units) / sizeof (units[0]))
        return mc_error_make (err, 0, "invalid duration `%s`: a number needs "
                              "a unit (ns, us, ms, s, m, h)", s);
      total += v * units[u].ns;
      p += strlen (units[u].unit);
    }
  if (total >= 9.2e18)
    return mc_error_make (err, 0, "duration `%s` is too large", s);
  if (total < 1)
    return mc_error_make (err, 0, "the interval `%s` must be greater than 0",
                          s);
  *ns = (uint64_t) (total + 0.5);
  return 0;
}
