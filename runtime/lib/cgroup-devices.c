#include "runtime/lib/cgroup-devices.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "runtime/lib/cgroup.h"

/* runc's AllowedDevices: mknod of any node (a node still needs an allow
   rule to be opened), then the devices of every container's /dev.  */
static const mc_device_rule_t default_rules[] = {
  { 'c', -1, -1, MC_DEV_ACC_MKNOD, true },
  { 'b', -1, -1, MC_DEV_ACC_MKNOD, true },
  { 'c', 1, 3, 7, true },    /* /dev/null */
  { 'c', 1, 8, 7, true },    /* /dev/random */
  { 'c', 1, 7, 7, true },    /* /dev/full */
  { 'c', 5, 0, 7, true },    /* /dev/tty */
  { 'c', 1, 5, 7, true },    /* /dev/zero */
  { 'c', 1, 9, 7, true },    /* /dev/urandom */
  { 'c', 136, -1, 7, true }, /* /dev/pts/N */
  { 'c', 5, 2, 7, true },    /* /dev/ptmx */
};

static int
parse_rule (const spec_device_cgroup_t *d, mc_device_rule_t *out,
            mc_error_t *err)
{
  const char *type = d->type && *d->type ? d->type : "a";
  const char *access = d->access && *d->access ? d->access : "rwm";

  if (strlen (type) != 1 || strchr ("acb", type[0]) == NULL)
    return mc_error_make (err, 0, "linux.resources.devices: bad type `%s`",
                          type);
  out->type = type[0];
  out->major = d->has_major ? d->major : -1;
  out->minor = d->has_minor ? d->minor : -1;
  out->allow = d->allow;
  out->access = 0;
  for (const char *a = access; *a; a++)
    switch (*a)
      {
      case 'r': out->access |= MC_DEV_ACC_READ; break;
      case 'w': out->access |= MC_DEV_ACC_WRITE; break;
      case 'm': out->access |= MC_DEV_ACC_MKNOD; break;
      default:
        return mc_error_make (err, 0, "linux.resources.devices: bad access "
                              "`%s`", access);
      }
  /* "a" matches every device whatever the numbers say.  */
  if (out->type == 'a')
    out->major = out->minor = -1;
  return 0;
}

int
mc_cgroup_device_rules (const spec_resources_t *r, mc_device_rule_t **rules,
                        size_t *len, mc_error_t *err)
{
  size_t n_spec = r ? r->devices_len : 0;
  size_t n_def = sizeof (default_rules) / sizeof (default_rules[0]);
  cleanup_free mc_device_rule_t *out
    = xcalloc (n_spec + n_def, sizeof (mc_device_rule_t));

  for (size_t i = 0; i < n_spec; i++)
    if (parse_rule (&r->devices[i], &out[i], err) < 0)
      return -1;
  memcpy (out + n_spec, default_rules, sizeof (default_rules));
  *len = n_spec + n_def;
  *rules = steal_ptr (&out);
  return 0;
}

char *
mc_device_rule_v1_string (const mc_device_rule_t *rule)
{
  char major[24], minor[24];

  if (rule->major < 0)
    strcpy (major, "*");
  else
    snprintf (major, sizeof (major), "%" PRId64, rule->major);
  if (rule->minor < 0)
    strcpy (minor, "*");
  else
    snprintf (minor, sizeof (minor), "%" PRId64, rule->minor);
  if (rule->type == 'a')
    return xstrdup ("a");
  return xasprintf ("%c %s:%s %s%s%s", rule->type, major, minor,
                    rule->access & MC_DEV_ACC_READ ? "r" : "",
                    rule->access & MC_DEV_ACC_WRITE ? "w" : "",
                    rule->access & MC_DEV_ACC_MKNOD ? "m" : "");
}

int
mc_cgroup_devices_apply_v1 (const char *dir, const spec_resources_t *r,
                            mc_error_t *err)
{
  cleanup_free mc_device_rule_t *rules = NULL;
  size_t n = 0;

  if (mc_cgroup_device_rules (r, &rules, &n, err) < 0)
    return -1;
  /* Start from "nothing allowed": v1's own model is then last-write-wins
     like the rules.  */
  if (mc_cgroup_write (dir, "devices.deny", "a", err) < 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *s = mc_device_rule_v1_string (&rules[i]);

      if (rules[i].access == 0 && rules[i].type != 'a')
        continue;
      if (mc_cgroup_write (dir, rules[i].allow ? "devices.allow"
                                               : "devices.deny", s, err) < 0)
        return -1;
    }
  return 0;
}
