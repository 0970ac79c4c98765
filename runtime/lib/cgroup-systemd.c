/* The systemd cgroup driver (--systemd-cgroup): systemd owns the cgroup
   tree when it is PID 1, so instead of making directories we ask it, over
   D-Bus (sd-bus), for a transient scope unit holding init, with
   Delegate=yes and the resources it knows as unit properties.  Once the
   scope exists its directories are the container's group: the other
   limits are written there, and freeze, stats and kill work on them like
   the cgroupfs drivers (whose functions this driver calls).

   The unit name and path, and the property list, are pure functions
   (unit-tested); only start_scope and mc_cgroup_systemd_stop talk to
   systemd.  Without libsystemd at build time, or without systemd as
   PID 1, create fails with one clear line before anything exists.  */
#include "runtime/lib/cgroup.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-bus.h>
#endif

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "runtime/lib/cgroup-convert.h"

#define SYSTEMD_RUNNING "/run/systemd/system"
/* How long the start or stop job of the scope may take.  */
#define JOB_TIMEOUT_USEC (30 * 1000000ULL)

/* A slice name as systemd expands it into a path: "a-b.slice" ->
   "/a.slice/a-b.slice"; "-.slice" is the root ("").  */
static int
expand_slice (const char *slice, char **out, mc_error_t *err)
{
  size_t len = strlen (slice);
  cleanup_free char *path = xstrdup ("");
  cleanup_free char *stem = NULL;

  if (len < 7 || strcmp (slice + len - 6, ".slice") != 0
      || strchr (slice, '/'))
    return mc_error_make (err, 0, "linux.cgroupsPath: `%s` is not a slice "
                          "name (NAME.slice)", slice);
  if (strcmp (slice, "-.slice") == 0)
    {
      *out = steal_ptr (&path);
      return 0;
    }
  stem = xstrndup (slice, len - 6);
  if (stem[0] == '-' || stem[strlen (stem) - 1] == '-' || strstr (stem, "--"))
    return mc_error_make (err, 0, "linux.cgroupsPath: `%s` is not a valid "
                          "slice name", slice);
  /* Every prefix ending before a dash is a parent slice.  */
  for (const char *dash = stem; (dash = strchr (dash, '-')); dash++)
    {
      char *joined = xasprintf ("%s/%.*s.slice", path, (int) (dash - stem),
                                stem);
      free (path);
      path = joined;
    }
  *out = xasprintf ("%s/%s", path, slice);
  return 0;
}

int
mc_cgroup_systemd_parse (const char *cgroups_path, const char *id,
                         char **slice, char **unit, char **path,
                         mc_error_t *err)
{
  cleanup_free char *copy = NULL;
  cleanup_free char *slice_path = NULL;
  const char *parent, *prefix, *name;
  char *c1, *c2;

  if (cgroups_path == NULL || *cgroups_path == '\0')
    copy = xasprintf ("system.slice:minirun:%s", id);
  else
    copy = xstrdup (cgroups_path);
  c1 = strchr (copy, ':');
  c2 = c1 ? strchr (c1 + 1, ':') : NULL;
  if (c2 == NULL || strchr (c2 + 1, ':'))
    return mc_error_make (err, 0, "linux.cgroupsPath `%s`: the systemd "
                          "driver wants the form `slice:prefix:name`",
                          cgroups_path);
  *c1 = '\0';
  *c2 = '\0';
  parent = *copy ? copy : "system.slice";
  prefix = c1 + 1;
  name = c2 + 1;
  if (*name == '\0' || strchr (name, '/') || strchr (prefix, '/')
      || strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return mc_error_make (err, 0, "linux.cgroupsPath `%s`: bad unit name",
                          cgroups_path);
  if (strlen (name) > 6 && strcmp (name + strlen (name) - 6, ".slice") == 0)
    return mc_error_make (err, 0, "linux.cgroupsPath `%s`: a slice as the "
                          "container's unit is not supported", cgroups_path);
  if (expand_slice (parent, &slice_path, err) < 0)
    return -1;
  *slice = xstrdup (parent);
  *unit = *prefix ? xasprintf ("%s-%s.scope", prefix, name)
                  : xasprintf ("%s.scope", name);
  *path = xasprintf ("%s/%s", slice_path, *unit);
  return 0;
}

int
mc_cgroup_systemd_cpu_mask (const char *list, uint8_t **out, size_t *len,
                            mc_error_t *err)
{
  cleanup_free char *copy = xstrdup (list);
  uint8_t *mask = NULL;
  size_t n = 0;
  char *save = NULL;

  for (char *r = strtok_r (copy, ",", &save); r; r = strtok_r (NULL, ",", &save))
    {
      unsigned long lo, hi;
      char *end;

      while (*r == ' ' || *r == '\n')
        r++;
      lo = strtoul (r, &end, 10);
      hi = lo;
      if (end == r)
        goto bad;
      if (*end == '-')
        {
          char *start = end + 1;

          hi = strtoul (start, &end, 10);
          if (end == start)
            goto bad;
        }
      while (*end == ' ' || *end == '\n')
        end++;
      if (*end != '\0' || hi < lo || hi >= 8192)
        goto bad;
      if (hi / 8 + 1 > n)
        {
          mask = xrealloc (mask, hi / 8 + 1);
          memset (mask + n, 0, hi / 8 + 1 - n);
          n = hi / 8 + 1;
        }
      for (unsigned long i = lo; i <= hi; i++)
        mask[i / 8] |= (uint8_t) (1u << (i % 8));
    }
  *out = mask;
  *len = n;
  return 0;

bad:
  free (mask);
  return mc_error_make (err, 0, "bad cpu or node list `%s`", list);
}

static mc_systemd_prop_t *
add_prop (mc_systemd_prop_t **p, size_t *len, const char *name, char type)
{
  mc_systemd_prop_t *n;

  *p = xrealloc (*p, (*len + 1) * sizeof (**p));
  n = &(*p)[(*len)++];
  *n = (mc_systemd_prop_t) { .name = name, .type = type };
  return n;
}

static void
add_num (mc_systemd_prop_t **p, size_t *len, const char *name, char type,
         uint64_t v)
{
  add_prop (p, len, name, type)->num = v;
}

static int
add_mask (mc_systemd_prop_t **p, size_t *len, const char *name,
          const char *list, mc_error_t *err)
{
  uint8_t *mask = NULL;
  size_t n = 0;
  mc_systemd_prop_t *prop;

  if (list == NULL || *list == '\0')
    return 0;
  if (mc_cgroup_systemd_cpu_mask (list, &mask, &n, err) < 0)
    return mc_error_prefix (err, "%s", name);
  prop = add_prop (p, len, name, 'y');
  prop->bytes = mask;
  prop->bytes_len = n;
  return 0;
}

/* CPUQuotaPerSecUSec: the quota per second of CPU time, rounded up to
   systemd's granularity of 10 ms (as runc does, so that a quota is never
   made smaller).  */
static uint64_t
quota_per_sec (int64_t quota, uint64_t period)
{
  uint64_t q;

  if (quota <= 0)
    return UINT64_MAX;
  q = (uint64_t) quota * 1000000 / period;
  if (q % 10000)
    q = (q / 10000 + 1) * 10000;
  return q;
}

int
mc_cgroup_systemd_props (const spec_resources_t *r, mc_cgroup_mode_t mode,
                         const char *slice, const char *description,
                         pid_t pid, mc_systemd_prop_t **out, size_t *len,
                         mc_error_t *err)
{
  mc_systemd_prop_t *p = NULL;
  size_t n = 0;
  const spec_memory_t *m = r ? r->memory : NULL;
  const spec_cpu_t *c = r ? r->cpu : NULL;
  const spec_pids_t *pids = r ? r->pids : NULL;
  bool v2 = mode == MC_CGROUP_V2;

  if (slice)
    {
      add_prop (&p, &n, "Description", 's')->str = xstrdup (description);
      add_prop (&p, &n, "Slice", 's')->str = xstrdup (slice);
      add_num (&p, &n, "PIDs", 'u', (uint64_t) pid);
      add_num (&p, &n, "Delegate", 'b', 1);
      /* Ordering against shutdown is the container engine's business.  */
      add_num (&p, &n, "DefaultDependencies", 'b', 0);
      add_num (&p, &n, "MemoryAccounting", 'b', 1);
      add_num (&p, &n, "CPUAccounting", 'b', 1);
      add_num (&p, &n, "TasksAccounting", 'b', 1);
      add_num (&p, &n, v2 ? "IOAccounting" : "BlockIOAccounting", 'b', 1);
    }
  if (m && m->has_limit && m->limit != 0)
    add_num (&p, &n, v2 ? "MemoryMax" : "MemoryLimit", 't',
             m->limit < 0 ? UINT64_MAX : (uint64_t) m->limit);
  if (v2 && m && m->has_reservation && m->reservation > 0)
    add_num (&p, &n, "MemoryLow", 't', (uint64_t) m->reservation);
  if (c && c->has_shares && c->shares != 0)
    {
      if (v2)
        add_num (&p, &n, "CPUWeight", 't',
                 mc_cgroup_shares_to_weight (c->shares));
      else
        add_num (&p, &n, "CPUShares", 't', c->shares);
    }
  if (c && c->has_period && c->period != 0)
    add_num (&p, &n, "CPUQuotaPeriodUSec", 't', c->period);
  if (c && c->has_quota && c->quota != 0)
    add_num (&p, &n, "CPUQuotaPerSecUSec", 't',
             quota_per_sec (c->quota, c->has_period && c->period
                                        ? c->period : 100000));
  if (pids && pids->has_limit && pids->limit != 0)
    add_num (&p, &n, "TasksMax", 't',
             pids->limit < 0 ? UINT64_MAX : (uint64_t) pids->limit);
  /* cpuset properties exist for the unified hierarchy only.  */
  if (v2 && c
      && (add_mask (&p, &n, "AllowedCPUs", c->cpus, err) < 0
          || add_mask (&p, &n, "AllowedMemoryNodes", c->mems, err) < 0))
    {
      mc_cgroup_systemd_props_free (p, n);
      return -1;
    }
  *out = p;
  *len = n;
  return 0;
}

void
mc_cgroup_systemd_props_free (mc_systemd_prop_t *p, size_t len)
{
  for (size_t i = 0; i < len; i++)
    {
      free (p[i].str);
      free (p[i].bytes);
    }
  free (p);
}

static const mc_cgroup_ops_t *
fs_ops (mc_cgroup_t *cg)
{
  return cg->mode == MC_CGROUP_V2 ? &mc_cgroup_v2_ops : &mc_cgroup_v1_ops;
}

#ifdef HAVE_SYSTEMD

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_NO_SUCH_UNIT "org.freedesktop.systemd1.NoSuchUnit"

static void
bus_unrefp (sd_bus **bus)
{
  if (*bus)
    sd_bus_flush_close_unref (*bus);
}

static void
message_unrefp (sd_bus_message **m)
{
  sd_bus_message_unref (*m);
}

static void
slot_unrefp (sd_bus_slot **s)
{
  sd_bus_slot_unref (*s);
}

#define cleanup_bus __attribute__ ((cleanup (bus_unrefp)))
#define cleanup_message __attribute__ ((cleanup (message_unrefp)))
#define cleanup_slot __attribute__ ((cleanup (slot_unrefp)))

/* As root, systemd's private socket (no dbus-daemon needed, and it works
   early in boot); else the system bus.  */
static int
bus_open (sd_bus **out, mc_error_t *err)
{
  sd_bus *bus = NULL;
  int r;

  if (geteuid () == 0 && access ("/run/systemd/private", F_OK) == 0
      && sd_bus_new (&bus) >= 0)
    {
      if (sd_bus_set_address (bus, "unix:path=/run/systemd/private") >= 0
          && sd_bus_start (bus) >= 0)
        {
          *out = bus;
          return 0;
        }
      bus = sd_bus_unref (bus);
    }
  r = sd_bus_open_system (&bus);
  if (r < 0)
    return mc_error_make (err, -r, "connect to systemd");
  *out = bus;
  return 0;
}

static int
bus_fail (mc_error_t *err, int r, const sd_bus_error *e, const char *what,
          const char *unit)
{
  if (e && sd_bus_error_is_set (e))
    return mc_error_make (err, 0, "%s %s: %s", what, unit,
                          e->message ? e->message : e->name);
  return mc_error_make (err, r < 0 ? -r : 0, "%s %s", what, unit);
}

struct job_wait
{
  char *path;   /* the job we wait for, once known */
  char *result; /* its JobRemoved result */
};

static int
on_job_removed (sd_bus_message *m, void *data, sd_bus_error *e)
{
  struct job_wait *w = data;
  uint32_t id;
  const char *path, *unit, *result;

  (void) e;
  if (sd_bus_message_read (m, "uoss", &id, &path, &unit, &result) < 0)
    return 0;
  if (w->path && w->result == NULL && strcmp (path, w->path) == 0)
    w->result = xstrdup (result);
  return 0;
}

static uint64_t
now_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
}

/* Call METHOD (whose reply is a job) and wait for the job's JobRemoved.
   The match is in place before the call; the reply comes before the
   signal, and sd_bus_call dispatches nothing meanwhile.  *ACCEPTED (when
   given) says whether systemd took the call: a job that then fails still
   leaves a unit, a refused call (the unit exists already) does not.  */
static int
call_job (sd_bus *bus, sd_bus_message *call, const char *what,
          const char *unit, bool missing_ok, bool *accepted, mc_error_t *err)
{
  sd_bus_error e = SD_BUS_ERROR_NULL;
  cleanup_message sd_bus_message *reply = NULL;
  cleanup_slot sd_bus_slot *slot = NULL;
  struct job_wait w = { NULL, NULL };
  const char *job;
  uint64_t deadline;
  int r;
  int ret = 0;

  r = sd_bus_match_signal (bus, &slot, NULL, SD_PATH, SD_MANAGER,
                           "JobRemoved", on_job_removed, &w);
  if (r < 0)
    return mc_error_make (err, -r, "%s %s: watch the job", what, unit);
  /* Signals go to subscribers on the system bus (on the private socket to
     everybody): an error here only means we are subscribed already.  */
  sd_bus_call_method (bus, SD_DEST, SD_PATH, SD_MANAGER, "Subscribe", NULL,
                      NULL, "");
  r = sd_bus_call (bus, call, JOB_TIMEOUT_USEC, &e, &reply);
  if (r < 0)
    {
      if (missing_ok && sd_bus_error_has_name (&e, SD_NO_SUCH_UNIT))
        ret = 0;
      else
        ret = bus_fail (err, r, &e, what, unit);
      sd_bus_error_free (&e);
      return ret;
    }
  if (accepted)
    *accepted = true;
  r = sd_bus_message_read (reply, "o", &job);
  if (r < 0)
    return bus_fail (err, r, NULL, what, unit);
  w.path = xstrdup (job);
  deadline = now_usec () + JOB_TIMEOUT_USEC;
  while (w.result == NULL)
    {
      uint64_t now;

      r = sd_bus_process (bus, NULL);
      if (r < 0)
        {
          ret = bus_fail (err, r, NULL, what, unit);
          break;
        }
      if (r > 0)
        continue;
      now = now_usec ();
      if (now >= deadline)
        {
          ret = mc_error_make (err, ETIMEDOUT, "%s %s: the job did not "
                               "finish in %llu s", what, unit,
                               JOB_TIMEOUT_USEC / 1000000);
          break;
        }
      r = sd_bus_wait (bus, deadline - now);
      if (r < 0)
        {
          ret = bus_fail (err, r, NULL, what, unit);
          break;
        }
    }
  if (ret == 0 && strcmp (w.result, "done") != 0)
    ret = mc_error_make (err, 0, "%s %s: job %s", what, unit, w.result);
  free (w.path);
  free (w.result);
  return ret;
}

static int
append_prop (sd_bus_message *m, const mc_systemd_prop_t *p)
{
  int r;

  switch (p->type)
    {
    case 's':
      return sd_bus_message_append (m, "(sv)", p->name, "s", p->str);
    case 'b':
      return sd_bus_message_append (m, "(sv)", p->name, "b", (int) p->num);
    case 't':
      return sd_bus_message_append (m, "(sv)", p->name, "t", p->num);
    case 'u':
      return sd_bus_message_append (m, "(sv)", p->name, "au", 1,
                                    (uint32_t) p->num);
    case 'y':
      if ((r = sd_bus_message_open_container (m, 'r', "sv")) < 0
          || (r = sd_bus_message_append (m, "s", p->name)) < 0
          || (r = sd_bus_message_open_container (m, 'v', "ay")) < 0
          || (r = sd_bus_message_append_array (m, 'y', p->bytes,
                                               p->bytes_len)) < 0
          || (r = sd_bus_message_close_container (m)) < 0)
        return r;
      return sd_bus_message_close_container (m);
    default:
      return -EINVAL;
    }
}

static int
start_scope (mc_cgroup_t *cg, pid_t pid, mc_error_t *err)
{
  cleanup_bus sd_bus *bus = NULL;
  cleanup_message sd_bus_message *m = NULL;
  cleanup_free char *description = xasprintf ("minirun container %s",
                                               cg->unit);
  mc_systemd_prop_t *props = NULL;
  size_t n = 0;
  int r;

  if (mc_cgroup_systemd_props (cg->pending, cg->mode, cg->unit_slice,
                               description, pid, &props, &n, err) < 0
      || bus_open (&bus, err) < 0)
    {
      mc_cgroup_systemd_props_free (props, n);
      return -1;
    }
  r = sd_bus_message_new_method_call (bus, &m, SD_DEST, SD_PATH, SD_MANAGER,
                                      "StartTransientUnit");
  if (r >= 0)
    r = sd_bus_message_append (m, "ss", cg->unit, "fail");
  if (r >= 0)
    r = sd_bus_message_open_container (m, 'a', "(sv)");
  for (size_t i = 0; r >= 0 && i < n; i++)
    r = append_prop (m, &props[i]);
  if (r >= 0)
    r = sd_bus_message_close_container (m);
  if (r >= 0)
    r = sd_bus_message_append (m, "a(sa(sv))", 0);
  mc_cgroup_systemd_props_free (props, n);
  if (r < 0)
    return mc_error_make (err, -r, "start %s: build the call", cg->unit);
  /* Once systemd took the call, delete stops the unit even if the job
     fails; not when it refused it: the unit may be somebody else's.  */
  return call_job (bus, m, "start", cg->unit, false, &cg->unit_started,
                   err);
}

/* A live update: the unit's properties change too, or systemd would put
   its old values back on the next daemon-reload.  */
static int
set_props (mc_cgroup_t *cg, const spec_resources_t *res, mc_error_t *err)
{
  cleanup_bus sd_bus *bus = NULL;
  cleanup_message sd_bus_message *m = NULL;
  cleanup_message sd_bus_message *reply = NULL;
  sd_bus_error e = SD_BUS_ERROR_NULL;
  mc_systemd_prop_t *props = NULL;
  size_t n = 0;
  int r;

  if (mc_cgroup_systemd_props (res, cg->mode, NULL, NULL, 0, &props, &n,
                               err) < 0)
    return -1;
  if (n == 0)
    return 0;
  if (bus_open (&bus, err) < 0)
    {
      mc_cgroup_systemd_props_free (props, n);
      return -1;
    }
  r = sd_bus_message_new_method_call (bus, &m, SD_DEST, SD_PATH, SD_MANAGER,
                                      "SetUnitProperties");
  if (r >= 0)
    r = sd_bus_message_append (m, "sb", cg->unit, 1);
  if (r >= 0)
    r = sd_bus_message_open_container (m, 'a', "(sv)");
  for (size_t i = 0; r >= 0 && i < n; i++)
    r = append_prop (m, &props[i]);
  if (r >= 0)
    r = sd_bus_message_close_container (m);
  mc_cgroup_systemd_props_free (props, n);
  if (r < 0)
    return mc_error_make (err, -r, "update %s: build the call", cg->unit);
  r = sd_bus_call (bus, m, JOB_TIMEOUT_USEC, &e, &reply);
  if (r < 0)
    {
      bus_fail (err, r, &e, "update", cg->unit);
      sd_bus_error_free (&e);
      return -1;
    }
  return 0;
}

int
mc_cgroup_systemd_stop (const char *unit, mc_error_t *err)
{
  cleanup_bus sd_bus *bus = NULL;
  cleanup_message sd_bus_message *m = NULL;
  int r;

  if (access (SYSTEMD_RUNNING, F_OK) < 0)
    return 0;
  if (bus_open (&bus, err) < 0)
    return -1;
  r = sd_bus_message_new_method_call (bus, &m, SD_DEST, SD_PATH, SD_MANAGER,
                                      "StopUnit");
  if (r >= 0)
    r = sd_bus_message_append (m, "ss", unit, "replace");
  if (r < 0)
    return mc_error_make (err, -r, "stop %s: build the call", unit);
  return call_job (bus, m, "stop", unit, true, NULL, err);
}

#else /* !HAVE_SYSTEMD */

static int
set_props (mc_cgroup_t *cg, const spec_resources_t *res, mc_error_t *err)
{
  (void) cg;
  (void) res;
  return mc_error_make (err, ENOTSUP, "not built in");
}

static int
start_scope (mc_cgroup_t *cg, pid_t pid, mc_error_t *err)
{
  (void) cg;
  (void) pid;
  return mc_error_make (err, ENOTSUP, "not built in");
}

int
mc_cgroup_systemd_stop (const char *unit, mc_error_t *err)
{
  (void) unit;
  (void) err;
  return 0;
}

#endif

/* Before init exists: only check that the driver can work here.  */
static int
sd_create (mc_cgroup_t *cg, mc_error_t *err)
{
  (void) cg;
  if (access (SYSTEMD_RUNNING, F_OK) < 0)
    return mc_error_make (err, 0, "systemd is not running (PID 1 is not "
                          "systemd)");
#ifndef HAVE_SYSTEMD
  return mc_error_make (err, 0, "not built in (configure found no "
                        "libsystemd: install libsystemd-dev)");
#else
  if (geteuid () != 0)
    return mc_error_make (err, 0, "only root can use it (no user scopes)");
  return 0;
#endif
}

/* Init exists: the scope takes it; then the scope's directories are the
   group (made in the hierarchies systemd left out, on v1) and the
   resources go to them.  A later enter (none today) only joins.  */
static int
sd_enter (mc_cgroup_t *cg, pid_t pid, mc_error_t *err)
{
  const mc_cgroup_ops_t *fs = fs_ops (cg);
  static const spec_resources_t none;

  if (cg->dirs_len > 0)
    return fs->enter (cg, pid, err);
  if (start_scope (cg, pid, err) < 0
      || mc_cgroup_locate_path (cg, cg->unit_path, err) < 0
      || fs->create (cg, err) < 0
      || fs->enter (cg, pid, err) < 0
      || fs->apply (cg, cg->pending ? cg->pending : &none, false, err) < 0)
    return -1;
  cg->saved = xzalloc ((cg->dirs_len + 2) * sizeof (char *));
  memcpy (cg->saved, cg->dirs, cg->dirs_len * sizeof (char *));
  cg->saved[cg->dirs_len] = xasprintf ("%s%s", MC_CGROUP_SYSTEMD_TAG,
                                       cg->unit);
  return 0;
}

static int
sd_apply (mc_cgroup_t *cg, const spec_resources_t *r, bool update,
          mc_error_t *err)
{
  /* At create the scope does not exist yet: sd_enter applies them.  */
  if (!update && cg->dirs_len == 0)
    {
      cg->pending = r;
      return 0;
    }
  if (update && cg->unit && set_props (cg, r, err) < 0)
    return -1;
  return fs_ops (cg)->apply (cg, r, update, err);
}

static int
sd_freeze (mc_cgroup_t *cg, bool frozen, mc_error_t *err)
{
  return fs_ops (cg)->freeze (cg, frozen, err);
}

static int
sd_stats (mc_cgroup_t *cg, mc_cgroup_stats_t *st, mc_error_t *err)
{
  return fs_ops (cg)->stats (cg, st, err);
}

static int
sd_kill_all (mc_cgroup_t *cg, mc_error_t *err)
{
  return fs_ops (cg)->kill_all (cg, err);
}

const mc_cgroup_ops_t mc_cgroup_systemd_ops = {
  .name = "systemd",
  .create = sd_create,
  .enter = sd_enter,
  .apply = sd_apply,
  .freeze = sd_freeze,
  .stats = sd_stats,
  .kill_all = sd_kill_all,
};
