#include "runtime/lib/spec-default.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"

/* A NULL-terminated copy of the arguments, its length in *len.  */
static char **
strv (size_t *len, ...)
{
  char **v = NULL;
  size_t n = 0;
  va_list ap;

  va_start (ap, len);
  for (const char *s; (s = va_arg (ap, const char *));)
    {
      v = xrealloc (v, (n + 2) * sizeof (*v));
      v[n++] = xstrdup (s);
    }
  va_end (ap);
  if (v == NULL)
    v = xmalloc (sizeof (*v));
  v[n] = NULL;
  *len = n;
  return v;
}

static char **
strv_copy (char *const *src, size_t n)
{
  char **v = xcalloc (n + 1, sizeof (*v));

  for (size_t i = 0; i < n; i++)
    v[i] = xstrdup (src[i]);
  return v;
}

static void
add_mount (spec_runtime_config_t *c, const char *dest, const char *type,
           const char *source, char **options, size_t options_len)
{
  spec_mount_t *m;

  c->mounts = xrealloc (c->mounts, (c->mounts_len + 1) * sizeof (*c->mounts));
  m = &c->mounts[c->mounts_len++];
  memset (m, 0, sizeof (*m));
  m->destination = xstrdup (dest);
  m->type = xstrdup (type);
  m->source = xstrdup (source);
  m->options = options;
  m->options_len = options_len;
}

static spec_process_t *
default_process (void)
{
  spec_process_t *p = xzalloc (sizeof (*p));
  spec_capabilities_t *caps = xzalloc (sizeof (*caps));
  size_t n;

  p->terminal = true;
  p->args = strv (&p->args_len, "sh", NULL);
  p->env = strv (&p->env_len,
                 "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                 "TERM=xterm", NULL);
  p->cwd = xstrdup ("/");
  caps->bounding = strv (&n, "CAP_AUDIT_WRITE", "CAP_KILL",
                         "CAP_NET_BIND_SERVICE", NULL);
  caps->bounding_len = n;
  caps->effective = strv_copy (caps->bounding, n);
  caps->effective_len = n;
  caps->permitted = strv_copy (caps->bounding, n);
  caps->permitted_len = n;
  caps->ambient = strv_copy (caps->bounding, n);
  caps->ambient_len = n;
  p->capabilities = caps;
  p->rlimits = xzalloc (sizeof (*p->rlimits));
  p->rlimits[0].type = xstrdup ("RLIMIT_NOFILE");
  p->rlimits[0].soft = p->rlimits[0].hard = 1024;
  p->rlimits_len = 1;
  p->no_new_privileges = true;
  return p;
}

static spec_linux_t *
default_linux (void)
{
  static const char *const ns_types[] = { "pid", "network", "ipc", "uts",
                                          "mount", "cgroup" };
  spec_linux_t *l = xzalloc (sizeof (*l));
  size_t n = sizeof (ns_types) / sizeof (ns_types[0]);

  l->resources = xzalloc (sizeof (*l->resources));
  l->resources->devices = xzalloc (sizeof (*l->resources->devices));
  l->resources->devices[0].allow = false;
  l->resources->devices[0].access = xstrdup ("rwm");
  l->resources->devices_len = 1;
  l->namespaces = xcalloc (n, sizeof (*l->namespaces));
  for (size_t i = 0; i < n; i++)
    l->namespaces[i].type = xstrdup (ns_types[i]);
  l->namespaces_len = n;
  l->masked_paths = strv (&l->masked_paths_len, "/proc/acpi", "/proc/asound",
                          "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                          "/proc/timer_list", "/proc/timer_stats",
                          "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
                          NULL);
  l->readonly_paths = strv (&l->readonly_paths_len, "/proc/bus", "/proc/fs",
                            "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
                            NULL);
  return l;
}

spec_runtime_config_t *
mc_spec_default (void)
{
  spec_runtime_config_t *c = xzalloc (sizeof (*c));
  char **o;
  size_t n;

  c->oci_version = xstrdup (OCI_RUNTIME_SPEC_VERSION);
  c->process = default_process ();
  c->root = xzalloc (sizeof (*c->root));
  c->root->path = xstrdup ("rootfs");
  c->root->readonly = true;
  c->hostname = xstrdup ("minirun");

  add_mount (c, "/proc", "proc", "proc", NULL, 0);
  o = strv (&n, "nosuid", "strictatime", "mode=755", "size=65536k", NULL);
  add_mount (c, "/dev", "tmpfs", "tmpfs", o, n);
  o = strv (&n, "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620",
            "gid=5", NULL);
  add_mount (c, "/dev/pts", "devpts", "devpts", o, n);
  o = strv (&n, "nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL);
  add_mount (c, "/dev/shm", "tmpfs", "shm", o, n);
  o = strv (&n, "nosuid", "noexec", "nodev", NULL);
  add_mount (c, "/dev/mqueue", "mqueue", "mqueue", o, n);
  o = strv (&n, "nosuid", "noexec", "nodev", "ro", NULL);
  add_mount (c, "/sys", "sysfs", "sysfs", o, n);
  o = strv (&n, "nosuid", "noexec", "nodev", "relatime", "ro", NULL);
  add_mount (c, "/sys/fs/cgroup", "cgroup", "cgroup", o, n);

  c->linux_ = default_linux ();
  return c;
}

int
mc_spec_write_default (const char *bundle, mc_error_t *err)
{
  cleanup_free char *path = bundle ? xasprintf ("%s/config.json", bundle)
                                   : xstrdup ("config.json");
  cleanup_free char *json = NULL;
  cleanup_close int fd = -1;
  spec_runtime_config_t *config = mc_spec_default ();
  size_t len;
  int r;

  r = spec_runtime_config_generate (config, true, &json, &len, err);
  spec_runtime_config_free (config);
  if (r < 0)
    return -1;
  /* O_EXCL: never replace a config someone wrote, even in a race.  */
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST)
    return mc_error_make (err, 0, "File %s exists. Remove it first", path);
  if (fd < 0)
    return mc_error_make (err, errno, "create `%s`", path);
  /* End with exactly one newline, whatever the generator gives.  */
  while (len > 0 && json[len - 1] == '\n')
    len--;
  if (mc_write_all (fd, json, len) < 0 || mc_write_all (fd, "\n", 1) < 0)
    {
      int saved_errno = errno;
      unlink (path);
      return mc_error_make (err, saved_errno, "write `%s`", path);
    }
  return 0;
}
