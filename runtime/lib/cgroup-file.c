/* Reading and writing the files of a cgroup directory.  */
#include "runtime/lib/cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"

int
mc_cgroup_write (const char *dir, const char *file, const char *value,
                 mc_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  cleanup_close int fd = open (path, O_WRONLY | O_CLOEXEC);
  size_t len = strlen (value);
  ssize_t n;

  if (fd < 0)
    return mc_error_make (err, errno, "open `%s`", path);
  /* One write(2): the kernel parses each write as one value.  */
  do
    n = write (fd, value, len);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return mc_error_make (err, errno, "write `%s` to `%s`", value, path);
  return 0;
}

int
mc_cgroup_writef (const char *dir, const char *file, mc_error_t *err,
                  const char *fmt, ...)
{
  cleanup_free char *value = NULL;
  va_list ap;
  int r;

  va_start (ap, fmt);
  r = vasprintf (&value, fmt, ap);
  va_end (ap);
  if (r < 0)
    xoom ();
  return mc_cgroup_write (dir, file, value, err);
}

int
mc_cgroup_read (const char *dir, const char *file, char **out,
                mc_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return mc_error_make (err, errno, "open `%s`", path);
  /* Cgroup files have no size in stat: read to EOF.  */
  return mc_read_fd (fd, path, 1 << 20, out, NULL, err);
}

bool
mc_cgroup_has_file (const char *dir, const char *file)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);

  return access (path, F_OK) == 0;
}

static uint64_t
parse_u64 (const char *s)
{
  while (*s == ' ')
    s++;
  if (strncmp (s, "max", 3) == 0)
    return UINT64_MAX;
  return strtoull (s, NULL, 10);
}

uint64_t
mc_cgroup_read_key (const char *dir, const char *file, const char *key)
{
  cleanup_free char *text = NULL;
  mc_error_t ignored = NULL;
  size_t klen = strlen (key);

  if (mc_cgroup_read (dir, file, &text, &ignored) < 0)
    {
      mc_error_release (&ignored);
      return 0;
    }
  for (char *l = text; l; l = strchr (l, '\n') ? strchr (l, '\n') + 1 : NULL)
    if (strncmp (l, key, klen) == 0 && l[klen] == ' ')
      return parse_u64 (l + klen + 1);
  return 0;
}

uint64_t
mc_cgroup_read_u64 (const char *dir, const char *file)
{
  cleanup_free char *text = NULL;
  mc_error_t ignored = NULL;

  if (mc_cgroup_read (dir, file, &text, &ignored) < 0)
    {
      mc_error_release (&ignored);
      return 0;
    }
  return parse_u64 (text);
}

int
mc_cgroup_read_pids (const char *dir, pid_t **pids, size_t *len,
                     mc_error_t *err)
{
  cleanup_free char *text = NULL;
  char *save = NULL;

  *pids = NULL;
  *len = 0;
  if (mc_cgroup_read (dir, "cgroup.procs", &text, err) < 0)
    return -1;
  for (char *t = strtok_r (text, "\n", &save); t;
       t = strtok_r (NULL, "\n", &save))
    {
      *pids = xgrow (*pids, *len, sizeof (pid_t));
      (*pids)[(*len)++] = (pid_t) strtol (t, NULL, 10);
    }
  return 0;
}

int
mc_cgroup_rmdir (const char *dir, mc_error_t *err)
{
  /* A killed process leaves its cgroup a little after it is reaped (the
     kernel drops the css reference asynchronously): EBUSY for a moment.  */
  for (int i = 0; i < 500; i++)
    {
      struct timespec ts = { 0, 10 * 1000 * 1000 };

      if (rmdir (dir) == 0 || errno == ENOENT)
        return 0;
      if (errno != EBUSY)
        break;
      nanosleep (&ts, NULL);
    }
  return mc_error_make (err, errno, "rmdir `%s`", dir);
}

uint64_t
mc_cgroup_sum_files (const char *dir, const char *prefix, const char *suffix)
{
  cleanup_dir DIR *d = opendir (dir);
  size_t plen = strlen (prefix), slen = strlen (suffix);
  struct dirent *de;
  uint64_t sum = 0;

  if (d == NULL)
    return 0;
  while ((de = readdir (d)))
    {
      size_t len = strlen (de->d_name);

      /* hugetlb.SIZE.rsvd.*: reservations, not usage.  */
      if (strstr (de->d_name, ".rsvd."))
        continue;
      if (len > plen + slen && strncmp (de->d_name, prefix, plen) == 0
          && strcmp (de->d_name + len - slen, suffix) == 0)
        sum += mc_cgroup_read_u64 (dir, de->d_name);
    }
  return sum;
}
