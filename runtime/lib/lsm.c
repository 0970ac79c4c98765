#include "runtime/lib/lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"

bool
mc_lsm_apparmor_enabled (void)
{
  cleanup_close int fd = open ("/sys/module/apparmor/parameters/enabled",
                               O_RDONLY | O_CLOEXEC);
  char c = 0;

  return fd >= 0 && read (fd, &c, 1) == 1 && c == 'Y';
}

bool
mc_lsm_selinux_enabled (void)
{
  /* selinuxfs is mounted exactly when SELinux is enabled (libselinux's
     own test, minus the mount-point search).  */
  return access ("/sys/fs/selinux/enforce", F_OK) == 0;
}

int
mc_lsm_check (const spec_process_t *p, const char *mount_label,
              mc_error_t *err)
{
  if (p->apparmor_profile && *p->apparmor_profile
      && !mc_lsm_apparmor_enabled ())
    return mc_error_make (err, 0, "process.apparmorProfile `%s`: AppArmor is "
                          "not enabled on this host", p->apparmor_profile);
  if (p->selinux_label && *p->selinux_label && !mc_lsm_selinux_enabled ())
    return mc_error_make (err, 0, "process.selinuxLabel `%s`: SELinux is not "
                          "enabled on this host", p->selinux_label);
  if (mount_label && *mount_label)
    {
      if (!mc_lsm_selinux_enabled ())
        return mc_error_make (err, 0, "linux.mountLabel `%s`: SELinux is not "
                              "enabled on this host", mount_label);
      /* Labelling mounts needs context= on every mount minirun makes,
         which is not done yet: refuse rather than run with unlabelled
         mounts.  */
      return mc_error_make (err, ENOTSUP, "linux.mountLabel `%s`",
                            mount_label);
    }
  return 0;
}

/* Write `value` to the first of `paths` that exists.  */
static int
write_attr (const char *const *paths, const char *value, const char *what,
            mc_error_t *err)
{
  for (size_t i = 0; paths[i]; i++)
    {
      cleanup_close int fd = open (paths[i], O_WRONLY | O_CLOEXEC);

      if (fd < 0 && errno == ENOENT && paths[i + 1])
        continue;
      if (fd < 0)
        return mc_error_make (err, errno, "%s: open `%s`", what, paths[i]);
      /* One write(2): the kernel takes the attribute from one buffer.  */
      if (write (fd, value, strlen (value)) != (ssize_t) strlen (value))
        return mc_error_make (err, errno, "%s: write `%s` to `%s`", what,
                              value, paths[i]);
      return 0;
    }
  return mc_error_make (err, ENOENT, "%s", what);
}

int
mc_lsm_set_exec_labels (const spec_process_t *p, mc_error_t *err)
{
  if (p->apparmor_profile && *p->apparmor_profile)
    {
      /* The per-module file first (stacked LSMs), the shared one before
         Linux 5.8.  "exec PROFILE" is aa_change_onexec()'s command.  */
      static const char *const paths[] = {
        "/proc/thread-self/attr/apparmor/exec",
        "/proc/thread-self/attr/exec",
        NULL,
      };
      cleanup_free char *cmd = xasprintf ("exec %s", p->apparmor_profile);

      if (write_attr (paths, cmd, "process.apparmorProfile", err) < 0)
        return -1;
    }
  if (p->selinux_label && *p->selinux_label)
    {
      static const char *const paths[] = { "/proc/thread-self/attr/exec",
                                           NULL };

      if (write_attr (paths, p->selinux_label, "process.selinuxLabel",
                      err) < 0)
        return -1;
    }
  return 0;
}
