/* The device rules of a container, as runc builds them: the config's
   linux.resources.devices in order, then the devices every container may
   use (runc's AllowedDevices), evaluated last-match-wins.  */
#ifndef MC_CGROUP_DEVICES_H
#define MC_CGROUP_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "spec/runtime-config.h"

#define MC_DEV_ACC_READ 1u
#define MC_DEV_ACC_WRITE 2u
#define MC_DEV_ACC_MKNOD 4u

typedef struct mc_device_rule
{
  char type;      /* 'a', 'c' or 'b' */
  int64_t major;  /* -1: any */
  int64_t minor;  /* -1: any */
  unsigned access; /* MC_DEV_ACC_* */
  bool allow;
} mc_device_rule_t;

/* The full list (config rules, then the defaults).  *rules owned by the
   caller.  Fails on a bad type or access string.  */
int mc_cgroup_device_rules (const spec_resources_t *r,
                            mc_device_rule_t **rules, size_t *len,
                            mc_error_t *err);

/* "c 1:3 rwm" as devices.allow/deny take it.  Owned by the caller.  */
char *mc_device_rule_v1_string (const mc_device_rule_t *rule);

/* v1: deny everything, then write the rules in order to devices.allow and
   devices.deny of `dir`.  */
int mc_cgroup_devices_apply_v1 (const char *dir, const spec_resources_t *r,
                                mc_error_t *err);

#endif
