/* The mounts of a bundle's config.json: docker's defaults, the
   per-bundle /etc/hostname, /etc/hosts and /etc/resolv.conf, and the
   user's --volume and --tmpfs.  */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/bundle-internal.h"

#define RESOLV_MAX (64u << 10)
#define N_OF(a) (sizeof (a) / sizeof ((a)[0]))
/* The options of mount m, as a vector.  */
#define OPTS(...) \
  mcimg_bundle_options_strv (&m->options_len, __VA_ARGS__, NULL)

void
mcimg_bundle_default_mounts (spec_runtime_config_t *c)
{
  spec_mount_t *m;

  m = mcimg_bundle_add_mount (c, "/proc", "proc", "proc");
  m->options = OPTS ("nosuid", "noexec", "nodev");
  m = mcimg_bundle_add_mount (c, "/dev", "tmpfs", "tmpfs");
  m->options = OPTS ("nosuid", "strictatime", "mode=755", "size=65536k");
  m = mcimg_bundle_add_mount (c, "/dev/pts", "devpts", "devpts");
  m->options = OPTS ("nosuid", "noexec", "newinstance", "ptmxmode=0666",
                     "mode=0620", "gid=5");
  m = mcimg_bundle_add_mount (c, "/sys", "sysfs", "sysfs");
  m->options = OPTS ("nosuid", "noexec", "nodev", "ro");
  m = mcimg_bundle_add_mount (c, "/sys/fs/cgroup", "cgroup", "cgroup");
  m->options = OPTS ("ro", "nosuid", "noexec", "nodev");
  m = mcimg_bundle_add_mount (c, "/dev/mqueue", "mqueue", "mqueue");
  m->options = OPTS ("nosuid", "noexec", "nodev");
  m = mcimg_bundle_add_mount (c, "/dev/shm", "tmpfs", "shm");
  m->options = OPTS ("nosuid", "noexec", "nodev", "mode=1777",
                     "size=65536k");
}

/* The host's resolv.conf minus loopback nameservers (a resolver on the
   host's 127.0.0.x is unreachable from a new network namespace).  */
static char *
resolv_conf (bool host_network)
{
  cleanup_free char *text = NULL;
  char *out = xstrdup (""), *save = NULL;
  mc_error_t err = NULL;
  size_t len;

  if (mc_read_file_at (AT_FDCWD, "/etc/resolv.conf", RESOLV_MAX, &text, &len,
                       &err) < 0)
    {
      mc_error_release (&err);
      return out;
    }
  for (char *line = strtok_r (text, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save))
    {
      char *next;
      const char *s = line + strspn (line, " \t");
      if (!host_network && strncmp (s, "nameserver", 10) == 0)
        {
          const char *addr = s + 10 + strspn (s + 10, " \t");
          if (strncmp (addr, "127.", 4) == 0 || strncmp (addr, "::1", 3) == 0)
            continue;
        }
      next = xasprintf ("%s%s\n", out, line);
      free (out);
      out = next;
    }
  return out;
}

static int
write_file (int dir_fd, const char *name, const char *text, mc_error_t *err)
{
  return mc_write_file_atomic_at (dir_fd, name, text, strlen (text), 0644, 0,
                                  err);
}

int
mcimg_bundle_files (spec_runtime_config_t *c, int dir_fd,
                    const mcimg_bundle_options_t *o, mc_error_t *err)
{
  static const char *const names[] = { "hostname", "hosts", "resolv.conf" };
  cleanup_free char *hostname = NULL, *hosts = NULL, *resolv = NULL;
  cleanup_free char *dir = NULL;
  char link[64];

  snprintf (link, sizeof link, "/proc/self/fd/%d", dir_fd);
  dir = realpath (link, NULL);
  if (dir == NULL)
    return mc_error_make (err, errno, "resolve the bundle directory");
  hostname = xasprintf ("%s\n", c->hostname);
  hosts = xasprintf ("127.0.0.1\tlocalhost\n"
                     "::1\tlocalhost ip6-localhost ip6-loopback\n"
                     "127.0.1.1\t%s\n",
                     c->hostname);
  resolv = resolv_conf (o->network && strcmp (o->network, "host") == 0);
  if (write_file (dir_fd, "hostname", hostname, err) < 0
      || write_file (dir_fd, "hosts", hosts, err) < 0
      || write_file (dir_fd, "resolv.conf", resolv, err) < 0
      || mcimg_bundle_userns_files (dir_fd, o, err) < 0)
    return -1;
  for (size_t i = 0; i < N_OF (names); i++)
    {
      cleanup_free char *src = xasprintf ("%s/%s", dir, names[i]);
      cleanup_free char *dst = xasprintf ("/etc/%s", names[i]);
      spec_mount_t *m = mcimg_bundle_add_mount (c, dst, "bind", src);
      m->options = OPTS ("rbind", "rprivate");
    }
  return 0;
}

int
mcimg_bundle_user_mounts (spec_runtime_config_t *c,
                          const mcimg_bundle_options_t *o, mc_error_t *err)
{
  for (size_t i = 0; i < o->volumes_len; i++)
    {
      cleanup_free char *v = xstrdup (o->volumes[i]);
      char *ctr = strchr (v, ':'), *mode = NULL;
      struct stat st;
      spec_mount_t *m;

      if (ctr)
        {
          *ctr++ = '\0';
          if ((mode = strchr (ctr, ':')))
            *mode++ = '\0';
        }
      if (ctr == NULL || v[0] != '/' || ctr[0] != '/'
          || (mode && strcmp (mode, "ro") != 0 && strcmp (mode, "rw") != 0))
        return mc_error_make (err, 0, "--volume `%s`: expected "
                              "/HOST:/CONTAINER[:ro]", o->volumes[i]);
      if (stat (v, &st) < 0)
        return mc_error_make (err, errno, "--volume `%s`", o->volumes[i]);
      m = mcimg_bundle_add_mount (c, ctr, "bind", v);
      m->options = mode && strcmp (mode, "ro") == 0
                       ? OPTS ("rbind", "rprivate", "ro")
                       : OPTS ("rbind", "rprivate");
    }
  for (size_t i = 0; i < o->tmpfs_len; i++)
    {
      spec_mount_t *m;
      if (o->tmpfs[i][0] != '/')
        return mc_error_make (err, 0, "--tmpfs `%s`: not an absolute path",
                              o->tmpfs[i]);
      m = mcimg_bundle_add_mount (c, o->tmpfs[i], "tmpfs", "tmpfs");
      m->options = OPTS ("nosuid", "nodev", "noexec", "mode=1777");
    }
  return 0;
}
