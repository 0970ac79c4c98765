/* OCI hooks.  Who runs what, where:
 *
 *   prestart, createRuntime  minirun (runtime namespaces), once init has
 *                            made its mounts, before pivot_root; init
 *                            waits for them (sync HOOKS / HOOKS_DONE)
 *   createContainer          init itself, by fork+exec: in the container's
 *                            namespaces, after the mounts, before
 *                            pivot_root (so the path is a host path)
 *   startContainer           init, at start, just before exec (after
 *                            pivot_root: a path in the container)
 *   poststart                `start` (or run) after releasing init
 *   poststop                 `delete` (or run) after the processes died
 *
 * Every hook gets the state JSON on stdin (a memfd, so a hook that does
 * not read it cannot block us), its args and env, and is killed after
 * `timeout` seconds, which is then an error.  Failures of the first three
 * kinds fail the operation; of the last two, they are warnings only.  */
#ifndef MC_HOOKS_H
#define MC_HOOKS_H

#include <stddef.h>
#include <sys/types.h>

#include "common/error.h"
#include "spec/runtime-config.h"

/* The runtime-spec state for hooks; owned by the caller.  */
char *mc_hooks_state_json (const spec_runtime_config_t *config,
                           const char *id, const char *bundle, pid_t pid,
                           const char *status);

/* Run `hooks` in order; the first failure stops and fails.  `kind` names
   them in messages.  */
int mc_hooks_run (const spec_hook_t *hooks, size_t n, const char *kind,
                  const char *state_json, mc_error_t *err);

/* The same, every failure a warning (poststart, poststop).  */
void mc_hooks_run_warn (const spec_hook_t *hooks, size_t n, const char *kind,
                        const char *state_json);

#endif
