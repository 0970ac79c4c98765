/* The cgroup v2 driver: one directory under the unified hierarchy, the
   OCI (v1-shaped) resources converted as runc converts them, devices
   through a BPF program.  */
#include "runtime/lib/cgroup.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "runtime/lib/bpf-devices.h"
#include "runtime/lib/cgroup-convert.h"
#include "runtime/lib/cgroup-devices.h"

/* Enable in `dir`'s cgroup.subtree_control every controller it has, one
   by one: one that cannot be enabled (cpu with a realtime task somewhere)
   should not keep the others off; a resource that needs it fails later
   with a clear message.  */
static void
enable_controllers (const char *dir)
{
  cleanup_free char *avail = NULL;
  mc_error_t ignored = NULL;
  char *save = NULL;

  if (mc_cgroup_read (dir, "cgroup.controllers", &avail, &ignored) < 0)
    {
      mc_error_release (&ignored);
      return;
    }
  for (char *c = strtok_r (avail, " \n", &save); c;
       c = strtok_r (NULL, " \n", &save))
    {
      if (mc_cgroup_writef (dir, "cgroup.subtree_control", &ignored, "+%s",
                            c) < 0)
        mc_error_release (&ignored);
    }
}

static int
v2_create (mc_cgroup_t *cg, mc_error_t *err)
{
  cleanup_free char *p = NULL;
  char *s;

  if (mc_cgroup_mkdirs (cg, 0, NULL, err) < 0)
    return -1;
  /* Each ancestor below the root (whose subtree_control is the host's
     business, but enabled too when we may) hands its controllers down.  */
  p = xstrdup (cg->dirs[0]);
  s = p + sizeof (MC_CGROUP_ROOT) - 1;
  enable_controllers (MC_CGROUP_ROOT);
  while ((s = strchr (s + 1, '/')))
    {
      *s = '\0';
      enable_controllers (p);
      *s = '/';
    }
  return 0;
}

static int
v2_enter (mc_cgroup_t *cg, pid_t pid, mc_error_t *err)
{
  return mc_cgroup_writef (cg->dirs[0], "cgroup.procs", err, "%d", (int) pid);
}

/* Write a resource file, saying which controller is missing when the
   file is not there.  */
static int
put (const char *d, const char *file, const char *value, mc_error_t *err)
{
  if (!mc_cgroup_has_file (d, file))
    return mc_error_make (err, ENOENT, "`%s` is not available in `%s` (is "
                          "its controller enabled?)", file, d);
  return mc_cgroup_write (d, file, value, err);
}

static int
apply_memory (const char *d, const spec_memory_t *m, mc_error_t *err)
{
  cleanup_free char *swap = NULL;

  if (mc_cgroup_swap_to_v2 (m, &swap, err) < 0)
    return -1;
  /* swap.max first: with a smaller memory.max the order does not matter,
     and a missing swap file (no swap accounting) fails early.  */
  if (swap && put (d, "memory.swap.max", swap, err) < 0)
    return -1;
  if (m->has_limit && m->limit != 0)
    {
      cleanup_free char *v = mc_cgroup_limit_str (m->limit);

      if (put (d, "memory.max", v, err) < 0)
        return -1;
    }
  if (m->has_reservation && m->reservation != 0)
    {
      cleanup_free char *v = mc_cgroup_limit_str (m->reservation);

      if (put (d, "memory.low", v, err) < 0)
        return -1;
    }
  if (m->has_disable_oom_killer && m->disable_oom_killer)
    mc_warning ("linux.resources.memory.disableOOMKiller is not supported "
                "on cgroup v2: ignored");
  if (m->has_swappiness)
    mc_warning ("linux.resources.memory.swappiness is not supported on "
                "cgroup v2: ignored");
  if (m->has_kernel && m->kernel != 0)
    mc_warning ("linux.resources.memory.kernel is deprecated and ignored");
  return 0;
}

static int
apply_cpu (const char *d, const spec_cpu_t *c, mc_error_t *err)
{
  cleanup_free char *max = mc_cgroup_cpu_max (c);

  if ((c->has_realtime_runtime && c->realtime_runtime)
      || (c->has_realtime_period && c->realtime_period))
    return mc_error_make (err, 0, "linux.resources.cpu.realtimeRuntime and "
                          "realtimePeriod are not supported on cgroup v2");
  if (c->has_shares && c->shares)
    {
      char v[32];

      snprintf (v, sizeof (v), "%" PRIu64,
                mc_cgroup_shares_to_weight (c->shares));
      if (put (d, "cpu.weight", v, err) < 0)
        return -1;
    }
  if (max && put (d, "cpu.max", max, err) < 0)
    return -1;
  if (c->has_burst
      && mc_cgroup_has_file (d, "cpu.max.burst") == false)
    return mc_error_make (err, 0, "cpu.burst: `cpu.max.burst` is not "
                          "available (kernel too old?)");
  if (c->has_burst
      && mc_cgroup_writef (d, "cpu.max.burst", err, "%" PRIu64, c->burst) < 0)
    return -1;
  if (c->has_idle
      && (mc_cgroup_has_file (d, "cpu.idle")
            ? mc_cgroup_writef (d, "cpu.idle", err, "%" PRId64, c->idle)
            : mc_error_make (err, 0, "cpu.idle is not available")) < 0)
    return -1;
  if (c->cpus && *c->cpus && put (d, "cpuset.cpus", c->cpus, err) < 0)
    return -1;
  if (c->mems && *c->mems && put (d, "cpuset.mems", c->mems, err) < 0)
    return -1;
  return 0;
}

static int
apply_io (const char *d, const spec_block_io_t *b, mc_error_t *err)
{
  cleanup_strv char **lines = mc_cgroup_io_max_lines (b);
  bool bfq = mc_cgroup_has_file (d, "io.bfq.weight");

  if (b->has_weight && b->weight)
    {
      /* BFQ takes the blkio range as it is; io.weight needs scaling.  */
      if (bfq ? mc_cgroup_writef (d, "io.bfq.weight", err, "%u", b->weight)
              : mc_cgroup_has_file (d, "io.weight")
                  ? mc_cgroup_writef (d, "io.weight", err, "default %" PRIu64,
                                      mc_cgroup_blkio_to_io_weight (b->weight))
                  : mc_error_make (err, 0, "blockIO.weight: neither "
                                   "io.bfq.weight nor io.weight is available"))
        return -1;
    }
  for (size_t i = 0; i < b->weight_device_len; i++)
    {
      const spec_weight_device_t *w = &b->weight_device[i];

      if (!w->has_weight)
        continue;
      if (bfq ? mc_cgroup_writef (d, "io.bfq.weight", err, "%" PRId64 ":%"
                                  PRId64 " %u", w->major, w->minor, w->weight)
              : mc_cgroup_writef (d, "io.weight", err, "%" PRId64 ":%" PRId64
                                  " %" PRIu64, w->major, w->minor,
                                  mc_cgroup_blkio_to_io_weight (w->weight)))
        return -1;
    }
  for (char **l = lines; l && *l; l++)
    if (put (d, "io.max", *l, err) < 0)
      return -1;
  return 0;
}

static int
apply_devices (const char *d, const spec_resources_t *r, mc_error_t *err)
{
  cleanup_free mc_device_rule_t *rules = NULL;
  cleanup_free struct bpf_insn *insns = NULL;
  cleanup_close int prog = -1;
  size_t n = 0, n_insns = 0;

  if (mc_cgroup_device_rules (r, &rules, &n, err) < 0)
    return -1;
  mc_bpf_devices_program (rules, n, &insns, &n_insns);
  prog = mc_bpf_devices_load (insns, n_insns, err);
  if (prog < 0)
    return -1;
  return mc_bpf_devices_attach (d, prog, err);
}

static int
v2_apply (mc_cgroup_t *cg, const spec_resources_t *r, bool update,
          mc_error_t *err)
{
  const char *d = cg->dirs[0];

  if (r->memory && apply_memory (d, r->memory, err) < 0)
    return -1;
  if (r->cpu && apply_cpu (d, r->cpu, err) < 0)
    return -1;
  if (r->pids && r->pids->has_limit)
    {
      cleanup_free char *v = mc_cgroup_limit_str (r->pids->limit > 0
                                                  ? r->pids->limit : -1);

      if (put (d, "pids.max", v, err) < 0)
        return -1;
    }
  if (r->block_io && apply_io (d, r->block_io, err) < 0)
    return -1;
  for (size_t i = 0; i < r->hugepage_limits_len; i++)
    {
      cleanup_free char *file
        = xasprintf ("hugetlb.%s.max", r->hugepage_limits[i].page_size);
      cleanup_free char *v
        = xasprintf ("%" PRIu64, r->hugepage_limits[i].limit);

      if (strchr (r->hugepage_limits[i].page_size, '/'))
        return mc_error_make (err, 0, "hugepageLimits: bad page size `%s`",
                              r->hugepage_limits[i].page_size);
      if (put (d, file, v, err) < 0)
        return -1;
    }
  for (size_t i = 0; i < r->rdma_len; i++)
    {
      const spec_rdma_t *x = &r->rdma[i];
      cleanup_free char *line = NULL;

      if (!x->has_hca_handles && !x->has_hca_objects)
        continue;
      /* "DEVICE hca_handle=N hca_object=N", only the limits given.  */
      if (x->has_hca_handles && x->has_hca_objects)
        line = xasprintf ("%s hca_handle=%u hca_object=%u", x->key,
                          x->hca_handles, x->hca_objects);
      else if (x->has_hca_handles)
        line = xasprintf ("%s hca_handle=%u", x->key, x->hca_handles);
      else
        line = xasprintf ("%s hca_object=%u", x->key, x->hca_objects);
      if (put (d, "rdma.max", line, err) < 0)
        return -1;
    }
  for (size_t i = 0; i < r->unified_len; i++)
    {
      if (mc_cgroup_check_unified_key (r->unified[i].key, err) < 0)
        return -1;
      if (put (d, r->unified[i].key, r->unified[i].value, err) < 0)
        return mc_error_prefix (err, "linux.resources.unified");
    }
  /* An update without device rules keeps the program in place.  */
  if (update && r->devices_len == 0)
    return 0;
  return apply_devices (d, r, err);
}

static int
v2_freeze (mc_cgroup_t *cg, bool frozen, mc_error_t *err)
{
  const char *d = cg->dirs[0];
  struct timespec ts = { 0, 1000 * 1000 };

  if (mc_cgroup_write (d, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
    return -1;
  /* The write starts freezing; cgroup.events says when it is done.  */
  for (int i = 0; i < 5000; i++)
    {
      if (mc_cgroup_read_key (d, "cgroup.events", "frozen") == (frozen ? 1 : 0))
        return 0;
      nanosleep (&ts, NULL);
    }
  return mc_error_make (err, ETIMEDOUT, "%s `%s`", frozen ? "freeze" : "thaw",
                        d);
}

static int
v2_kill_all (mc_cgroup_t *cg, mc_error_t *err)
{
  const char *d = cg->dirs[0];
  cleanup_free pid_t *pids = NULL;
  size_t n = 0;

  /* cgroup.kill (5.14) kills atomically, frozen or not, forks included.  */
  if (mc_cgroup_has_file (d, "cgroup.kill"))
    return mc_cgroup_write (d, "cgroup.kill", "1", err);
  if (mc_cgroup_read_pids (d, &pids, &n, err) < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    kill (pids[i], SIGKILL);
  /* A frozen task dies only once thawed.  */
  if (mc_cgroup_read_key (d, "cgroup.events", "frozen") == 1)
    return mc_cgroup_write (d, "cgroup.freeze", "0", err);
  return 0;
}

static int
v2_stats (mc_cgroup_t *cg, mc_cgroup_stats_t *st, mc_error_t *err)
{
  const char *d = cg->dirs[0];
  cleanup_free char *text = NULL;
  mc_error_t ignored = NULL;
  char *save = NULL;

  st->cpu_usage_ns = mc_cgroup_read_key (d, "cpu.stat", "usage_usec") * 1000;
  st->cpu_user_ns = mc_cgroup_read_key (d, "cpu.stat", "user_usec") * 1000;
  st->cpu_system_ns = mc_cgroup_read_key (d, "cpu.stat", "system_usec") * 1000;
  st->memory_usage = mc_cgroup_read_u64 (d, "memory.current");
  st->memory_limit = mc_cgroup_read_u64 (d, "memory.max");
  st->memory_max_usage = mc_cgroup_read_u64 (d, "memory.peak");
  st->swap_usage = mc_cgroup_read_u64 (d, "memory.swap.current");
  st->swap_limit = mc_cgroup_read_u64 (d, "memory.swap.max");
  st->oom_kills = mc_cgroup_read_key (d, "memory.events", "oom_kill");
  st->hugetlb_usage = mc_cgroup_sum_files (d, "hugetlb.", ".current");
  st->pids_current = mc_cgroup_read_u64 (d, "pids.current");
  st->pids_limit = mc_cgroup_read_u64 (d, "pids.max");
  /* io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N ..." per device.  */
  if (mc_cgroup_read (d, "io.stat", &text, &ignored) == 0)
    for (char *t = strtok_r (text, " \n", &save); t;
         t = strtok_r (NULL, " \n", &save))
      {
        if (strncmp (t, "rbytes=", 7) == 0)
          st->blkio_read_bytes += strtoull (t + 7, NULL, 10);
        else if (strncmp (t, "wbytes=", 7) == 0)
          st->blkio_write_bytes += strtoull (t + 7, NULL, 10);
      }
  mc_error_release (&ignored);
  return 0;
}

const mc_cgroup_ops_t mc_cgroup_v2_ops = {
  .name = "cgroupfs-v2",
  .create = v2_create,
  .enter = v2_enter,
  .apply = v2_apply,
  .freeze = v2_freeze,
  .stats = v2_stats,
  .kill_all = v2_kill_all,
};
