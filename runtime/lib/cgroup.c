/* The driver-independent part of the cgroup manager: where the group's
   directories are, making them, loading them back, removing them.  */
#include "runtime/lib/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"

static void
add_dir (mc_cgroup_t *cg, char *dir, char *controllers)
{
  cg->dirs = xrealloc (cg->dirs, (cg->dirs_len + 2) * sizeof (char *));
  cg->controllers = xrealloc (cg->controllers,
                              (cg->dirs_len + 2) * sizeof (char *));
  cg->existing_depth = xrealloc (cg->existing_depth,
                                 (cg->dirs_len + 1) * sizeof (size_t));
  cg->dirs[cg->dirs_len] = dir;
  cg->controllers[cg->dirs_len] = controllers;
  cg->existing_depth[cg->dirs_len] = SIZE_MAX;
  cg->dirs_len++;
  cg->dirs[cg->dirs_len] = NULL;
  cg->controllers[cg->dirs_len] = NULL;
}

void
mc_cgroup_free (mc_cgroup_t *cg)
{
  if (cg == NULL)
    return;
  for (size_t i = 0; i < cg->dirs_len; i++)
    {
      free (cg->dirs[i]);
      free (cg->controllers[i]);
    }
  free (cg->dirs);
  free (cg->controllers);
  free (cg->existing_depth);
  if (cg->saved)
    free (cg->saved[cg->dirs_len]);
  free (cg->saved);
  free (cg->unit);
  free (cg->unit_slice);
  free (cg->unit_path);
  free (cg);
}

/* The hierarchy selectors of a v1 mount's super options ("rw,cpu" ->
   "cpu"); "" for cgroup2.  */
static char *
hierarchy_controllers (const char *fstype, const char *superopts)
{
  cleanup_free char *copy = xstrdup (superopts);
  char *out = xzalloc (strlen (superopts) + 1);
  char *save = NULL;

  if (strcmp (fstype, "cgroup2") == 0)
    return out;
  for (char *o = strtok_r (copy, ",", &save); o; o = strtok_r (NULL, ",", &save))
    {
      if (strcmp (o, "rw") == 0 || strcmp (o, "ro") == 0
          || strcmp (o, "clone_children") == 0 || strcmp (o, "noprefix") == 0
          || strcmp (o, "xattr") == 0 || strncmp (o, "release_agent=", 14) == 0
          || strcmp (o, "cpuset_v2_mode") == 0)
        continue;
      if (*out)
        strcat (out, ",");
      strcat (out, o);
    }
  return out;
}

/* The first selector of a hierarchy, as /proc/self/cgroup names it.  */
static char *
first_controller (const char *controllers)
{
  const char *comma = strchr (controllers, ',');

  return comma ? xstrndup (controllers, (size_t) (comma - controllers))
               : xstrdup (controllers);
}

static int
add_group_dir (mc_cgroup_t *cg, const char *mnt, const char *controllers,
               const spec_linux_t *linux_, const char *id, bool systemd,
               const char *self_cgroup, mc_error_t *err)
{
  cleanup_free char *own = NULL;
  cleanup_free char *sel = first_controller (controllers);
  cleanup_free char *path = NULL;
  const char *cp = linux_ ? linux_->cgroups_path : NULL;

  /* The runtime's own group is needed only for a relative path.  */
  if (cp && *cp && *cp != '/'
      && mc_cgroup_own_path (self_cgroup, sel, &own, err) < 0)
    return -1;
  if (mc_cgroup_resolve_path (cp, id, own, systemd, &path, err) < 0)
    return -1;
  add_dir (cg, xasprintf ("%s%s", mnt, path), xstrdup (controllers));
  return 0;
}

int
mc_cgroup_for_each_hierarchy (mc_cgroup_hierarchy_fn fn, void *data,
                              mc_error_t *err)
{
  cleanup_file FILE *f = fopen ("/proc/self/mountinfo", "re");
  cleanup_free char *line = NULL;
  size_t cap = 0;

  if (f == NULL)
    return mc_error_make (err, errno, "open `/proc/self/mountinfo`");
  while (getline (&line, &cap, f) > 0)
    {
      char mnt[PATH_MAX], fstype[64], superopts[1024];
      const char *sep = strstr (line, " - ");
      const char *name;

      if (sep == NULL
          || sscanf (line, "%*s %*s %*s %*s %4095s", mnt) != 1
          || sscanf (sep + 3, "%63s %*s %1023s", fstype, superopts) != 2)
        continue;
      if (strcmp (fstype, "cgroup") != 0 && strcmp (fstype, "cgroup2") != 0)
        continue;
      if (strncmp (mnt, MC_CGROUP_ROOT "/", sizeof (MC_CGROUP_ROOT)) != 0)
        continue;
      name = mnt + sizeof (MC_CGROUP_ROOT);
      /* Only direct children with plain names (no escapes like \040).  */
      if (*name == '\0' || strchr (name, '/') || strchr (name, '\\'))
        continue;
      if (fn (mnt, name, fstype, superopts, data, err) < 0)
        return -1;
    }
  return 0;
}

struct v1_dirs_args
{
  mc_cgroup_t *cg;
  const spec_linux_t *linux_;
  const char *id;
  bool systemd;
  const char *self_cgroup;
};

static int
add_hierarchy_dir (const char *mnt, const char *name, const char *fstype,
                   const char *superopts, void *data, mc_error_t *err)
{
  struct v1_dirs_args *a = data;
  cleanup_free char *controllers = hierarchy_controllers (fstype, superopts);

  /* Mounted twice: keep the first.  */
  for (size_t i = 0; i < a->cg->dirs_len; i++)
    if (strcmp (a->cg->controllers[i], controllers) == 0)
      return 0;
  return add_group_dir (a->cg, mnt, controllers, a->linux_, a->id, a->systemd,
                        a->self_cgroup, err);
}

/* One directory per cgroup (v1) or cgroup2 (hybrid) mount directly below
   /sys/fs/cgroup.  */
static int
v1_dirs (mc_cgroup_t *cg, const spec_linux_t *linux_, const char *id,
         bool systemd, const char *self_cgroup, mc_error_t *err)
{
  struct v1_dirs_args a = { cg, linux_, id, systemd, self_cgroup };

  if (mc_cgroup_for_each_hierarchy (add_hierarchy_dir, &a, err) < 0)
    return -1;
  if (cg->dirs_len == 0)
    return mc_error_make (err, 0, "no cgroup hierarchy mounted below `%s`",
                          MC_CGROUP_ROOT);
  return 0;
}

int
mc_cgroup_mkdirs (mc_cgroup_t *cg, size_t i,
                  int (*made) (mc_cgroup_t *cg, size_t i, const char *dir,
                               mc_error_t *err),
                  mc_error_t *err)
{
  cleanup_free char *p = xstrdup (cg->dirs[i]);
  size_t depth = 0;
  int restarts = 0;

  for (char *s = p + 1; ; s++)
    {
      bool last = *s == '\0';

      if (*s != '/' && !last)
        continue;
      *s = '\0';
      depth++;
      if (mkdir (p, 0755) == 0)
        {
          if (cg->existing_depth[i] == SIZE_MAX)
            cg->existing_depth[i] = depth - 1;
          if (made && made (cg, i, p, err) < 0)
            return -1;
        }
      else if (errno == ENOENT && restarts++ < 5)
        {
          /* The deletion of another container removed the shared
             `minirun` parent just after we saw it: start again.  */
          strcpy (p, cg->dirs[i]);
          s = p;
          depth = 0;
          continue;
        }
      else if (errno != EEXIST)
        return mc_error_make (err, errno, "mkdir `%s`", p);
      if (last)
        break;
      *s = '/';
    }
  return 0;
}

/* Fill cg->dirs for the group of container ID.  */
static int
locate_dirs (mc_cgroup_t *cg, const spec_linux_t *linux_, const char *id,
             mc_error_t *err)
{
  cleanup_free char *self_cgroup = NULL;

  if (mc_read_file_at (AT_FDCWD, "/proc/self/cgroup", 1 << 20,
                       &self_cgroup, NULL, err) < 0)
    return -1;
  if (cg->mode == MC_CGROUP_V2)
    return add_group_dir (cg, MC_CGROUP_ROOT, "", linux_, id, false,
                          self_cgroup, err);
  return v1_dirs (cg, linux_, id, false, self_cgroup, err);
}

/* Fill cg->mode, ops and dirs for the group of container ID; with the
   systemd driver the dirs come only once the scope exists.  */
static int
locate (mc_cgroup_t *cg, const spec_linux_t *linux_, const char *id,
        bool systemd, mc_error_t *err)
{
  if (mc_cgroup_detect_mode (&cg->mode, err) < 0)
    return -1;
  if (systemd)
    {
      cg->ops = &mc_cgroup_systemd_ops;
      return mc_cgroup_systemd_parse (linux_ ? linux_->cgroups_path : NULL,
                                      id, &cg->unit_slice, &cg->unit,
                                      &cg->unit_path, err);
    }
  cg->ops = cg->mode == MC_CGROUP_V2 ? &mc_cgroup_v2_ops : &mc_cgroup_v1_ops;
  return locate_dirs (cg, linux_, id, err);
}

int
mc_cgroup_locate_path (mc_cgroup_t *cg, const char *path, mc_error_t *err)
{
  spec_linux_t at = { .cgroups_path = (char *) path };

  return locate_dirs (cg, &at, NULL, err);
}

static const spec_resources_t no_resources;
static int remove_dir (mc_cgroup_t *cg, size_t i, mc_error_t *err);

int
mc_cgroup_create (const spec_linux_t *linux_, const char *id, bool systemd,
                  mc_cgroup_t **out, mc_error_t *err)
{
  mc_cgroup_t *cg = xzalloc (sizeof (*cg));
  mc_error_t ignored = NULL;

  if (locate (cg, linux_, id, systemd, err) < 0)
    goto fail;
  cg->created = true;
  if (cg->ops->create (cg, err) < 0)
    goto fail_destroy;
  /* An existing group may be joined (as runc does), an occupied one not:
     delete would kill its processes.  */
  for (size_t i = 0; i < cg->dirs_len; i++)
    {
      cleanup_free pid_t *pids = NULL;
      size_t n = 0;

      if (mc_cgroup_read_pids (cg->dirs[i], &pids, &n, err) < 0)
        goto fail_destroy;
      if (n > 0)
        {
          mc_error_make (err, EBUSY, "`%s` already has processes",
                         cg->dirs[i]);
          /* Kill nothing: remove only the directories made here.  */
          for (size_t j = 0; j < cg->dirs_len; j++)
            if (cg->existing_depth[j] != SIZE_MAX)
              {
                mc_error_t rm_err = NULL;

                if (remove_dir (cg, j, &rm_err) < 0)
                  mc_error_release (&rm_err);
              }
          goto fail;
        }
    }
  /* Even without resources: the default device rules apply.  */
  if (cg->ops->apply (cg, linux_ && linux_->resources ? linux_->resources
                                                      : &no_resources,
                      false, err) < 0)
    goto fail_destroy;
  *out = cg;
  return 0;

fail_destroy:
  mc_cgroup_destroy (cg, &ignored);
  mc_error_release (&ignored);
fail:
  mc_cgroup_free (cg);
  return mc_error_prefix (err, systemd ? "systemd cgroup driver" : "cgroup");
}

int
mc_cgroup_enter (mc_cgroup_t *cg, pid_t pid, mc_error_t *err)
{
  if (cg->ops->enter (cg, pid, err) < 0)
    return cg->unit ? mc_error_prefix (err, "systemd cgroup driver")
                    : mc_error_prefix (err, "cgroup: place pid %d", (int) pid);
  return 0;
}

int
mc_cgroup_clone_fd (mc_cgroup_t *cg)
{
  if (cg->ops != &mc_cgroup_v2_ops && cg->ops != &mc_cgroup_v1_ops)
    return -1;
  for (size_t i = 0; i < cg->dirs_len; i++)
    if (cg->mode == MC_CGROUP_V2 || cg->controllers[i][0] == '\0')
      return open (cg->dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  return -1;
}

int
mc_cgroup_enter_init (mc_cgroup_t *cg, pid_t pid, bool cloned_into,
                      mc_error_t *err)
{
  if (cloned_into && cg->mode == MC_CGROUP_V2
      && cg->ops == &mc_cgroup_v2_ops)
    return 0;
  return mc_cgroup_enter (cg, pid, err);
}

int
mc_cgroup_update (mc_cgroup_t *cg, const spec_resources_t *r, mc_error_t *err)
{
  if (r && cg->ops->apply (cg, r, true, err) < 0)
    return mc_error_prefix (err, "cgroup: update");
  return 0;
}

int
mc_cgroup_freeze (mc_cgroup_t *cg, bool frozen, mc_error_t *err)
{
  if (cg->ops->freeze (cg, frozen, err) < 0)
    return mc_error_prefix (err, "cgroup: %s", frozen ? "freeze" : "thaw");
  return 0;
}

int
mc_cgroup_stats (mc_cgroup_t *cg, mc_cgroup_stats_t *st, mc_error_t *err)
{
  memset (st, 0, sizeof (*st));
  return cg->ops->stats (cg, st, err);
}

int
mc_cgroup_pids (mc_cgroup_t *cg, pid_t **pids, size_t *len, mc_error_t *err)
{
  if (cg->dirs_len == 0)
    {
      *pids = NULL;
      *len = 0;
      return 0;
    }
  return mc_cgroup_read_pids (cg->dirs[0], pids, len, err);
}

const char *
mc_cgroup_controller_dir (const mc_cgroup_t *cg, const char *controller)
{
  if (cg->mode == MC_CGROUP_V2)
    return cg->dirs_len ? cg->dirs[0] : NULL;
  for (size_t i = 0; i < cg->dirs_len; i++)
    {
      cleanup_free char *list = xstrdup (cg->controllers[i]);
      char *save = NULL;

      for (char *c = strtok_r (list, ",", &save); c;
           c = strtok_r (NULL, ",", &save))
        if (strcmp (c, controller) == 0)
          return cg->dirs[i];
    }
  return NULL;
}

char **
mc_cgroup_dirs (const mc_cgroup_t *cg)
{
  return cg->saved ? cg->saved : cg->dirs;
}

int
mc_cgroup_load (char **dirs, size_t dirs_len, mc_cgroup_t **out,
                mc_error_t *err)
{
  mc_cgroup_t *cg = xzalloc (sizeof (*cg));

  if (mc_cgroup_detect_mode (&cg->mode, err) < 0)
    {
      free (cg);
      return -1;
    }
  cg->ops = cg->mode == MC_CGROUP_V2 ? &mc_cgroup_v2_ops : &mc_cgroup_v1_ops;
  for (size_t i = 0; i < dirs_len; i++)
    {
      const char *rest;
      const char *slash;

      if (strncmp (dirs[i], MC_CGROUP_SYSTEMD_TAG,
                   sizeof (MC_CGROUP_SYSTEMD_TAG) - 1) == 0
          && cg->unit == NULL)
        {
          cg->unit = xstrdup (dirs[i] + sizeof (MC_CGROUP_SYSTEMD_TAG) - 1);
          cg->ops = &mc_cgroup_systemd_ops;
          continue;
        }

      if (strncmp (dirs[i], MC_CGROUP_ROOT "/", sizeof (MC_CGROUP_ROOT)) != 0
          || strstr (dirs[i], "/.."))
        {
          mc_cgroup_free (cg);
          return mc_error_make (err, 0, "state: bad cgroup path `%s`",
                                dirs[i]);
        }
      /* v1: the hierarchy is the first component below the root; its
         controllers are found again from the directory's own files.  */
      rest = dirs[i] + sizeof (MC_CGROUP_ROOT);
      slash = strchr (rest, '/');
      add_dir (cg, xstrdup (dirs[i]),
               cg->mode == MC_CGROUP_V2 || slash == NULL
                 ? xstrdup ("")
                 : xstrndup (rest, (size_t) (slash - rest)));
    }
  *out = cg;
  return 0;
}

/* Remove the directory and the parents create made (known only in the
   process that created it) or, for the default /minirun/ID, the shared
   `minirun` parent once it is empty.  */
static int
remove_dir (mc_cgroup_t *cg, size_t i, mc_error_t *err)
{
  cleanup_free char *p = xstrdup (cg->dirs[i]);
  size_t depth = 0;
  char *slash;

  if (mc_cgroup_rmdir (p, err) < 0)
    return -1;
  for (const char *s = p; *s; s++)
    depth += *s == '/';
  while ((slash = strrchr (p, '/')) && slash != p)
    {
      *slash = '\0';
      depth--;
      if (strcmp (p, MC_CGROUP_ROOT) == 0
          || strncmp (p, MC_CGROUP_ROOT "/", sizeof (MC_CGROUP_ROOT)) != 0)
        break;
      /* Parents made by another container are busy: fine, they go with
         the last one.  */
      if (cg->existing_depth[i] != SIZE_MAX && depth > cg->existing_depth[i])
        {
          if (rmdir (p) < 0)
            break;
          continue;
        }
      if (strcmp (strrchr (p, '/') + 1, "minirun") == 0)
        rmdir (p);
      break;
    }
  return 0;
}

int
mc_cgroup_destroy (mc_cgroup_t *cg, mc_error_t *err)
{
  struct timespec ts = { 0, 10 * 1000 * 1000 };
  int ret = 0;

  if (cg == NULL)
    return 0;
  if (cg->dirs_len > 0 && access (cg->dirs[0], F_OK) == 0)
    {
      /* Kill until nothing is left: a process may fork while we kill.  */
      for (int tries = 0; tries < 500; tries++)
        {
          cleanup_free pid_t *pids = NULL;
          size_t n = 0;
          mc_error_t e = NULL;

          if (mc_cgroup_read_pids (cg->dirs[0], &pids, &n, &e) < 0)
            {
              mc_error_release (&e);
              break;
            }
          if (n == 0)
            break;
          if (cg->ops->kill_all (cg, err) < 0)
            return mc_error_prefix (err, "cgroup: kill");
          nanosleep (&ts, NULL);
        }
    }
  /* The scope goes by itself once empty; stopping it makes sure.  */
  if (cg->unit && (cg->unit_started || !cg->created)
      && mc_cgroup_systemd_stop (cg->unit, err) < 0)
    return mc_error_prefix (err, "systemd cgroup driver");
  for (size_t i = cg->dirs_len; i-- > 0;)
    {
      mc_error_t e = NULL;

      if (remove_dir (cg, i, &e) < 0)
        {
          if (ret == 0)
            {
              *err = e;
              ret = mc_error_prefix (err, "cgroup");
            }
          else
            mc_error_release (&e);
        }
    }
  return ret;
}

int
mc_cgroup_destroy_saved (char **dirs, size_t dirs_len, mc_error_t *err)
{
  mc_cgroup_t *cg = NULL;
  int ret;

  if (dirs == NULL || dirs_len == 0)
    return 0;
  if (mc_cgroup_load (dirs, dirs_len, &cg, err) < 0)
    return -1;
  ret = mc_cgroup_destroy (cg, err);
  mc_cgroup_free (cg);
  return ret;
}

int
mc_cgroup_destroy_default (const char *id, mc_error_t *err)
{
  mc_cgroup_t *cg = xzalloc (sizeof (*cg));
  int ret = locate (cg, NULL, id, false, err);

  if (ret == 0)
    ret = mc_cgroup_destroy (cg, err);
  mc_cgroup_free (cg);
  return ret;
}
