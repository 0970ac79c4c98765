/* A container's statistics as `minirun events` prints them: runc's event
   objects ({"type": "stats", "id": ID, "data": {...}} and {"type": "oom",
   "id": ID}), with runc's field names (its types/events.go), so that tools
   reading runc's events read ours.  Pure: the numbers are read elsewhere
   (mc_manage_stats); the unit tests call these directly.  */
#ifndef MC_STATS_JSON_H
#define MC_STATS_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "runtime/lib/cgroup.h"

/* One "MAJ:MIN Op value" line of blkio (v1) or io.stat (v2).  */
typedef struct mc_blkio_entry
{
  uint64_t major;
  uint64_t minor;
  char op[16];   /* Read, Write, Sync, Async, Discard, Total */
  uint64_t value;
} mc_blkio_entry_t;

/* The usage of one hugepage size ("2MB").  */
typedef struct mc_hugetlb_stat
{
  char *page_size;
  uint64_t usage;
  uint64_t max;
  uint64_t failcnt;
} mc_hugetlb_stat_t;

/* A "key value" line of memory.stat.  */
typedef struct mc_stat_kv
{
  char *key;
  uint64_t value;
} mc_stat_kv_t;

typedef struct mc_stats
{
  mc_cgroup_stats_t cg;     /* what the cgroup driver reads */
  uint64_t *percpu;         /* v1 cpuacct.usage_percpu, ns */
  size_t percpu_len;
  uint64_t *percpu_kernel;
  size_t percpu_kernel_len;
  uint64_t *percpu_user;
  size_t percpu_user_len;
  uint64_t throttling_periods;
  uint64_t throttled_periods;
  uint64_t throttled_time_ns;
  uint64_t memory_cache;
  uint64_t memory_failcnt;
  uint64_t swap_failcnt;
  uint64_t kernel_usage;    /* v1 memory.kmem.* */
  uint64_t kernel_max_usage;
  uint64_t kernel_limit;
  uint64_t kernel_failcnt;
  uint64_t kernel_tcp_usage; /* v1 memory.kmem.tcp.* */
  uint64_t kernel_tcp_max_usage;
  uint64_t kernel_tcp_limit;
  uint64_t kernel_tcp_failcnt;
  mc_stat_kv_t *raw;        /* memory.stat */
  size_t raw_len;
  mc_blkio_entry_t *service_bytes;
  size_t service_bytes_len;
  mc_blkio_entry_t *serviced;
  size_t serviced_len;
  mc_hugetlb_stat_t *hugetlb;
  size_t hugetlb_len;
} mc_stats_t;

void mc_stats_clear (mc_stats_t *st);

/* {"type":"stats","id":ID,"data":{cpu, memory, pids, blkio, hugetlb}} on
   one line.  *out is owned by the caller.  */
int mc_stats_event_json (const char *id, const mc_stats_t *st, char **out,
                         mc_error_t *err);

/* {"type":"oom","id":ID} on one line.  */
int mc_oom_event_json (const char *id, char **out, mc_error_t *err);

/* Parse the text of memory.stat ("key value" lines) into st->raw.  */
void mc_stats_parse_raw (mc_stats_t *st, const char *text);

/* Parse blkio (v1: "MAJ:MIN Op N" lines) into entries appended to
   *entries.  */
void mc_stats_parse_blkio_v1 (const char *text, mc_blkio_entry_t **entries,
                              size_t *len);

/* Parse io.stat (v2: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N ...") into
   service bytes and serviced entries, as runc converts them.  */
void mc_stats_parse_io_stat (mc_stats_t *st, const char *text);

/* Parse a list of numbers separated by spaces (cpuacct.usage_percpu).  */
void mc_stats_parse_u64_list (const char *text, uint64_t **out, size_t *len);

#endif
