/* The cgroup v1 driver (legacy and hybrid hosts): the group is one
   directory per hierarchy; each resource goes to the hierarchy holding its
   controller.  The hybrid cgroup2 hierarchy gets the process only.  */
#include "runtime/lib/cgroup.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "runtime/lib/cgroup-devices.h"

static const char *
need_dir (mc_cgroup_t *cg, const char *controller, mc_error_t *err)
{
  const char *d = mc_cgroup_controller_dir (cg, controller);

  if (d == NULL)
    mc_error_make (err, 0, "the `%s` controller is not mounted", controller);
  return d;
}

/* A new cpuset group starts with empty cpus and mems, and no process may
   join it until they are set: copy the parent's into every level that is
   still empty, from the hierarchy's root down.  Every level, not only the
   ones this process made: with containers created in parallel, another
   minirun may have made the shared `minirun` parent a moment ago and not
   filled it yet, and a child copied from an empty parent stays empty.
   Writing the parent's value twice is harmless.  */
static int
fill_cpuset (const char *dir, mc_error_t *err)
{
  static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
  cleanup_free char *p = xstrdup (dir);
  /* The levels below /sys/fs/cgroup/HIERARCHY.  */
  char *s = p + sizeof (MC_CGROUP_ROOT);

  s = strchr (s, '/');
  while (s)
    {
      char *next = strchr (s + 1, '/');

      if (next)
        *next = '\0';
      for (size_t f = 0; f < 2; f++)
        {
          cleanup_free char *own = NULL;
          cleanup_free char *parent_value = NULL;

          if (mc_cgroup_read (p, files[f], &own, err) < 0)
            return -1;
          if (own[strspn (own, " \n")] != '\0')
            continue;
          *s = '\0';
          if (mc_cgroup_read (p, files[f], &parent_value, err) < 0)
            return -1;
          *s = '/';
          parent_value[strcspn (parent_value, "\n")] = '\0';
          if (*parent_value && mc_cgroup_write (p, files[f], parent_value, err) < 0)
            return -1;
        }
      if (next)
        *next = '/';
      s = next;
    }
  return 0;
}

static int
v1_create (mc_cgroup_t *cg, mc_error_t *err)
{
  for (size_t i = 0; i < cg->dirs_len; i++)
    {
      if (mc_cgroup_mkdirs (cg, i, NULL, err) < 0)
        return -1;
      if (strstr (cg->controllers[i], "cpuset")
          && fill_cpuset (cg->dirs[i], err) < 0)
        return -1;
    }
  return 0;
}

static int
v1_enter (mc_cgroup_t *cg, pid_t pid, mc_error_t *err)
{
  for (size_t i = 0; i < cg->dirs_len; i++)
    if (mc_cgroup_writef (cg->dirs[i], "cgroup.procs", err, "%d",
                          (int) pid) < 0)
      return -1;
  return 0;
}

/* memory.memsw.limit_in_bytes must stay >= memory.limit_in_bytes after
   every write: when both change, the one that grows goes first.  */
static int
write_limit_and_swap (const char *d, const spec_memory_t *m, bool memsw,
                      mc_error_t *err)
{
  int64_t limit = m->has_limit ? m->limit : 0;
  int64_t swap = m->has_swap ? m->swap : 0;
  bool swap_first = false;

  /* Unlimited memory with no swap given: swap unlimited too (runc).  */
  if (memsw && limit == -1 && swap == 0)
    swap = -1;
  if (swap != 0 && !memsw)
    return mc_error_make (err, 0, "memory.swap: the kernel has no swap "
                          "accounting (memory.memsw.limit_in_bytes)");
  if (limit != 0 && swap != 0)
    {
      uint64_t current = mc_cgroup_read_u64 (d, "memory.limit_in_bytes");

      swap_first = swap == -1 || (uint64_t) swap > current;
    }
  if (swap_first
      && mc_cgroup_writef (d, "memory.memsw.limit_in_bytes", err, "%" PRId64,
                           swap) < 0)
    return -1;
  if (limit != 0
      && mc_cgroup_writef (d, "memory.limit_in_bytes", err, "%" PRId64,
                           limit) < 0)
    return -1;
  if (!swap_first && swap != 0
      && mc_cgroup_writef (d, "memory.memsw.limit_in_bytes", err, "%" PRId64,
                           swap) < 0)
    return -1;
  return 0;
}

static int
apply_memory (mc_cgroup_t *cg, const spec_memory_t *m, mc_error_t *err)
{
  const char *d = need_dir (cg, "memory", err);

  if (d == NULL)
    return -1;
  if (write_limit_and_swap (d, m, mc_cgroup_has_file
                                    (d, "memory.memsw.limit_in_bytes"),
                            err) < 0)
    return -1;
  if (m->has_reservation && m->reservation != 0
      && mc_cgroup_writef (d, "memory.soft_limit_in_bytes", err, "%" PRId64,
                           m->reservation) < 0)
    return -1;
  if (m->has_swappiness)
    {
      if (m->swappiness > 100)
        return mc_error_make (err, 0, "memory.swappiness %" PRIu64 " is not "
                              "in [0, 100]", m->swappiness);
      if (mc_cgroup_writef (d, "memory.swappiness", err, "%" PRIu64,
                            m->swappiness) < 0)
        return -1;
    }
  if (m->has_disable_oom_killer && m->disable_oom_killer
      && mc_cgroup_write (d, "memory.oom_control", "1", err) < 0)
    return -1;
  if (m->has_kernel && m->kernel != 0)
    mc_warning ("linux.resources.memory.kernel is deprecated and ignored");
  return 0;
}

static int
apply_cpu (mc_cgroup_t *cg, const spec_cpu_t *c, mc_error_t *err)
{
  const char *d = NULL;

  if (c->has_shares || c->has_quota || c->has_period || c->has_burst
      || c->has_realtime_period || c->has_realtime_runtime || c->has_idle)
    {
      d = need_dir (cg, "cpu", err);
      if (d == NULL)
        return -1;
    }
  if (c->has_shares && c->shares
      && mc_cgroup_writef (d, "cpu.shares", err, "%" PRIu64, c->shares) < 0)
    return -1;
  /* The period first: a quota is checked against it.  */
  if (c->has_period && c->period
      && mc_cgroup_writef (d, "cpu.cfs_period_us", err, "%" PRIu64,
                           c->period) < 0)
    return -1;
  if (c->has_quota && c->quota
      && mc_cgroup_writef (d, "cpu.cfs_quota_us", err, "%" PRId64,
                           c->quota) < 0)
    return -1;
  if (c->has_burst
      && mc_cgroup_writef (d, "cpu.cfs_burst_us", err, "%" PRIu64,
                           c->burst) < 0)
    return -1;
  if (c->has_realtime_period && c->realtime_period
      && mc_cgroup_writef (d, "cpu.rt_period_us", err, "%" PRIu64,
                           c->realtime_period) < 0)
    return -1;
  if (c->has_realtime_runtime && c->realtime_runtime
      && mc_cgroup_writef (d, "cpu.rt_runtime_us", err, "%" PRId64,
                           c->realtime_runtime) < 0)
    return -1;
  if (c->has_idle && c->idle
      && mc_cgroup_writef (d, "cpu.idle", err, "%" PRId64, c->idle) < 0)
    return -1;
  if ((c->cpus && *c->cpus) || (c->mems && *c->mems))
    {
      d = need_dir (cg, "cpuset", err);
      if (d == NULL)
        return -1;
      if (c->cpus && *c->cpus
          && mc_cgroup_write (d, "cpuset.cpus", c->cpus, err) < 0)
        return -1;
      if (c->mems && *c->mems
          && mc_cgroup_write (d, "cpuset.mems", c->mems, err) < 0)
        return -1;
    }
  return 0;
}

static int
write_throttle (const char *d, const char *file,
                const spec_throttle_device_t *t, size_t n, mc_error_t *err)
{
  for (size_t i = 0; i < n; i++)
    if (mc_cgroup_writef (d, file, err, "%" PRId64 ":%" PRId64 " %" PRIu64,
                          t[i].major, t[i].minor, t[i].rate) < 0)
      return -1;
  return 0;
}

static int
apply_blkio (mc_cgroup_t *cg, const spec_block_io_t *b, mc_error_t *err)
{
  const char *d = need_dir (cg, "blkio", err);
  /* Without CFQ (gone since 5.0) the weight files are BFQ's.  */
  const char *weight = NULL;

  if (d == NULL)
    return -1;
  weight = mc_cgroup_has_file (d, "blkio.weight") ? "blkio.weight"
                                                   : "blkio.bfq.weight";
  if (b->has_weight && b->weight
      && mc_cgroup_writef (d, weight, err, "%u", b->weight) < 0)
    return -1;
  if (b->has_leaf_weight && b->leaf_weight
      && mc_cgroup_writef (d, "blkio.leaf_weight", err, "%u",
                           b->leaf_weight) < 0)
    return -1;
  for (size_t i = 0; i < b->weight_device_len; i++)
    {
      const spec_weight_device_t *w = &b->weight_device[i];

      if (w->has_weight
          && mc_cgroup_writef (d, strcmp (weight, "blkio.weight") == 0
                                    ? "blkio.weight_device"
                                    : "blkio.bfq.weight_device", err,
                               "%" PRId64 ":%" PRId64 " %u", w->major,
                               w->minor, w->weight) < 0)
        return -1;
    }
  return write_throttle (d, "blkio.throttle.read_bps_device",
                         b->throttle_read_bps_device,
                         b->throttle_read_bps_device_len, err) < 0
      || write_throttle (d, "blkio.throttle.write_bps_device",
                         b->throttle_write_bps_device,
                         b->throttle_write_bps_device_len, err) < 0
      || write_throttle (d, "blkio.throttle.read_iops_device",
                         b->throttle_read_iops_device,
                         b->throttle_read_iops_device_len, err) < 0
      || write_throttle (d, "blkio.throttle.write_iops_device",
                         b->throttle_write_iops_device,
                         b->throttle_write_iops_device_len, err) < 0
           ? -1 : 0;
}

static int
v1_apply (mc_cgroup_t *cg, const spec_resources_t *r, bool update,
          mc_error_t *err)
{
  if (r->memory && apply_memory (cg, r->memory, err) < 0)
    return -1;
  if (r->cpu && apply_cpu (cg, r->cpu, err) < 0)
    return -1;
  if (r->pids && r->pids->has_limit)
    {
      const char *d = need_dir (cg, "pids", err);

      if (d == NULL
          || (r->pids->limit > 0
                ? mc_cgroup_writef (d, "pids.max", err, "%" PRId64,
                                    r->pids->limit)
                : mc_cgroup_write (d, "pids.max", "max", err)) < 0)
        return -1;
    }
  if (r->block_io && apply_blkio (cg, r->block_io, err) < 0)
    return -1;
  for (size_t i = 0; i < r->hugepage_limits_len; i++)
    {
      const char *d = need_dir (cg, "hugetlb", err);
      cleanup_free char *file = NULL;

      if (d == NULL)
        return -1;
      file = xasprintf ("hugetlb.%s.limit_in_bytes",
                        r->hugepage_limits[i].page_size);
      if (mc_cgroup_writef (d, file, err, "%" PRIu64,
                            r->hugepage_limits[i].limit) < 0)
        return -1;
    }
  if (r->rdma_len)
    return mc_error_make (err, 0, "linux.resources.rdma is not supported on "
                          "cgroup v1");
  if (r->unified_len)
    return mc_error_make (err, 0, "linux.resources.unified needs cgroup v2");
  /* An update without device rules keeps the lists as they are.  */
  if (r->devices_len || (!update && mc_cgroup_controller_dir (cg, "devices")))
    {
      const char *d = need_dir (cg, "devices", err);

      if (d == NULL || mc_cgroup_devices_apply_v1 (d, r, err) < 0)
        return -1;
    }
  return 0;
}

static int
v1_freeze (mc_cgroup_t *cg, bool frozen, mc_error_t *err)
{
  const char *d = need_dir (cg, "freezer", err);
  struct timespec ts = { 0, 1000 * 1000 };

  if (d == NULL)
    return -1;
  if (mc_cgroup_write (d, "freezer.state", frozen ? "FROZEN" : "THAWED",
                       err) < 0)
    return -1;
  /* FREEZING until every task stopped.  */
  for (int i = 0; frozen && i < 5000; i++)
    {
      cleanup_free char *state = NULL;

      if (mc_cgroup_read (d, "freezer.state", &state, err) < 0)
        return -1;
      if (strncmp (state, "FROZEN", 6) == 0)
        return 0;
      nanosleep (&ts, NULL);
    }
  return frozen ? mc_error_make (err, ETIMEDOUT, "freeze `%s`", d) : 0;
}

static int
v1_kill_all (mc_cgroup_t *cg, mc_error_t *err)
{
  const char *d = mc_cgroup_controller_dir (cg, "freezer");
  cleanup_free pid_t *pids = NULL;
  size_t n = 0;
  mc_error_t ignored = NULL;
  /* Frozen, nothing can fork while we kill; SIGKILL works on frozen
     tasks once thawed.  */
  bool frozen = d && v1_freeze (cg, true, &ignored) == 0;

  mc_error_release (&ignored);
  if (mc_cgroup_read_pids (d ? d : cg->dirs[0], &pids, &n, err) < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    kill (pids[i], SIGKILL);
  if (frozen && v1_freeze (cg, false, err) < 0)
    return -1;
  return 0;
}

static int
v1_stats (mc_cgroup_t *cg, mc_cgroup_stats_t *st, mc_error_t *err)
{
  const char *d;

  if ((d = mc_cgroup_controller_dir (cg, "cpuacct")))
    {
      st->cpu_usage_ns = mc_cgroup_read_u64 (d, "cpuacct.usage");
      st->cpu_user_ns = mc_cgroup_read_u64 (d, "cpuacct.usage_user");
      st->cpu_system_ns = mc_cgroup_read_u64 (d, "cpuacct.usage_sys");
    }
  if ((d = mc_cgroup_controller_dir (cg, "memory")))
    {
      uint64_t memsw = mc_cgroup_read_u64 (d, "memory.memsw.usage_in_bytes");

      st->memory_usage = mc_cgroup_read_u64 (d, "memory.usage_in_bytes");
      st->memory_limit = mc_cgroup_read_u64 (d, "memory.limit_in_bytes");
      st->memory_max_usage = mc_cgroup_read_u64 (d, "memory.max_usage_in_bytes");
      st->swap_usage = memsw > st->memory_usage ? memsw - st->memory_usage : 0;
      st->swap_limit = mc_cgroup_read_u64 (d, "memory.memsw.limit_in_bytes");
      st->oom_kills = mc_cgroup_read_key (d, "memory.oom_control", "oom_kill");
    }
  if ((d = mc_cgroup_controller_dir (cg, "hugetlb")))
    st->hugetlb_usage = mc_cgroup_sum_files (d, "hugetlb.", ".usage_in_bytes");
  if ((d = mc_cgroup_controller_dir (cg, "pids")))
    {
      st->pids_current = mc_cgroup_read_u64 (d, "pids.current");
      st->pids_limit = mc_cgroup_read_u64 (d, "pids.max");
    }
  if ((d = mc_cgroup_controller_dir (cg, "blkio")))
    {
      cleanup_free char *text = NULL;
      mc_error_t ignored = NULL;

      if (mc_cgroup_read (d, "blkio.throttle.io_service_bytes", &text,
                          &ignored) == 0)
        for (char *l = text; l; l = strchr (l, '\n') ? strchr (l, '\n') + 1 : NULL)
          {
            char op[16];
            uint64_t v;

            if (sscanf (l, "%*u:%*u %15s %" SCNu64, op, &v) != 2)
              continue;
            if (strcmp (op, "Read") == 0)
              st->blkio_read_bytes += v;
            else if (strcmp (op, "Write") == 0)
              st->blkio_write_bytes += v;
          }
      mc_error_release (&ignored);
    }
  return 0;
}

const mc_cgroup_ops_t mc_cgroup_v1_ops = {
  .name = "cgroupfs-v1",
  .create = v1_create,
  .enter = v1_enter,
  .apply = v1_apply,
  .freeze = v1_freeze,
  .stats = v1_stats,
  .kill_all = v1_kill_all,
};
