/* linux.namespaces: which namespaces the init gets by clone, which it joins
   by path (setns), and the user namespace id maps.  */
#ifndef MC_NAMESPACES_H
#define MC_NAMESPACES_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/error.h"
#include "spec/runtime-config.h"

enum mc_ns_index
{
  /* Order of joining: user first, so that the others can be joined with
     the capabilities it grants; mount last, as it changes our root.  */
  MC_NS_USER,
  MC_NS_PID,
  MC_NS_IPC,
  MC_NS_UTS,
  MC_NS_NET,
  MC_NS_CGROUP,
  MC_NS_TIME,
  MC_NS_MOUNT,
  MC_NS_COUNT
};

typedef struct mc_namespaces
{
  /* New namespaces created by the clone of init.  */
  unsigned long clone_flags;
  /* New namespaces init creates itself with unshare() after the parent's GO:
     the cgroup namespace (so that it is rooted at the cgroup the parent puts
     init in), and everything but pid when a user namespace is joined by path
     (so they belong to that user namespace).  */
  unsigned long unshare_flags;
  /* Namespaces given by path, opened and type-checked by the parent: -1 when
     not joined.  The pid namespace is entered by the parent itself, around
     the clone, since setns(CLONE_NEWPID) only affects later children.  */
  int join_fds[MC_NS_COUNT];
  /* All namespaces of the kind (new or joined), as CLONE_NEW* flags.  */
  unsigned long all;
  /* linux.timeOffsets for a new time namespace (borrowed from the
     config).  Offsets can only be written while no process is in the
     namespace, so a new one is never made by the clone: init unshares it
     (which leaves init outside), writes them, then enters it.  */
  const spec_time_offset_t *time_offsets;
  size_t time_offsets_len;
} mc_namespaces_t;

/* Parse linux.namespaces: unknown or duplicated types, a path that is not a
   namespace of the stated type, a user namespace without id maps, and
   linux.timeOffsets without a new time namespace are errors.  Must be
   released with mc_namespaces_close.  */
int mc_namespaces_prepare (const spec_linux_t *linux_, mc_namespaces_t *ns,
                           mc_error_t *err);
void mc_namespaces_close (mc_namespaces_t *ns);

/* Parent, around the clone: make the next child start in the pid namespace
   given by path (if any); *saved is the fd to come back with.  */
int mc_namespaces_enter_pid (const mc_namespaces_t *ns, int *saved,
                             mc_error_t *err);
int mc_namespaces_leave_pid (int *saved, mc_error_t *err);

/* Whether a new pid namespace must be made from inside a user namespace
   joined by path (so that it belongs to it).  */
bool mc_namespaces_pid_needs_joined_user (const mc_namespaces_t *ns);
/* In a child of the parent, before init is cloned from it: join that user
   namespace and unshare the pid namespace; NS then says so (no user
   namespace left to join, no CLONE_NEWPID left to clone).  */
int mc_namespaces_enter_user_for_pid (mc_namespaces_t *ns, mc_error_t *err);

/* Parent: write /proc/PID/{uid,gid}_map for a new user namespace.  */
int mc_namespaces_write_id_maps (pid_t pid, const spec_linux_t *linux_,
                                 mc_error_t *err);

/* Init, after GO: join the namespaces given by path, unshare the deferred
   ones, become root of a user namespace, and enter a new time namespace
   with its offsets set.  */
int mc_namespaces_join (const mc_namespaces_t *ns, mc_error_t *err);

/* The CLONE_NEW* flag of an OCI type name ("network"), 0 if unknown.  */
unsigned long mc_namespace_flag (const char *type);

#endif
