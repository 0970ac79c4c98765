/* Where the container's group goes: the mode of the host and
   linux.cgroupsPath resolved as runc does.  */
#include "runtime/lib/cgroup.h"

#include <errno.h>
#include <linux/magic.h>
#include <stdint.h>
#include <string.h>
#include <sys/vfs.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "runtime/lib/state-dir.h"

int
mc_cgroup_detect_mode (mc_cgroup_mode_t *out, mc_error_t *err)
{
  struct statfs sfs;

  if (statfs (MC_CGROUP_ROOT, &sfs) < 0)
    return mc_error_make (err, errno, "statfs `%s`", MC_CGROUP_ROOT);
  if (sfs.f_type == CGROUP2_SUPER_MAGIC)
    *out = MC_CGROUP_V2;
  else if (sfs.f_type == TMPFS_MAGIC)
    *out = MC_CGROUP_V1;
  else
    return mc_error_make (err, 0, "`%s` is neither cgroup2 nor a tmpfs of "
                          "cgroup v1 hierarchies", MC_CGROUP_ROOT);
  return 0;
}

/* Append the components of `path` to `out` (which starts with "/"),
   dropping empty ones and ".", refusing "..".  */
static int
append_clean (char **out, const char *path, mc_error_t *err)
{
  cleanup_free char *copy = xstrdup (path);
  char *save = NULL;

  for (char *c = strtok_r (copy, "/", &save); c; c = strtok_r (NULL, "/", &save))
    {
      char *joined;

      if (strcmp (c, ".") == 0)
        continue;
      if (strcmp (c, "..") == 0)
        return mc_error_make (err, 0, "linux.cgroupsPath `%s`: `..` is not "
                              "allowed", path);
      joined = xasprintf ("%s%s%s", *out, strcmp (*out, "/") == 0 ? "" : "/", c);
      free (*out);
      *out = joined;
    }
  return 0;
}

char *
mc_cgroup_default_name (const char *state_root, const char *id)
{
  cleanup_free char *default_root = mc_state_root_default ();
  uint32_t hash = 2166136261u; /* FNV-1a: a stable tag, not a secret */

  if (state_root == NULL || strcmp (state_root, default_root) == 0)
    return xstrdup (id);
  for (const unsigned char *c = (const unsigned char *) state_root; *c; c++)
    hash = (hash ^ *c) * 16777619u;
  return xasprintf ("%s-%08x", id, hash);
}

int
mc_cgroup_resolve_path (const char *cgroups_path, const char *id,
                        const char *own, bool systemd, char **out,
                        mc_error_t *err)
{
  cleanup_free char *p = xstrdup ("/");
  bool colon = cgroups_path && strchr (cgroups_path, ':') != NULL;

  if (systemd)
    return mc_error_make (err, 0, "--systemd-cgroup: the systemd cgroup "
                          "driver names its own group");
  if (colon)
    return mc_error_make (err, 0, "linux.cgroupsPath `%s`: the "
                          "`slice:prefix:name` form needs --systemd-cgroup",
                          cgroups_path);
  if (cgroups_path == NULL || *cgroups_path == '\0')
    {
      if (append_clean (&p, "minirun", err) < 0
          || append_clean (&p, id, err) < 0)
        return -1;
    }
  else if (cgroups_path[0] == '/')
    {
      if (append_clean (&p, cgroups_path, err) < 0)
        return -1;
    }
  else
    {
      if (append_clean (&p, own ? own : "/", err) < 0
          || append_clean (&p, cgroups_path, err) < 0)
        return -1;
    }
  if (strcmp (p, "/") == 0)
    return mc_error_make (err, 0, "linux.cgroupsPath `%s`: the root cgroup "
                          "cannot be a container's", cgroups_path);
  *out = steal_ptr (&p);
  return 0;
}

int
mc_cgroup_own_path (const char *text, const char *controller, char **out,
                    mc_error_t *err)
{
  cleanup_free char *copy = xstrdup (text);
  char *save = NULL;

  for (char *line = strtok_r (copy, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save))
    {
      char *c1 = strchr (line, ':');
      char *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
      bool match = false;

      if (c2 == NULL)
        continue;
      *c1 = '\0';
      *c2 = '\0';
      if (*controller == '\0')
        match = strcmp (line, "0") == 0 && c1[1] == '\0';
      else
        {
          cleanup_free char *list = xstrdup (c1 + 1);
          char *s2 = NULL;

          for (char *c = strtok_r (list, ",", &s2); c && !match;
               c = strtok_r (NULL, ",", &s2))
            match = strcmp (c, controller) == 0;
        }
      if (match)
        {
          *out = xstrdup (c2 + 1);
          return 0;
        }
    }
  return mc_error_make (err, ENOENT, "no `%s` line in /proc/self/cgroup",
                        *controller ? controller : "cgroup2");
}
