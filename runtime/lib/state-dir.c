#include "runtime/lib/state-dir.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"

static const spec_field_t state_fields[] = {
  SPEC_FR (mc_state_t, oci_version, "ociVersion", SPEC_STRING, NULL),
  SPEC_FR (mc_state_t, id, "id", SPEC_STRING, NULL),
  SPEC_FR (mc_state_t, status, "status", SPEC_STRING, NULL),
  SPEC_F (mc_state_t, pid, "pid", SPEC_I32, NULL),
  SPEC_F (mc_state_t, pid_start_time, "pidStartTime", SPEC_U64, NULL),
  SPEC_FR (mc_state_t, bundle, "bundle", SPEC_STRING, NULL),
  SPEC_F (mc_state_t, rootfs, "rootfs", SPEC_STRING, NULL),
  SPEC_F (mc_state_t, created, "created", SPEC_STRING, NULL),
  SPEC_F (mc_state_t, owner, "owner", SPEC_U32, NULL),
  SPEC_FA (mc_state_t, annotations, "annotations", SPEC_KV, NULL),
  SPEC_FA (mc_state_t, cgroup_paths, "cgroupPaths", SPEC_STRV, NULL),
};
SPEC_TYPE (mc_state_type, mc_state_t, state_fields);

/* The document `state` and `list --format json` print, field for field
   as runc prints it: the runtime-spec state plus rootfs, created and
   owner.  pid is always there (0 once stopped).  */
typedef struct public_state
{
  char *oci_version;
  char *id;
  int32_t pid;
  char *status;
  char *bundle;
  char *rootfs;
  char *created;
  spec_kv_t *annotations;
  size_t annotations_len;
  char *owner;
} public_state_t;

static const spec_field_t public_state_fields[] = {
  SPEC_FR (public_state_t, oci_version, "ociVersion", SPEC_STRING, NULL),
  SPEC_FR (public_state_t, id, "id", SPEC_STRING, NULL),
  SPEC_FR (public_state_t, pid, "pid", SPEC_I32, NULL),
  SPEC_FR (public_state_t, status, "status", SPEC_STRING, NULL),
  SPEC_FR (public_state_t, bundle, "bundle", SPEC_STRING, NULL),
  SPEC_F (public_state_t, rootfs, "rootfs", SPEC_STRING, NULL),
  SPEC_F (public_state_t, created, "created", SPEC_STRING, NULL),
  SPEC_FA (public_state_t, annotations, "annotations", SPEC_KV, NULL),
  SPEC_FR (public_state_t, owner, "owner", SPEC_STRING, NULL),
};
static SPEC_TYPE (public_state_type, public_state_t, public_state_fields);

int
mc_state_generate_public (const mc_state_t *s, const char *owner,
                          bool pretty, char **json, mc_error_t *err)
{
  public_state_t doc = {
    .oci_version = s->oci_version,
    .id = s->id,
    .pid = s->pid,
    .status = s->status,
    .bundle = s->bundle,
    .rootfs = s->rootfs,
    .created = s->created,
    .annotations = s->annotations,
    .annotations_len = s->annotations_len,
    .owner = (char *) owner,
  };
  size_t len;

  return spec_generate (&public_state_type, &doc, pretty, json, &len, err);
}

char *
mc_state_owner_name (const mc_state_t *s)
{
  struct passwd pw, *found = NULL;
  char buf[4096];

  if (getpwuid_r (s->owner, &pw, buf, sizeof (buf), &found) == 0 && found)
    return xstrdup (found->pw_name);
  return xasprintf ("#%u", (unsigned) s->owner);
}

char *
mc_state_root_default (void)
{
  const char *xdg = getenv ("XDG_RUNTIME_DIR");

  if (xdg && *xdg)
    return xasprintf ("%s/minirun", xdg);
  return xstrdup ("/run/minirun");
}

static int
open_root (const char *root, mc_error_t *err)
{
  int fd;

  if (mc_mkdir_p (root, 0700, err) < 0)
    return mc_error_prefix (err, "state root");
  fd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return mc_error_make (err, errno, "open state root `%s`", root);
  return fd;
}

static mc_state_dir_t *
state_dir_new (int root_fd, const char *root, const char *id)
{
  mc_state_dir_t *d = xzalloc (sizeof (*d));

  d->root_fd = root_fd;
  d->dir_fd = -1;
  d->id = xstrdup (id);
  d->path = xasprintf ("%s/%s", root, id);
  return d;
}

int
mc_state_dir_lock (mc_state_dir_t *d, mc_error_t *err)
{
  struct stat st;

  if (d->locked)
    return 0;
  while (flock (d->dir_fd, LOCK_EX) < 0)
    if (errno != EINTR)
      return mc_error_make (err, errno, "lock `%s`", d->path);
  d->locked = true;
  /* Whoever held the lock before us may have deleted the container.  */
  if (fstat (d->dir_fd, &st) < 0)
    return mc_error_make (err, errno, "stat `%s`", d->path);
  if (st.st_nlink == 0)
    return mc_error_make (err, ENOENT, "container `%s` does not exist", d->id);
  return 0;
}

void
mc_state_dir_unlock (mc_state_dir_t *d)
{
  if (d->locked)
    flock (d->dir_fd, LOCK_UN);
  d->locked = false;
}

int
mc_state_dir_create (const char *root, const char *id, mc_state_dir_t **out,
                     mc_error_t *err)
{
  int root_fd = open_root (root, err);
  mc_state_dir_t *d;

  if (root_fd < 0)
    return root_fd;
  d = state_dir_new (root_fd, root, id);
  /* mkdir is the atomic claim on the ID.  */
  if (mkdirat (root_fd, id, 0700) < 0)
    {
      int saved_errno = errno;
      mc_state_dir_close (d);
      if (saved_errno == EEXIST)
        return mc_error_make (err, 0, "container ID already exists");
      return mc_error_make (err, saved_errno, "create state directory `%s/%s`",
                            root, id);
    }
  d->dir_fd = openat (root_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (d->dir_fd < 0 || mc_state_dir_lock (d, err) < 0)
    {
      if (d->dir_fd < 0)
        mc_error_make (err, errno, "open state directory `%s`", d->path);
      unlinkat (root_fd, id, AT_REMOVEDIR);
      mc_state_dir_close (d);
      return -1;
    }
  *out = d;
  return 0;
}

int
mc_state_dir_open (const char *root, const char *id, mc_state_dir_t **out,
                   mc_error_t *err)
{
  int root_fd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  mc_state_dir_t *d;

  if (root_fd < 0 && errno == ENOENT)
    return mc_error_make (err, ENOENT, "container `%s` does not exist", id);
  if (root_fd < 0)
    return mc_error_make (err, errno, "open state root `%s`", root);
  d = state_dir_new (root_fd, root, id);
  d->dir_fd = openat (root_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (d->dir_fd < 0)
    {
      int saved_errno = errno;
      mc_state_dir_close (d);
      if (saved_errno == ENOENT)
        return mc_error_make (err, ENOENT, "container `%s` does not exist", id);
      return mc_error_make (err, saved_errno, "open `%s/%s`", root, id);
    }
  if (mc_state_dir_lock (d, err) < 0)
    {
      mc_state_dir_close (d);
      return -1;
    }
  *out = d;
  return 0;
}

int
mc_state_write (mc_state_dir_t *d, const mc_state_t *state, mc_error_t *err)
{
  cleanup_free char *json = NULL;
  size_t len;

  if (spec_generate (&mc_state_type, state, false, &json, &len, err) < 0)
    return mc_error_prefix (err, "state of `%s`", d->id);
  /* Not fsync'd: the state describes processes, which do not survive a
     reboot either.  */
  if (mc_write_file_atomic_at (d->dir_fd, MC_STATE_FILE, json, len, 0600, 0,
                               err) < 0)
    return mc_error_prefix (err, "%s", d->path);
  return 0;
}

int
mc_state_read (mc_state_dir_t *d, mc_state_t **out, mc_error_t *err)
{
  cleanup_free char *json = NULL;
  cleanup_free char *what = xasprintf ("%s/%s", d->path, MC_STATE_FILE);
  size_t len;
  void *state;

  if (mc_read_file_at (d->dir_fd, MC_STATE_FILE, 1 << 20, &json, &len, err) < 0)
    return mc_error_prefix (err, "%s", d->path);
  if (spec_parse (&mc_state_type, json, len, what, &state, err) < 0)
    return -1;
  *out = state;
  return 0;
}

void
mc_state_free (mc_state_t *state)
{
  spec_free (&mc_state_type, state);
}

int
mc_state_dir_remove (mc_state_dir_t *d, mc_error_t *err)
{
  /* The fd keeps the lock on the (now unlinked) directory until close.  */
  if (mc_rm_rf_at (d->root_fd, d->id, err) < 0)
    return mc_error_prefix (err, "delete state of `%s`", d->id);
  return 0;
}

void
mc_state_dir_close (mc_state_dir_t *d)
{
  if (d == NULL)
    return;
  if (d->dir_fd >= 0)
    close (d->dir_fd);
  if (d->root_fd >= 0)
    close (d->root_fd);
  free (d->id);
  free (d->path);
  free (d);
}

int
mc_proc_start_time (pid_t pid, uint64_t *out, mc_error_t *err)
{
  cleanup_free char *path = xasprintf ("/proc/%d/stat", (int) pid);
  cleanup_free char *buf = NULL;
  unsigned long long start;
  const char *p;

  if (mc_read_file_at (AT_FDCWD, path, 4096, &buf, NULL, err) < 0)
    return -1;
  /* comm (field 2) may hold spaces and parentheses: skip to the last ')'. */
  p = strrchr (buf, ')');
  if (p == NULL
      || sscanf (p + 1,
                 " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d"
                 " %*d %*d %*d %*d %llu", &start) != 1)
    return mc_error_make (err, 0, "%s: cannot parse", path);
  *out = start;
  return 0;
}

bool
mc_proc_alive (pid_t pid, uint64_t start_time)
{
  cleanup_free char *path = NULL;
  cleanup_free char *buf = NULL;
  mc_error_t err = NULL;
  unsigned long long start;
  const char *p;
  char state;

  if (pid <= 0)
    return false;
  path = xasprintf ("/proc/%d/stat", (int) pid);
  if (mc_read_file_at (AT_FDCWD, path, 4096, &buf, NULL, &err) < 0)
    {
      mc_error_release (&err);
      return false;
    }
  p = strrchr (buf, ')');
  if (p == NULL
      || sscanf (p + 1,
                 " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d"
                 " %*d %*d %*d %*d %llu", &state, &start) != 2)
    return false;
  return start == start_time && state != 'Z' && state != 'X';
}

char *
mc_now_rfc3339 (void)
{
  struct timespec ts;
  long long days, secs, y, era, doe, yoe, doy, mp, d, m;

  clock_gettime (CLOCK_REALTIME, &ts);
  /* gmtime_r would load the time zone database for nothing: convert days
     since the epoch to a civil date directly (H. Hinnant's algorithm).  */
  days = ts.tv_sec / 86400;
  secs = ts.tv_sec % 86400;
  days += 719468;
  era = days / 146097;
  doe = days - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  return xasprintf ("%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%09ldZ", y, m, d,
                    secs / 3600, secs / 60 % 60, secs % 60, ts.tv_nsec);
}
