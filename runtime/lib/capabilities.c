#include "runtime/lib/capabilities.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "common/cleanup.h"

#define CAP_PREFIX "CAP_"

int
mc_cap_from_name (const char *name)
{
  char lower[64];
  cap_value_t v;
  size_t n = strlen (name);

  /* libcap also takes bare numbers and "all": neither is a capability
     name of the runtime-spec.  */
  if (n <= strlen (CAP_PREFIX) || n >= sizeof (lower)
      || strncasecmp (name, CAP_PREFIX, strlen (CAP_PREFIX)) != 0)
    return -1;
  for (size_t i = 0; i <= n; i++)
    lower[i] = (char) tolower ((unsigned char) name[i]);
  if (cap_from_name (lower, &v) < 0 || v < 0 || v > 63)
    return -1;
  return (int) v;
}

int
mc_caps_last_cap (void)
{
  cleanup_file FILE *f = fopen ("/proc/sys/kernel/cap_last_cap", "re");
  int last;

  if (f && fscanf (f, "%d", &last) == 1 && last >= 0 && last < 64)
    return last;
  last = (int) cap_max_bits () - 1;
  return last < 63 ? last : 63;
}

static int
parse_set (char *const *names, size_t n, const char *set, int last_cap,
           uint64_t *mask, mc_error_t *err)
{
  *mask = 0;
  for (size_t i = 0; i < n; i++)
    {
      int cap = mc_cap_from_name (names[i]);

      /* runtime-spec (since v1.0.3, opencontainers/runtime-spec#1094):
         a value that cannot be mapped to a kernel capability or cannot be
         granted MUST be logged as a warning and SHOULD NOT fail the
         container; runc (#2854) and crun (#638) do that for unknown names
         and for capabilities the running kernel lacks.  So: a warning
         that names the set and the value, and the capability is left out
         (which only ever gives the process less).  */
      if (cap < 0)
        {
          mc_warning ("process.capabilities.%s: unknown capability `%s`: "
                      "ignored", set, names[i]);
          continue;
        }
      /* A real capability this kernel does not have: a config written for
         a newer kernel still runs, without it.  */
      if (cap > last_cap)
        {
          mc_warning ("process.capabilities.%s: `%s` is not supported by "
                      "the running kernel: ignored", set, names[i]);
          continue;
        }
      *mask |= UINT64_C (1) << cap;
    }
  return 0;
}

int
mc_caps_parse (const spec_capabilities_t *c, int last_cap, mc_caps_t *out,
               mc_error_t *err)
{
  memset (out, 0, sizeof (*out));
  out->last_cap = last_cap;
  /* No process.capabilities: the process gets none, rather than whatever
     minirun happened to run with.  */
  if (c == NULL)
    return 0;
  if (parse_set (c->bounding, c->bounding_len, "bounding", last_cap,
                 &out->bounding, err) < 0
      || parse_set (c->effective, c->effective_len, "effective", last_cap,
                    &out->effective, err) < 0
      || parse_set (c->inheritable, c->inheritable_len, "inheritable",
                    last_cap, &out->inheritable, err) < 0
      || parse_set (c->permitted, c->permitted_len, "permitted", last_cap,
                    &out->permitted, err) < 0
      || parse_set (c->ambient, c->ambient_len, "ambient", last_cap,
                    &out->ambient, err) < 0)
    return -1;
  return 0;
}

/* cap_to_name () allocates: copy into a buffer for messages.  */
static const char *
cap_name (int cap, char buf[64])
{
  char *n = cap_to_name (cap);

  snprintf (buf, 64, "%s", n ? n : "?");
  cap_free (n);
  for (char *p = buf; *p; p++)
    *p = (char) toupper ((unsigned char) *p);
  return buf;
}

static bool
has (uint64_t mask, int cap)
{
  return (mask >> cap) & 1;
}

int
mc_caps_before_user_switch (const mc_caps_t *caps, mc_error_t *err)
{
  char buf[64];

  /* setresuid from 0 to another uid would otherwise empty the permitted
     set before we could choose what stays in it.  */
  if (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return mc_error_make (err, errno, "prctl PR_SET_KEEPCAPS");
  for (int cap = 0; cap <= caps->last_cap; cap++)
    if (!has (caps->bounding, cap)
        && prctl (PR_CAPBSET_DROP, cap, 0, 0, 0) < 0
        /* Already gone (a nested runtime dropped it): nothing to do.  */
        && !(errno == EINVAL && prctl (PR_CAPBSET_READ, cap, 0, 0, 0) == 0))
      return mc_error_make (err, errno, "drop `%s` from the bounding set",
                            cap_name (cap, buf));
  return 0;
}

static int
set_flag (cap_t c, cap_flag_t flag, uint64_t mask, int last_cap)
{
  for (int cap = 0; cap <= last_cap; cap++)
    if (has (mask, cap))
      {
        cap_value_t v = cap;

        if (cap_set_flag (c, flag, 1, &v, CAP_SET) < 0)
          return -1;
      }
  return 0;
}

int
mc_caps_after_user_switch (const mc_caps_t *caps, uid_t uid, mc_error_t *err)
{
  cap_t c = cap_init (); /* every set empty */
  char buf[64];
  int r;

  if (c == NULL)
    return mc_error_make (err, errno, "cap_init");
  /* All three in one capset(2): inheritable is set (to empty, usually)
     whatever minirun inherited, so that nothing reaches the container's
     execve through it (CVE-2022-29162).  */
  r = set_flag (c, CAP_PERMITTED, caps->permitted, caps->last_cap);
  if (r == 0)
    r = set_flag (c, CAP_EFFECTIVE, caps->effective, caps->last_cap);
  if (r == 0)
    r = set_flag (c, CAP_INHERITABLE, caps->inheritable, caps->last_cap);
  if (r == 0)
    r = cap_set_proc (c);
  if (r < 0)
    {
      int saved_errno = errno;

      cap_free (c);
      /* EPERM: effective not in permitted, or inheritable beyond the
         bounding set.  */
      return mc_error_make (err, saved_errno, "set the permitted, effective "
                            "and inheritable capabilities");
    }
  cap_free (c);
  if (prctl (PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
    return mc_error_make (err, errno, "prctl PR_SET_KEEPCAPS 0");
  /* Ambient, too, starts from nothing whatever minirun inherited.  */
  if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0
      && errno != EINVAL) /* a kernel without ambient capabilities */
    return mc_error_make (err, errno, "clear the ambient capabilities");
  for (int cap = 0; cap <= caps->last_cap; cap++)
    {
      if (!has (caps->ambient, cap))
        continue;
      /* The kernel allows an ambient capability only when it is both
         permitted and inheritable.  Configs commonly list ambient caps
         without inheritable ones (minirun spec's own default does, now
         that inheritable is empty by default): skip those rather than
         fail.  For root the ambient set changes nothing at execve, so
         only a non-root process hears about it.  */
      if (!has (caps->permitted, cap) || !has (caps->inheritable, cap))
        {
          if (uid != 0)
            mc_warning ("process.capabilities.ambient: `%s` is not both "
                        "permitted and inheritable: not raised",
                        cap_name (cap, buf));
          continue;
        }
      if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
        return mc_error_make (err, errno, "raise ambient capability `%s`",
                              cap_name (cap, buf));
    }
  return 0;
}
