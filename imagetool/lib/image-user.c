/* Resolve User from the image's /etc/passwd and /etc/group (see
   image-user.h).  */
#include "imagetool/lib/image-user.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"

/* Read /etc/NAME of the image; *out NULL when it does not exist.  */
static int
read_image_file (int rootfs_fd, const char *name, char **out, mc_error_t *err)
{
  struct open_how how = {
    .flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
  };
  cleanup_free char *path = xasprintf ("etc/%s", name);
  cleanup_close int fd = -1;
  struct stat st;
  size_t len;

  *out = NULL;
  /* O_PATH first: opening a FIFO or a device for reading can block or
     have side effects; only a regular file is then opened for real.  */
  how.flags = O_PATH | O_CLOEXEC;
  fd = (int) syscall (SYS_openat2, rootfs_fd, path, &how, sizeof how);
  if (fd < 0)
    {
      if (errno == ENOENT)
        {
          struct stat lst;
          /* A dangling symlink (its target is outside the image or
             missing): not the same as no file at all.  */
          if (fstatat (rootfs_fd, path, &lst, AT_SYMLINK_NOFOLLOW) == 0)
            return mc_error_make (err, 0,
                                  "the image's /etc/%s is a symlink to "
                                  "nothing inside the image",
                                  name);
          return 0;
        }
      if (errno == ENOSYS)
        return mc_error_make (err, errno, "open the image's /etc/%s: "
                              "openat2 (Linux 5.6) is needed", name);
      return mc_error_make (err, errno, "open the image's /etc/%s", name);
    }
  if (fstat (fd, &st) < 0)
    return mc_error_make (err, errno, "stat the image's /etc/%s", name);
  if (!S_ISREG (st.st_mode))
    return mc_error_make (err, 0, "the image's /etc/%s is not a regular file",
                          name);
  if ((uint64_t) st.st_size > MCIMG_IMAGE_USER_FILE_MAX)
    return mc_error_make (err, EFBIG, "the image's /etc/%s", name);
  {
    cleanup_free char *proc = xasprintf ("/proc/self/fd/%d", fd);
    cleanup_close int rfd = open (proc, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (rfd < 0)
      return mc_error_make (err, errno, "open the image's /etc/%s", name);
    return mc_read_fd (rfd, path, MCIMG_IMAGE_USER_FILE_MAX, out, &len, err);
  }
}

static bool
parse_id (const char *s, uint32_t *out)
{
  char *end;
  unsigned long v;

  if (*s < '0' || *s > '9')
    return false;
  errno = 0;
  v = strtoul (s, &end, 10);
  if (errno || *end || v > UINT32_MAX - 1)
    return false;
  *out = (uint32_t) v;
  return true;
}

/* Split a colon-separated line into at most `max` fields, in place.  */
static size_t
split_fields (char *line, char **f, size_t max)
{
  size_t n = 0;

  f[n++] = line;
  for (char *p = line; *p && n < max; p++)
    if (*p == ':')
      {
        *p = '\0';
        f[n++] = p + 1;
      }
  return n;
}

struct passwd_hit
{
  uint32_t uid, gid;
  char *name, *home;
};

/* The passwd entry whose name is `name`, or whose uid is `uid` when name
   is NULL.  */
static bool
passwd_find (char *text, const char *name, uint32_t uid,
             struct passwd_hit *hit)
{
  char *save = NULL;

  for (char *line = strtok_r (text, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save))
    {
      char *f[7];
      uint32_t u, g;
      if (split_fields (line, f, 7) < 7 || !parse_id (f[2], &u)
          || !parse_id (f[3], &g))
        continue;
      if (name ? strcmp (f[0], name) == 0 : u == uid)
        {
          hit->uid = u;
          hit->gid = g;
          hit->name = xstrdup (f[0]);
          hit->home = xstrdup (*f[5] ? f[5] : "/");
          return true;
        }
    }
  return false;
}

/* Resolve `group` (name or number) in the group file; collect in *user the
   gids of the groups that list `member` (when not NULL).  */
static int
group_scan (const char *text, const char *group, uint32_t *gid,
            const char *member, mcimg_image_user_t *user, mc_error_t *err)
{
  cleanup_free char *copy = xstrdup (text ? text : "");
  bool found = group == NULL || parse_id (group, gid);
  char *save = NULL;

  for (char *line = strtok_r (copy, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save))
    {
      char *f[4], *msave = NULL;
      uint32_t g;
      if (split_fields (line, f, 4) < 4 || !parse_id (f[2], &g))
        continue;
      if (!found && strcmp (f[0], group) == 0)
        {
          *gid = g;
          found = true;
        }
      if (member == NULL)
        continue;
      for (char *m = strtok_r (f[3], ",", &msave); m;
           m = strtok_r (NULL, ",", &msave))
        if (strcmp (m, member) == 0)
          {
            user->additional_gids
                = xgrow (user->additional_gids, user->additional_gids_len,
                         sizeof (uint32_t));
            user->additional_gids[user->additional_gids_len++] = g;
            break;
          }
    }
  if (!found)
    return mc_error_make (err, 0, "group `%s` not found in the image's "
                          "/etc/group", group);
  return 0;
}

int
mcimg_image_user_resolve (int rootfs_fd, const char *spec,
                          mcimg_image_user_t *out, mc_error_t *err)
{
  cleanup_free char *passwd = NULL, *group_text = NULL, *u = NULL;
  struct passwd_hit hit = { 0 };
  const char *group = NULL;
  bool by_id, found;
  uint32_t uid = 0;
  char *colon;
  int ret;

  memset (out, 0, sizeof (*out));
  if (spec == NULL || *spec == '\0')
    spec = "0";
  u = xstrdup (spec);
  colon = strchr (u, ':');
  if (colon)
    {
      *colon = '\0';
      group = colon + 1;
      if (*group == '\0' || *u == '\0')
        return mc_error_make (err, 0, "user `%s`: expected NAME[:GROUP] or "
                              "UID[:GID]", spec);
    }
  by_id = parse_id (u, &uid);
  if (read_image_file (rootfs_fd, "passwd", &passwd, err) < 0)
    return mc_error_prefix (err, "user `%s`", spec);
  found = passwd && passwd_find (passwd, by_id ? NULL : u, uid, &hit);
  if (!found && !by_id)
    return mc_error_make (err, 0, "user `%s`: no such user in the image's "
                          "/etc/passwd", u);
  out->uid = found ? hit.uid : uid;
  out->gid = found ? hit.gid : 0;
  out->home = found ? steal_ptr (&hit.home) : xstrdup ("/");
  if (read_image_file (rootfs_fd, "group", &group_text, err) < 0)
    {
      free (hit.name);
      mcimg_image_user_clear (out);
      return mc_error_prefix (err, "user `%s`", spec);
    }
  if (group && !parse_id (group, &out->gid) && group_text == NULL)
    ret = mc_error_make (err, 0, "group `%s`: the image has no /etc/group",
                         group);
  else
    ret = group_scan (group_text, group, &out->gid, found ? hit.name : NULL,
                      out, err);
  free (hit.name);
  if (ret < 0)
    {
      mcimg_image_user_clear (out);
      return mc_error_prefix (err, "user `%s`", spec);
    }
  return 0;
}

void
mcimg_image_user_clear (mcimg_image_user_t *user)
{
  free (user->additional_gids);
  free (user->home);
  memset (user, 0, sizeof (*user));
}
