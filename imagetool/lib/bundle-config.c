/* config.json of a bundle: the image config converted as the OCI
   image-spec (conversion.md) and docker do, with docker's defaults.  */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/bundle-internal.h"
#include "imagetool/lib/image-user.h"

#define DEFAULT_PATH \
  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define ANNOTATION_STOP_SIGNAL "org.opencontainers.image.stopSignal"
#define ANNOTATION_EXPOSED_PORTS "dev.mcimg.image.exposedPorts"
#define ANNOTATION_VOLUMES "dev.mcimg.image.volumes"

/* docker's default capability set (moby oci/caps/defaults.go).  */
static const char *const default_caps[] = {
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
  "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
};
/* Every capability, for --cap-add ALL (as of Linux 5.9).  */
static const char *const all_caps[] = {
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
  "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
  "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
  "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
};
#define N_OF(a) (sizeof (a) / sizeof ((a)[0]))

/* docker's maskedPaths and readonlyPaths (moby oci/defaults.go).  */
static const char *const masked_paths[] = {
  "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
  "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
  "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
  "/sys/devices/virtual/powercap",
};
static const char *const readonly_paths[] = {
  "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

/* ---- string vectors (NULL-terminated, with a length) ---- */

void
mcimg_bundle_strv_add (char ***v, size_t *n, const char *s)
{
  *v = xrealloc (*v, (*n + 2) * sizeof (**v));
  (*v)[(*n)++] = xstrdup (s);
  (*v)[*n] = NULL;
}

static void
strv_add_list (char ***v, size_t *n, const char *const *list, size_t len)
{
  for (size_t i = 0; i < len; i++)
    mcimg_bundle_strv_add (v, n, list[i]);
  if (*v == NULL)
    *v = xcalloc (1, sizeof (**v));
}

static ssize_t
strv_find (char **v, size_t n, const char *s)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp (v[i], s) == 0)
      return (ssize_t) i;
  return -1;
}

static void
strv_remove (char **v, size_t *n, size_t at)
{
  free (v[at]);
  memmove (v + at, v + at + 1, (*n - at) * sizeof (*v)); /* with the NULL */
  (*n)--;
}

char **
mcimg_bundle_options_strv (size_t *n, ...)
{
  char **v = NULL;
  va_list ap;

  *n = 0;
  va_start (ap, n);
  for (const char *s; (s = va_arg (ap, const char *));)
    mcimg_bundle_strv_add (&v, n, s);
  va_end (ap);
  return v;
}

spec_mount_t *
mcimg_bundle_add_mount (spec_runtime_config_t *c, const char *dest,
                        const char *type, const char *source)
{
  spec_mount_t *m;

  c->mounts = xgrow (c->mounts, c->mounts_len, sizeof (*c->mounts));
  m = &c->mounts[c->mounts_len++];
  memset (m, 0, sizeof (*m));
  m->destination = xstrdup (dest);
  m->type = xstrdup (type);
  m->source = xstrdup (source);
  return m;
}

static void
add_annotation (spec_runtime_config_t *c, const char *key, const char *value)
{
  for (size_t i = 0; i < c->annotations_len; i++)
    if (strcmp (c->annotations[i].key, key) == 0)
      {
        free (c->annotations[i].value);
        c->annotations[i].value = xstrdup (value);
        return;
      }
  c->annotations = xgrow (c->annotations, c->annotations_len,
                          sizeof (*c->annotations));
  c->annotations[c->annotations_len].key = xstrdup (key);
  c->annotations[c->annotations_len++].value = xstrdup (value);
}

/* ---- process ---- */

/* Set K=V in env, replacing an existing K.  */
static void
env_set (char ***env, size_t *n, const char *kv)
{
  size_t klen = strcspn (kv, "=");

  for (size_t i = 0; i < *n; i++)
    if (strncmp ((*env)[i], kv, klen) == 0
        && ((*env)[i][klen] == '=' || (*env)[i][klen] == '\0'))
      {
        free ((*env)[i]);
        (*env)[i] = xstrdup (kv);
        return;
      }
  mcimg_bundle_strv_add (env, n, kv);
}

static bool
env_has (char **env, size_t n, const char *key)
{
  size_t klen = strlen (key);

  for (size_t i = 0; i < n; i++)
    if (strncmp (env[i], key, klen) == 0 && env[i][klen] == '=')
      return true;
  return false;
}

/* A cwd through /proc/self/fd (or thread-self) would let the container
   start in a directory of the runtime (runc CVE-2024-21626).  */
static int
check_workdir (const char *cwd, mc_error_t *err)
{
  if (cwd[0] != '/')
    return mc_error_make (err, 0, "working directory `%s` is not absolute",
                          cwd);
  if (strstr (cwd, "/proc/self/fd") || strstr (cwd, "/proc/thread-self/fd")
      || (strstr (cwd, "/proc/") && strstr (cwd, "/fd")))
    return mc_error_make (err, 0, "working directory `%s` is under "
                          "/proc/*/fd: refused", cwd);
  return 0;
}

static char *
cap_name (const char *s)
{
  cleanup_free char *up = xstrdup (s);

  for (char *p = up; *p; p++)
    if (*p >= 'a' && *p <= 'z')
      *p = (char) (*p - 'a' + 'A');
  return strncmp (up, "CAP_", 4) == 0 ? steal_ptr (&up)
                                      : xasprintf ("CAP_%s", up);
}

static bool
cap_known (const char *name)
{
  for (size_t i = 0; i < N_OF (all_caps); i++)
    if (strcmp (all_caps[i], name) == 0)
      return true;
  return false;
}

static int
make_caps (const mcimg_bundle_options_t *o, spec_capabilities_t *caps,
           mc_error_t *err)
{
  char **v = NULL;
  size_t n = 0;

  strv_add_list (&v, &n, default_caps, N_OF (default_caps));
  for (size_t i = 0; i < o->cap_add_len; i++)
    {
      cleanup_free char *c = cap_name (o->cap_add[i]);
      if (strcmp (c, "CAP_ALL") == 0)
        {
          for (size_t j = 0; j < N_OF (all_caps); j++)
            if (strv_find (v, n, all_caps[j]) < 0)
              mcimg_bundle_strv_add (&v, &n, all_caps[j]);
          continue;
        }
      if (!cap_known (c))
        {
          cleanup_strvp (&v);
          return mc_error_make (err, 0, "--cap-add: unknown capability "
                                "`%s`", o->cap_add[i]);
        }
      if (strv_find (v, n, c) < 0)
        mcimg_bundle_strv_add (&v, &n, c);
    }
  for (size_t i = 0; i < o->cap_drop_len; i++)
    {
      cleanup_free char *c = cap_name (o->cap_drop[i]);
      ssize_t at;
      if (strcmp (c, "CAP_ALL") == 0)
        {
          while (n)
            strv_remove (v, &n, 0);
          continue;
        }
      if (!cap_known (c))
        {
          cleanup_strvp (&v);
          return mc_error_make (err, 0, "--cap-drop: unknown capability "
                                "`%s`", o->cap_drop[i]);
        }
      if ((at = strv_find (v, n, c)) >= 0)
        strv_remove (v, &n, (size_t) at);
    }
  caps->bounding = v;
  caps->bounding_len = n;
  caps->effective = NULL;
  caps->effective_len = 0;
  strv_add_list (&caps->effective, &caps->effective_len,
                 (const char *const *) v, n);
  strv_add_list (&caps->permitted, &caps->permitted_len,
                 (const char *const *) v, n);
  return 0;
}

/* docker's 1048576, unless we may not raise the hard limit that far
   (no CAP_SYS_RESOURCE, as in some sandboxes): then the runtime, running
   as we do, could not set it either and the container would not start,
   so the bundle gets our own hard limit.  */
static uint64_t
nofile_limit (void)
{
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2];
  struct rlimit rl;

  if (syscall (SYS_capget, &hdr, data) == 0
      && (data[CAP_SYS_RESOURCE / 32].effective
          & (1u << (CAP_SYS_RESOURCE % 32))))
    return 1048576;
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max != RLIM_INFINITY
      && rl.rlim_max < 1048576)
    return rl.rlim_max;
  return 1048576;
}

static int
make_process (spec_runtime_config_t *c, int rootfs_fd,
              const spec_image_exec_config_t *ic,
              const mcimg_bundle_options_t *o, mc_error_t *err)
{
  spec_process_t *p = xzalloc (sizeof (*p));
  mcimg_image_user_t user;
  const char *user_spec = o->user ? o->user : ic ? ic->user : NULL;
  const char *cwd = o->workdir ? o->workdir
                    : ic && ic->working_dir && *ic->working_dir
                        ? ic->working_dir
                        : "/";
  cleanup_free char *home = NULL;

  c->process = p;
  p->terminal = o->tty;
  if (o->args_len)
    strv_add_list (&p->args, &p->args_len, (const char *const *) o->args,
                   o->args_len);
  else if (ic)
    {
      strv_add_list (&p->args, &p->args_len,
                     (const char *const *) ic->entrypoint, ic->entrypoint_len);
      strv_add_list (&p->args, &p->args_len, (const char *const *) ic->cmd,
                     ic->cmd_len);
    }
  if (p->args_len == 0)
    return mc_error_make (err, 0, "the image has no Entrypoint or Cmd: give "
                          "the command after `--`");
  for (size_t i = 0; ic && i < ic->env_len; i++)
    env_set (&p->env, &p->env_len, ic->env[i]);
  for (size_t i = 0; i < o->env_len; i++)
    {
      if (strchr (o->env[i], '=') == NULL || o->env[i][0] == '=')
        return mc_error_make (err, 0, "environment `%s`: expected K=V",
                              o->env[i]);
      env_set (&p->env, &p->env_len, o->env[i]);
    }
  if (!env_has (p->env, p->env_len, "PATH"))
    env_set (&p->env, &p->env_len, DEFAULT_PATH);
  if (o->tty && !env_has (p->env, p->env_len, "TERM"))
    env_set (&p->env, &p->env_len, "TERM=xterm");
  if (check_workdir (cwd, err) < 0)
    return -1;
  p->cwd = xstrdup (cwd);

  if (mcimg_image_user_resolve (rootfs_fd, user_spec, &user, err) < 0)
    return -1;
  p->user.uid = user.uid;
  p->user.gid = user.gid;
  p->user.additional_gids = steal_ptr (&user.additional_gids);
  p->user.additional_gids_len = user.additional_gids_len;
  if (!env_has (p->env, p->env_len, "HOME"))
    {
      home = xasprintf ("HOME=%s", user.home);
      env_set (&p->env, &p->env_len, home);
    }
  mcimg_image_user_clear (&user);

  p->capabilities = xzalloc (sizeof (*p->capabilities));
  if (make_caps (o, p->capabilities, err) < 0)
    return -1;
  p->rlimits = xzalloc (sizeof (*p->rlimits));
  p->rlimits[0].type = xstrdup ("RLIMIT_NOFILE");
  p->rlimits[0].soft = p->rlimits[0].hard = nofile_limit ();
  p->rlimits_len = 1;
  return 0;
}

/* ---- linux ---- */

static void
make_linux (spec_runtime_config_t *c, const mcimg_bundle_options_t *o)
{
  static const char *const ns_types[] = { "pid", "network", "ipc", "uts",
                                          "mount", "cgroup" };
  bool host_net = o->network && strcmp (o->network, "host") == 0;
  spec_linux_t *l = xzalloc (sizeof (*l));
  spec_resources_t *r = xzalloc (sizeof (*r));

  c->linux_ = l;
  for (size_t i = 0; i < N_OF (ns_types); i++)
    {
      if (host_net && strcmp (ns_types[i], "network") == 0)
        continue;
      l->namespaces = xgrow (l->namespaces, l->namespaces_len,
                             sizeof (*l->namespaces));
      l->namespaces[l->namespaces_len].type = xstrdup (ns_types[i]);
      l->namespaces[l->namespaces_len++].path = NULL;
    }
  strv_add_list (&l->masked_paths, &l->masked_paths_len, masked_paths,
                 N_OF (masked_paths));
  strv_add_list (&l->readonly_paths, &l->readonly_paths_len, readonly_paths,
                 N_OF (readonly_paths));
  l->resources = r;
  r->devices = xzalloc (sizeof (*r->devices));
  r->devices[0].allow = false;
  r->devices[0].access = xstrdup ("rwm");
  r->devices_len = 1;
  if (o->memory)
    {
      r->memory = xzalloc (sizeof (*r->memory));
      r->memory->limit = o->memory;
      r->memory->has_limit = true;
    }
  if (o->cpu_quota)
    {
      r->cpu = xzalloc (sizeof (*r->cpu));
      r->cpu->quota = o->cpu_quota;
      r->cpu->has_quota = true;
      r->cpu->period = 100000;
      r->cpu->has_period = true;
    }
  if (o->pids_limit)
    {
      r->pids = xzalloc (sizeof (*r->pids));
      r->pids->limit = o->pids_limit;
      r->pids->has_limit = true;
    }
}

static char *
random_hostname (void)
{
  unsigned char b[3] = { 0 };

  if (getrandom (b, sizeof b, 0) != (ssize_t) sizeof b)
    b[0] = (unsigned char) getpid ();
  return xasprintf ("mini-%02x%02x%x", b[0], b[1], b[2] & 15);
}

static char *
join (char **v, size_t n)
{
  char *s = xstrdup ("");

  for (size_t i = 0; i < n; i++)
    {
      char *t = xasprintf ("%s%s%s", s, i ? "," : "", v[i]);
      free (s);
      s = t;
    }
  return s;
}

static void
image_annotations (spec_runtime_config_t *c,
                   const spec_image_exec_config_t *ic)
{
  if (ic == NULL)
    return;
  for (size_t i = 0; i < ic->labels_len; i++)
    add_annotation (c, ic->labels[i].key, ic->labels[i].value);
  if (ic->stop_signal)
    add_annotation (c, ANNOTATION_STOP_SIGNAL, ic->stop_signal);
  if (ic->exposed_ports_len)
    {
      cleanup_free char *s = join (ic->exposed_ports, ic->exposed_ports_len);
      add_annotation (c, ANNOTATION_EXPOSED_PORTS, s);
    }
  if (ic->volumes_len)
    {
      cleanup_free char *s = join (ic->volumes, ic->volumes_len);
      add_annotation (c, ANNOTATION_VOLUMES, s);
    }
}

int
mcimg_bundle_write_config (int dir_fd, int rootfs_fd,
                           const spec_image_config_t *image,
                           const mcimg_bundle_options_t *o, mc_error_t *err)
{
  cleanup_runtime_config spec_runtime_config_t *c = xzalloc (sizeof (*c));
  const spec_image_exec_config_t *ic = image->config;
  cleanup_free char *json = NULL;
  size_t len;

  if (o->network && strcmp (o->network, "none") != 0
      && strcmp (o->network, "host") != 0)
    return mc_error_make (err, 0, "--network `%s`: expected none or host",
                          o->network);
  c->oci_version = xstrdup (OCI_RUNTIME_SPEC_VERSION);
  c->root = xzalloc (sizeof (*c->root));
  c->root->path = xstrdup ("rootfs");
  c->root->readonly = o->read_only;
  c->hostname = o->hostname ? xstrdup (o->hostname) : random_hostname ();
  if (make_process (c, rootfs_fd, ic, o, err) < 0)
    return -1;
  mcimg_bundle_default_mounts (c);
  if (mcimg_bundle_files (c, dir_fd, o, err) < 0
      || mcimg_bundle_user_mounts (c, o, err) < 0)
    return -1;
  make_linux (c, o);
  mcimg_bundle_userns_config (c, o);
  if (mcimg_bundle_security (c, o, err) < 0)
    return -1;
  image_annotations (c, ic);
  if (spec_runtime_config_generate (c, true, &json, &len, err) < 0)
    return -1;
  /* Not fsync'ed: a bundle lost in a crash is made again, and waiting for
     the disk would double the cost of a bundle.  The store's record of it
     (bundle-record.c), which keeps prune off its layers, is durable.  */
  return mc_write_file_atomic_at (dir_fd, "config.json", json, len, 0600, 0,
                                  err);
}
