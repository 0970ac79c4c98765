/* Pure conversions between the OCI resources (modelled on cgroup v1) and
   the cgroup v2 files, with runc's formulas so that a config means the same
   under both runtimes.  No file is touched here; the unit tests call these
   directly.  */
#ifndef MC_CGROUP_CONVERT_H
#define MC_CGROUP_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "spec/runtime-config.h"

/* cpu.shares [2, 262144] -> cpu.weight [1, 10000]; 0 stays 0 (unset).  */
uint64_t mc_cgroup_shares_to_weight (uint64_t shares);

/* blkio.weight [10, 1000] -> io.weight [1, 10000]; 0 stays 0 (unset).  */
uint64_t mc_cgroup_blkio_to_io_weight (uint64_t weight);

/* memory.swap.max from the v1-style swap (memory+swap) and limit, or
   "max".  *out is NULL when nothing should be written.  */
int mc_cgroup_swap_to_v2 (const spec_memory_t *m, char **out,
                          mc_error_t *err);

/* cpu.max ("QUOTA PERIOD", "max PERIOD", "max"), or NULL when neither is
   set.  Owned by the caller.  */
char *mc_cgroup_cpu_max (const spec_cpu_t *cpu);

/* The io.max lines of blockIO's throttle lists, one per device:
   "MAJ:MIN rbps=N wbps=N riops=N wiops=N" (only the keys given).  A NULL-
   terminated array owned by the caller; NULL when there is none.  */
char **mc_cgroup_io_max_lines (const spec_block_io_t *b);

/* A linux.resources.unified key must name a file of the group itself.  */
int mc_cgroup_check_unified_key (const char *key, mc_error_t *err);

/* A memory limit as v2 writes it: -1 -> "max".  Owned by the caller.  */
char *mc_cgroup_limit_str (int64_t v);

#endif
