#include "runtime/lib/sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"

/* The IPC namespace's parameters, by exact name.  */
static const char *const ipc_keys[] = {
  "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
  "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
};

static bool
has_prefix (const char *s, const char *prefix)
{
  return strncmp (s, prefix, strlen (prefix)) == 0;
}

/* "net.ipv4.ip_forward" -> "net/ipv4/ip_forward"; a key already written
   with slashes (needed for names with dots, like a VLAN interface's) is
   kept.  */
static char *
key_to_path (const char *key)
{
  char *path = xstrdup (key);

  if (strchr (path, '/') == NULL)
    for (char *c = path; *c; c++)
      if (*c == '.')
        *c = '/';
  return path;
}

int
mc_sysctl_check (const char *key, unsigned long namespaces, mc_error_t *err)
{
  cleanup_free char *path = NULL;
  const char *needs = NULL;
  unsigned long flag = 0;
  char *save = NULL;

  if (*key == '\0' || *key == '/' || *key == '.')
    return mc_error_make (err, 0, "linux.sysctl `%s`: not a sysctl name", key);
  path = key_to_path (key);
  /* No component may climb out of /proc/sys.  */
  for (char *c = strtok_r (path, "/", &save); c; c = strtok_r (NULL, "/", &save))
    if (strcmp (c, "..") == 0 || strcmp (c, ".") == 0)
      return mc_error_make (err, 0, "linux.sysctl `%s`: not a sysctl name", key);

  for (size_t i = 0; i < sizeof (ipc_keys) / sizeof (ipc_keys[0]); i++)
    if (strcmp (key, ipc_keys[i]) == 0)
      flag = CLONE_NEWIPC, needs = "an IPC";
  if (has_prefix (key, "fs.mqueue.") || has_prefix (key, "fs/mqueue/"))
    flag = CLONE_NEWIPC, needs = "an IPC";
  else if (has_prefix (key, "net.") || has_prefix (key, "net/"))
    flag = CLONE_NEWNET, needs = "a network";
  else if (strcmp (key, "kernel.hostname") == 0
           || strcmp (key, "kernel.domainname") == 0)
    flag = CLONE_NEWUTS, needs = "a UTS";
  if (flag == 0)
    return mc_error_make (err, 0, "linux.sysctl `%s`: not a sysctl of a "
                          "namespace the container can have: it would change "
                          "the host", key);
  if (!(namespaces & flag))
    return mc_error_make (err, 0, "linux.sysctl `%s`: needs %s namespace in "
                          "linux.namespaces", key, needs);
  return 0;
}

int
mc_sysctl_apply (const spec_linux_t *linux_, unsigned long namespaces,
                 mc_error_t *err)
{
  cleanup_close int sys_fd = -1;

  if (linux_ == NULL || linux_->sysctl_len == 0)
    return 0;
  sys_fd = open ("/proc/sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (sys_fd < 0)
    return mc_error_make (err, errno, "open `/proc/sys`");
  for (size_t i = 0; i < linux_->sysctl_len; i++)
    {
      const spec_kv_t *kv = &linux_->sysctl[i];
      cleanup_free char *path = NULL;
      cleanup_close int fd = -1;

      if (mc_sysctl_check (kv->key, namespaces, err) < 0)
        return -1;
      path = key_to_path (kv->key);
      /* /proc/sys has no symlinks; O_NOFOLLOW keeps it that way.  */
      fd = openat (sys_fd, path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        return mc_error_make (err, errno, "linux.sysctl `%s`: open "
                              "`/proc/sys/%s`", kv->key, path);
      if (mc_write_all (fd, kv->value, strlen (kv->value)) < 0)
        return mc_error_make (err, errno, "linux.sysctl `%s`: write `%s`",
                              kv->key, kv->value);
    }
  return 0;
}
