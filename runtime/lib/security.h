/* The security setup of a container process, in the one order that works,
   shared by init (run/create) and by exec (a process joining a container).

   1. mc_security_prepare, on the host side (before pivot_root, or before
      setns for exec): parse the capability sets and build the seccomp
      filter (a bad config fails before the container runs anything), check
      and set the LSM exec labels, connect to the seccomp listener, and
      make the process non-dumpable (CVE-2019-5736: nothing in the
      container may open our /proc/PID/exe).
   2. mc_security_apply, inside the container, after mounts and rlimits:
        keep-caps on, bounding set dropped (needs CAP_SETPCAP: before the
        user switch), [seccomp here when noNewPrivileges is false, see
        below], setgroups/setresgid/setresuid, permitted/effective/
        inheritable set, ambient raised, then no_new_privs.
   3. mc_security_before_exec, right before execve (after the signal mask
      is restored): load the seccomp filter and send the listener fd.

   Seccomp is loaded as late as possible so that minirun's own syscalls are
   not filtered.  Loading needs no_new_privs or CAP_SYS_ADMIN: without
   noNewPrivileges the process may have neither once its capabilities are
   set, so the filter is then loaded in step 2 before the user switch (as
   runc does), and the rest of the setup must get through the profile.  */
#ifndef MC_SECURITY_H
#define MC_SECURITY_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/error.h"
#include "runtime/lib/capabilities.h"
#include "runtime/lib/seccomp.h"
#include "spec/runtime-config.h"

typedef struct mc_security
{
  mc_caps_t caps;
  scmp_filter_ctx seccomp; /* NULL: no linux.seccomp */
  bool seccomp_notify;  /* some rule is SCMP_ACT_NOTIFY */
  bool seccomp_loaded;
  int listener_fd;      /* connected to listenerPath, or -1 */
  char *listener_message; /* what is sent with the listener fd */
} mc_security_t;

/* What the listener is told about the container (the "state" object of
   the message).  NULL members are sent as "" (init does not get the
   container id from mc_init_args_t yet).  */
typedef struct mc_security_ids
{
  const char *id;
  const char *bundle;
  const char *status; /* "creating" for init, "running" for exec */
  const spec_kv_t *annotations;
  size_t annotations_len;
} mc_security_ids_t;

/* Step 1 (see above).  `ids` may be NULL when no listener is configured.  */
int mc_security_prepare (const spec_runtime_config_t *config,
                         const spec_process_t *p,
                         const mc_security_ids_t *ids, mc_security_t *sec,
                         mc_error_t *err);

/* Step 2: user, capabilities, no_new_privs (and the early seccomp).  */
int mc_security_apply (mc_security_t *sec, const spec_process_t *p,
                       mc_error_t *err);

/* Step 3: load seccomp (unless step 2 did) and pass on the listener fd.  */
int mc_security_before_exec (mc_security_t *sec, mc_error_t *err);

void mc_security_release (mc_security_t *sec);

/* The exec path (a process joining a running container) uses the same
   three steps, with the container's config and the exec'd process:

     mc_protect_binary_for_join (argv, envp)   first thing in main()
     mc_security_prepare (...)                  before any setns
     setns into the namespaces, rlimits
     mc_security_apply (...)
     mc_process_enter_cwd, mc_process_find_executable
     close_range (3, ~0U, CLOSE_RANGE_CLOEXEC), signals reset
     mc_security_before_exec (...)
     execve

   mc_security_release frees what prepare made when the exec path fails
   before execve.  */

/* For the exec path only (minirun exec, before setns into a container):
   CVE-2019-5736.  Makes the process non-dumpable, and unless minirun
   already runs from a sealed memfd copy of itself, re-executes itself from
   one (with the same argv and envp), so that even a process that gets
   hold of /proc/PID/exe can only reach the sealed copy.  Returns 0 when
   running from the sealed copy; otherwise does not return unless it
   fails.  `run`, `create` and the other commands do not need the copy
   (it costs a copy of the binary per call): their init is made
   non-dumpable by mc_security_prepare, which is what keeps a process of a
   shared pid namespace from opening its /proc/PID/exe, and it execs the
   container's binary before anything else of the container runs.  */
int mc_protect_binary_for_join (char *const argv[], char *const envp[],
                                mc_error_t *err);

#endif
