#include "runtime/lib/security.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "runtime/lib/lsm.h"
#include "runtime/lib/process.h"
#include "runtime/lib/seccomp-notify.h"
#include "spec/state.h"

/* Our pid as the host sees it: /proc/self of the procfs we see, which is
   still the host's before pivot_root (the listener wants the pid in its
   own namespace, not 1).  */
static pid_t
host_pid (void)
{
  char buf[32];
  ssize_t n = readlink ("/proc/self", buf, sizeof (buf) - 1);

  if (n <= 0)
    return getpid ();
  buf[n] = '\0';
  return (pid_t) atoi (buf);
}

static int
prepare_listener (const spec_seccomp_t *s, const mc_security_ids_t *ids,
                  mc_security_t *sec, mc_error_t *err)
{
  spec_state_t state = {
    .oci_version = (char *) OCI_RUNTIME_SPEC_VERSION,
    .id = (char *) (ids && ids->id ? ids->id : ""),
    .status = (char *) (ids && ids->status ? ids->status : "creating"),
    .bundle = (char *) (ids && ids->bundle ? ids->bundle : ""),
    .annotations = ids ? (spec_kv_t *) ids->annotations : NULL,
    .annotations_len = ids ? ids->annotations_len : 0,
  };

  state.pid = host_pid ();
  state.has_pid = true;
  if (mc_seccomp_notify_message (&state, state.pid, s->listener_metadata,
                                 &sec->listener_message, err) < 0)
    return -1;
  sec->listener_fd = mc_seccomp_notify_connect (s->listener_path, err);
  return sec->listener_fd < 0 ? -1 : 0;
}

int
mc_security_prepare (const spec_runtime_config_t *config,
                     const spec_process_t *p, const mc_security_ids_t *ids,
                     mc_security_t *sec, mc_error_t *err)
{
  const spec_linux_t *l = config->linux_;

  memset (sec, 0, sizeof (*sec));
  sec->listener_fd = -1;
  /* CVE-2019-5736: until it execs, this process runs minirun's binary;
     a non-dumpable process's /proc/PID/exe (and mem, fd/...) cannot be
     opened by a process of the container without CAP_SYS_PTRACE, even
     one with the same uid.  execve makes the container process dumpable
     again.  */
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
    return mc_error_make (err, errno, "prctl PR_SET_DUMPABLE");
  if (mc_caps_parse (p->capabilities, mc_caps_last_cap (), &sec->caps,
                     err) < 0)
    return -1;
  if (mc_lsm_check (p, l ? l->mount_label : NULL, err) < 0
      || mc_lsm_set_exec_labels (p, err) < 0)
    return -1;
  if (l && l->seccomp)
    {
      if (mc_seccomp_build (l->seccomp, &sec->seccomp, &sec->seccomp_notify,
                            err) < 0)
        return -1;
      if (sec->seccomp_notify && prepare_listener (l->seccomp, ids, sec,
                                                   err) < 0)
        return -1;
    }
  return 0;
}

static int
load_seccomp (mc_security_t *sec, mc_error_t *err)
{
  cleanup_close int notify_fd = -1;

  if (sec->seccomp == NULL || sec->seccomp_loaded)
    return 0;
  if (mc_seccomp_load (sec->seccomp, sec->seccomp_notify, &notify_fd, err) < 0)
    return -1;
  sec->seccomp_loaded = true;
  if (notify_fd < 0)
    return 0;
  /* The process that loaded the filter is the only one that gets the fd:
     it must go out before execve (the fd is CLOEXEC).  */
  if (mc_seccomp_notify_send (sec->listener_fd, sec->listener_message,
                              notify_fd, err) < 0)
    return -1;
  close (sec->listener_fd);
  sec->listener_fd = -1;
  return 0;
}

int
mc_security_apply (mc_security_t *sec, const spec_process_t *p,
                   mc_error_t *err)
{
  if (mc_caps_before_user_switch (&sec->caps, err) < 0)
    return -1;
  /* Without no_new_privs, loading needs CAP_SYS_ADMIN, which the process
     still has only now.  */
  if (!p->no_new_privileges && load_seccomp (sec, err) < 0)
    return -1;
  if (mc_process_set_user (p, err) < 0)
    return -1;
  if (mc_caps_after_user_switch (&sec->caps, (uid_t) p->user.uid, err) < 0)
    return -1;
  /* The uid change reset it to the suid_dumpable default: keep the
     container's processes away from our /proc/PID until execve.  */
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
    return mc_error_make (err, errno, "prctl PR_SET_DUMPABLE");
  /* After the capabilities (capset is not affected by it, but nothing
     needs it earlier) and before seccomp, whose loading it allows.  */
  if (p->no_new_privileges && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return mc_error_make (err, errno, "prctl PR_SET_NO_NEW_PRIVS");
  return 0;
}

int
mc_security_before_exec (mc_security_t *sec, mc_error_t *err)
{
  return load_seccomp (sec, err);
}

void
mc_security_release (mc_security_t *sec)
{
  if (sec->seccomp)
    seccomp_release (sec->seccomp);
  sec->seccomp = NULL;
  if (sec->listener_fd >= 0)
    close (sec->listener_fd);
  sec->listener_fd = -1;
  free (sec->listener_message);
  sec->listener_message = NULL;
}

/* Whether /proc/self/exe is a memfd sealed against writes.  */
static bool
running_from_sealed_copy (void)
{
  cleanup_close int fd = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  int seals;

  if (fd < 0)
    return false;
  seals = fcntl (fd, F_GET_SEALS);
  return seals >= 0 && (seals & F_SEAL_WRITE) && (seals & F_SEAL_SEAL);
}

int
mc_protect_binary_for_join (char *const argv[], char *const envp[],
                            mc_error_t *err)
{
  cleanup_close int exe = -1;
  cleanup_close int copy = -1;
  struct stat st;

  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
    return mc_error_make (err, errno, "prctl PR_SET_DUMPABLE");
  if (running_from_sealed_copy ())
    return 0;
  exe = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (exe < 0)
    return mc_error_make (err, errno, "open /proc/self/exe");
  if (fstat (exe, &st) < 0)
    return mc_error_make (err, errno, "stat /proc/self/exe");
  /* CLOEXEC is fine for an ELF binary (only a script needs its fd after
     the exec) and keeps the copy's fd out of the new image.  */
  copy = memfd_create ("minirun", MFD_ALLOW_SEALING | MFD_CLOEXEC);
  if (copy < 0)
    return mc_error_make (err, errno, "memfd_create");
  for (off_t off = 0; off < st.st_size;)
    {
      ssize_t n = sendfile (copy, exe, &off, (size_t) (st.st_size - off));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return mc_error_make (err, n < 0 ? errno : EIO,
                              "copy minirun into a memfd");
    }
  /* Sealed: not even the holder of a writable fd can change it.  */
  if (fcntl (copy, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE
                                | F_SEAL_SEAL) < 0)
    return mc_error_make (err, errno, "seal the minirun memfd");
  fexecve (copy, argv, envp);
  return mc_error_make (err, errno, "re-exec minirun from a sealed memfd");
}
