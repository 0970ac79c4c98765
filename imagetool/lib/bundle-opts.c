/* Strict parsing of `mcimg bundle` option values: anything not fully
   understood is an error, never a silent zero.  */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/bundle.h"

#define ENV_FILE_MAX (1u << 20)

int
mcimg_parse_size (const char *s, int64_t *out, mc_error_t *err)
{
  const char *p = s;
  uint64_t v = 0, mult = 1;

  if (s == NULL || !isdigit ((unsigned char) *p))
    goto bad;
  for (; isdigit ((unsigned char) *p); p++)
    {
      if (v > (UINT64_MAX - 9) / 10)
        goto bad;
      v = v * 10 + (uint64_t) (*p - '0');
    }
  switch (tolower ((unsigned char) *p))
    {
    case '\0': break;
    case 'b': mult = 1; break;
    case 'k': mult = 1ull << 10; break;
    case 'm': mult = 1ull << 20; break;
    case 'g': mult = 1ull << 30; break;
    case 't': mult = 1ull << 40; break;
    default: goto bad;
    }
  if (*p)
    {
      p++;
      /* "256mb", "1kib" style suffixes are not accepted: one letter.  */
      if (*p)
        goto bad;
    }
  if (v == 0 || v > (uint64_t) INT64_MAX / mult)
    goto bad;
  *out = (int64_t) (v * mult);
  return 0;
bad:
  return mc_error_make (err, EINVAL, "invalid size `%s` (expected a positive "
                        "number with an optional unit b, k, m, g or t)",
                        s ? s : "");
}

int
mcimg_parse_cpus (const char *s, int64_t *quota, mc_error_t *err)
{
  const char *p = s;
  int64_t whole = 0, frac = 0;
  int digits = 0;

  if (s == NULL || !isdigit ((unsigned char) *p))
    goto bad;
  for (; isdigit ((unsigned char) *p); p++)
    {
      whole = whole * 10 + (*p - '0');
      if (whole > 1000000)
        goto bad;
    }
  if (*p == '.')
    for (p++; isdigit ((unsigned char) *p); p++, digits++)
      {
        if (digits == 5)
          goto bad;
        frac = frac * 10 + (*p - '0');
      }
  if (*p)
    goto bad;
  for (; digits < 5; digits++)
    frac *= 10;
  /* quota = cpus * period (100000 us): five decimals are exact.  */
  *quota = whole * 100000 + frac;
  if (*quota < 1000)
    goto bad;
  return 0;
bad:
  return mc_error_make (err, EINVAL, "invalid --cpus `%s` (expected a number "
                        "of CPUs, at least 0.01)",
                        s ? s : "");
}

int
mcimg_parse_positive (const char *what, const char *s, int64_t *out,
                      mc_error_t *err)
{
  char *end;
  long long v;

  if (s == NULL || !isdigit ((unsigned char) *s))
    goto bad;
  errno = 0;
  v = strtoll (s, &end, 10);
  if (errno || *end || v <= 0)
    goto bad;
  *out = v;
  return 0;
bad:
  return mc_error_make (err, EINVAL, "invalid %s `%s` (expected a positive "
                        "integer)",
                        what, s ? s : "");
}

static void
env_add (mcimg_bundle_options_t *opts, const char *kv)
{
  opts->env = xrealloc (opts->env, (opts->env_len + 2) * sizeof (char *));
  opts->env[opts->env_len++] = xstrdup (kv);
  opts->env[opts->env_len] = NULL;
}

int
mcimg_bundle_read_env_file (const char *path, mcimg_bundle_options_t *opts,
                            mc_error_t *err)
{
  cleanup_free char *text = NULL;
  char *save = NULL;
  size_t len, lineno = 0;

  if (mc_read_file_at (AT_FDCWD, path, ENV_FILE_MAX, &text, &len, err) < 0)
    return mc_error_prefix (err, "--env-file");
  if (strlen (text) != len)
    return mc_error_make (err, 0, "--env-file `%s`: contains a NUL byte",
                          path);
  for (char *line = strtok_r (text, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save))
    {
      size_t n = strlen (line);
      lineno++;
      if (n && line[n - 1] == '\r')
        line[--n] = '\0';
      while (*line == ' ' || *line == '\t')
        line++;
      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '=')
        return mc_error_make (err, 0, "--env-file `%s`: line %zu: no "
                              "variable name", path, lineno);
      if (strchr (line, '='))
        env_add (opts, line);
      else if (getenv (line))
        {
          cleanup_free char *kv = xasprintf ("%s=%s", line, getenv (line));
          env_add (opts, kv);
        }
    }
  return 0;
}

void
mcimg_bundle_options_clear (mcimg_bundle_options_t *opts)
{
  cleanup_strvp (&opts->env);
  free (opts->args);
  free (opts->volumes);
  free (opts->tmpfs);
  free (opts->cap_add);
  free (opts->cap_drop);
  free (opts->security_opts);
  memset (opts, 0, sizeof (*opts));
}
