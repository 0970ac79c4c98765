/* Managing a running container through its cgroup: pause / resume (the
   freezer), update (live resources), events (statistics and OOM kills).
   Like the lifecycle commands, each takes the container's lock while it
   reads the state and acts; `events` streams without holding it.  */
#ifndef MC_MANAGE_H
#define MC_MANAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/error.h"
#include "runtime/lib/stats-json.h"
#include "spec/runtime-config.h"

/* Freeze every process of a running (or created) container: its status
   becomes "paused".  Fails with "container not running" otherwise.  */
int mc_manage_pause (const char *root, const char *id, mc_error_t *err);

/* Thaw a paused container.  Fails with "container not paused" otherwise. */
int mc_manage_resume (const char *root, const char *id, mc_error_t *err);

/* Whether the group saved in a state (its cgroupPaths) is frozen: the
   container is then "paused".  No group, or one that cannot be read: no. */
bool mc_manage_saved_frozen (char **dirs, size_t dirs_len);

/* Thaw the group saved in a state, if it is frozen (after a SIGKILL, which
   a frozen process acts on only once thawed).  */
int mc_manage_thaw_saved (char **dirs, size_t dirs_len, mc_error_t *err);

/* Apply `r` to the group of a running, created or paused container, as
   runc's update: only what `r` sets changes; device rules are left alone.
   The values are checked first; when the kernel refuses one, the files
   already written are put back as they were.  */
int mc_manage_update (const char *root, const char *id,
                      const spec_resources_t *r, mc_error_t *err);

/* Read a LinuxResources JSON object from PATH, or stdin for "-".  */
int mc_manage_load_resources (const char *path, spec_resources_t **out,
                              mc_error_t *err);

/* The statistics of a running or paused container's group.  */
int mc_manage_stats (const char *root, const char *id, mc_stats_t *st,
                     mc_error_t *err);

/* `events --stats`: the stats event of the container, one JSON line.  */
int mc_manage_stats_json (const char *root, const char *id, char **json,
                          mc_error_t *err);

/* `events` without --stats: every `interval_ns` a stats event, and an oom
   event as soon as the group's OOM-kill counter grows, each handed to
   `emit` as one JSON line, until the container stops (then 0) or `emit`
   fails.  */
typedef int (*mc_events_fn) (const char *json, void *data, mc_error_t *err);
int mc_manage_events (const char *root, const char *id, uint64_t interval_ns,
                      mc_events_fn emit, void *data, mc_error_t *err);

/* A size as runc's update takes it (docker's RAMInBytes): "1024", "256m",
   "1.5g", "10KiB", "2 GB" (binary units, case-insensitive), or "-1" for
   unlimited.  */
int mc_parse_size (const char *s, int64_t *out, mc_error_t *err);

/* A Go duration ("5s", "500ms", "1m30s", "1.5h"; units ns, us, µs, ms, s,
   m, h) in nanoseconds.  Must be > 0.  */
int mc_parse_duration (const char *s, uint64_t *ns, mc_error_t *err);

#endif
