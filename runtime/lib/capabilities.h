/* process.capabilities: the five capability sets of the container process,
   parsed into bit masks and applied around the switch to the container
   user (see security.h for the whole order).  */
#ifndef MC_CAPABILITIES_H
#define MC_CAPABILITIES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"
#include "spec/runtime-config.h"

/* One bit per capability number (the kernel has fewer than 64).  */
typedef struct mc_caps
{
  uint64_t bounding;
  uint64_t effective;
  uint64_t inheritable;
  uint64_t permitted;
  uint64_t ambient;
  int last_cap; /* the highest capability the running kernel knows */
} mc_caps_t;

/* The number of "CAP_CHOWN" (the CAP_ prefix is required, case is not
   significant), or -1 when libcap does not know the name.  */
int mc_cap_from_name (const char *name);

/* The running kernel's highest capability: /proc/sys/kernel/cap_last_cap,
   else what libcap was built with (cap_max_bits () - 1).  */
int mc_caps_last_cap (void);

/* Turn the config's names into masks.  NULL `c` (no process.capabilities)
   means every set empty.  A name that is no capability, and a real
   capability the running kernel does not have, are left out with a
   warning, as the runtime-spec asks (see capabilities.c).  */
int mc_caps_parse (const spec_capabilities_t *c, int last_cap, mc_caps_t *out,
                   mc_error_t *err);

/* Before the user switch, with full privileges: keep the permitted set
   across setresuid (PR_SET_KEEPCAPS) and drop from the bounding set every
   capability not in `caps->bounding` (PR_CAPBSET_DROP needs CAP_SETPCAP,
   which the user switch may take away).  */
int mc_caps_before_user_switch (const mc_caps_t *caps, mc_error_t *err);

/* After the user switch: permitted, effective and inheritable exactly as
   configured (cap_set_proc), keep-caps off again, then the ambient set
   cleared and raised to what is configured.  */
int mc_caps_after_user_switch (const mc_caps_t *caps, uid_t uid,
                               mc_error_t *err);

#endif
