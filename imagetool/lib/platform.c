/* Platform parsing, normalisation and containerd-compatible choice.  */
#include "imagetool/lib/platform.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "common/cleanup.h"
#include "common/xalloc.h"

/* The longest fallback list: amd64/v4..v1 + 386, or arm64 + arm/v8..v5.  */
#define MAX_VECTOR 8

void
mcimg_platform_clear (mcimg_platform_t *p)
{
  free (p->os);
  free (p->architecture);
  free (p->variant);
  p->os = p->architecture = p->variant = NULL;
}

static void
set_field (char **field, const char *value)
{
  free (*field);
  *field = (value && *value) ? xstrdup (value) : NULL;
}

static bool
streq (const char *a, const char *b)
{
  return strcmp (a ? a : "", b ? b : "") == 0;
}

static void
lowercase (char *s)
{
  for (; s && *s; s++)
    if (*s >= 'A' && *s <= 'Z')
      *s += 'a' - 'A';
}

void
mcimg_platform_normalize (mcimg_platform_t *p)
{
  const char *arch, *v;

  lowercase (p->os);
  lowercase (p->architecture);
  lowercase (p->variant);
  if (p->os && strcmp (p->os, "macos") == 0)
    set_field (&p->os, "darwin");
  arch = p->architecture ? p->architecture : "";
  v = p->variant ? p->variant : "";
  if (strcmp (arch, "i386") == 0)
    {
      set_field (&p->architecture, "386");
      set_field (&p->variant, NULL);
    }
  else if (strcmp (arch, "x86_64") == 0 || strcmp (arch, "x86-64") == 0
           || strcmp (arch, "amd64") == 0)
    {
      set_field (&p->architecture, "amd64");
      if (strcmp (v, "v1") == 0)
        set_field (&p->variant, NULL);
    }
  else if (strcmp (arch, "aarch64") == 0 || strcmp (arch, "arm64") == 0)
    {
      set_field (&p->architecture, "arm64");
      if (strcmp (v, "8") == 0 || strcmp (v, "v8") == 0
          || strcmp (v, "v8.0") == 0)
        set_field (&p->variant, NULL);
      else if (strcmp (v, "9") == 0 || strcmp (v, "9.0") == 0
               || strcmp (v, "v9.0") == 0)
        set_field (&p->variant, "v9");
    }
  else if (strcmp (arch, "armhf") == 0)
    {
      set_field (&p->architecture, "arm");
      set_field (&p->variant, "v7");
    }
  else if (strcmp (arch, "armel") == 0)
    {
      set_field (&p->architecture, "arm");
      set_field (&p->variant, "v6");
    }
  else if (strcmp (arch, "arm") == 0)
    {
      if (*v == '\0' || strcmp (v, "7") == 0)
        set_field (&p->variant, "v7");
      else if (strcmp (v, "5") == 0 || strcmp (v, "6") == 0
               || strcmp (v, "8") == 0)
        {
          char buf[3] = { 'v', v[0], '\0' };
          set_field (&p->variant, buf);
        }
    }
}

int
mcimg_platform_parse (const char *s, mcimg_platform_t *out, mc_error_t *err)
{
  cleanup_free char *copy = xstrdup (s);
  char *parts[3] = { NULL, NULL, NULL };
  size_t n = 0;
  char *p = copy;

  for (;;)
    {
      char *slash = strchr (p, '/');
      if (n == 3)
        return mc_error_make (err, 0,
                              "invalid platform `%s`: expected "
                              "OS/ARCH[/VARIANT]", s);
      parts[n++] = p;
      if (slash == NULL)
        break;
      *slash = '\0';
      p = slash + 1;
    }
  for (size_t i = 0; i < n; i++)
    if (*parts[i] == '\0' || strspn (parts[i], "abcdefghijklmnopqrstuvwxyz"
                                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                               "0123456789_.-")
                                 != strlen (parts[i]))
      return mc_error_make (err, 0,
                            "invalid platform `%s`: expected OS/ARCH[/VARIANT]",
                            s);
  memset (out, 0, sizeof (*out));
  if (n == 1)
    {
      /* "arm64" alone: an architecture on this OS, as containerd does.  */
      out->os = xstrdup ("linux");
      out->architecture = xstrdup (parts[0]);
    }
  else
    {
      out->os = xstrdup (parts[0]);
      out->architecture = xstrdup (parts[1]);
      out->variant = n == 3 ? xstrdup (parts[2]) : NULL;
    }
  mcimg_platform_normalize (out);
  return 0;
}

int
mcimg_platform_from_machine (const char *m, mcimg_platform_t *out,
                             mc_error_t *err)
{
  static const struct
  {
    const char *machine, *arch, *variant;
    bool prefix;
  } table[] = {
    { "x86_64", "amd64", NULL, false },
    { "amd64", "amd64", NULL, false },
    { "aarch64", "arm64", NULL, false },
    { "arm64", "arm64", NULL, false },
    { "armv8", "arm", "v8", true },
    { "armv7", "arm", "v7", true },
    { "armv6", "arm", "v6", true },
    { "armv5", "arm", "v5", true },
    { "i386", "386", NULL, false },
    { "i486", "386", NULL, false },
    { "i586", "386", NULL, false },
    { "i686", "386", NULL, false },
    { "ppc64le", "ppc64le", NULL, false },
    { "ppc64", "ppc64", NULL, false },
    { "s390x", "s390x", NULL, false },
    { "riscv64", "riscv64", NULL, false },
    { "mips64el", "mips64le", NULL, false },
    { "mips64", "mips64", NULL, false },
    { "loongarch64", "loong64", NULL, false },
  };

  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (table[i].prefix ? strncmp (m, table[i].machine,
                                   strlen (table[i].machine)) == 0
                        : strcmp (m, table[i].machine) == 0)
      {
        out->os = xstrdup ("linux");
        out->architecture = xstrdup (table[i].arch);
        out->variant = table[i].variant ? xstrdup (table[i].variant) : NULL;
        mcimg_platform_normalize (out);
        return 0;
      }
  return mc_error_make (err, 0, "unknown machine architecture `%s`", m);
}

int
mcimg_platform_host (mcimg_platform_t *out, mc_error_t *err)
{
  struct utsname u;

  if (uname (&u) < 0)
    return mc_error_make (err, errno, "uname");
  return mcimg_platform_from_machine (u.machine, out, err);
}

void
mcimg_platform_copy (mcimg_platform_t *dst, const mcimg_platform_t *src)
{
  dst->os = src->os ? xstrdup (src->os) : NULL;
  dst->architecture = src->architecture ? xstrdup (src->architecture) : NULL;
  dst->variant = src->variant ? xstrdup (src->variant) : NULL;
}

char *
mcimg_platform_string (const mcimg_platform_t *p)
{
  return xasprintf ("%s/%s%s%s", p->os ? p->os : "?",
                    p->architecture ? p->architecture : "?",
                    p->variant ? "/" : "", p->variant ? p->variant : "");
}

int
mcimg_platform_equal (const mcimg_platform_t *want,
                      const mcimg_platform_t *candidate)
{
  mcimg_platform_t c = { 0 };
  int eq;

  if (candidate->os == NULL || candidate->architecture == NULL)
    return 0;
  mcimg_platform_copy (&c, candidate);
  mcimg_platform_normalize (&c);
  eq = streq (want->os, c.os) && streq (want->architecture, c.architecture)
       && streq (want->variant, c.variant);
  mcimg_platform_clear (&c);
  return eq;
}

static void
vector_add (mcimg_platform_t *vec, size_t *n, const char *os,
            const char *arch, const char *variant)
{
  if (*n == MAX_VECTOR)
    return;
  vec[*n].os = xstrdup (os);
  vec[*n].architecture = xstrdup (arch);
  vec[*n].variant = variant ? xstrdup (variant) : NULL;
  (*n)++;
}

/* Versions below `variant` ("vN") down to `lowest`, as "vN-1", ... .  */
static void
vector_add_lower (mcimg_platform_t *vec, size_t *n, const char *os,
                  const char *arch, const char *variant, int lowest)
{
  char buf[16];
  int version;

  if (variant == NULL || variant[0] != 'v' || variant[1] < '0'
      || variant[1] > '9' || strlen (variant) > 3)
    return;
  version = atoi (variant + 1);
  for (version--; version >= lowest; version--)
    {
      snprintf (buf, sizeof buf, "v%d", version);
      /* amd64/v1 is written without a variant.  */
      vector_add (vec, n, os, arch,
                  strcmp (arch, "amd64") == 0 && version == 1 ? NULL : buf);
    }
}

static size_t
platform_vector (const mcimg_platform_t *want, mcimg_platform_t *vec)
{
  const char *os = want->os, *arch = want->architecture;
  size_t n = 0;

  vector_add (vec, &n, os, arch, want->variant);
  if (strcmp (arch, "amd64") == 0)
    {
      vector_add_lower (vec, &n, os, arch, want->variant, 1);
      vector_add (vec, &n, os, "386", NULL);
    }
  else if (strcmp (arch, "arm") == 0)
    vector_add_lower (vec, &n, os, arch, want->variant, 5);
  else if (strcmp (arch, "arm64") == 0)
    {
      /* 64-bit ARM runs 32-bit ARM code: arm64 (= v8) accepts arm/v8 and
         below; arm64/vN starts the 32-bit list at arm/vN (containerd 1.7). */
      const char *v = want->variant ? want->variant : "v8";
      vector_add (vec, &n, os, "arm", v);
      vector_add_lower (vec, &n, os, "arm", v, 5);
    }
  return n;
}

int
mcimg_platform_choose (const mcimg_platform_t *want_in,
                       const mcimg_platform_t *candidates, size_t n,
                       mc_error_t *err)
{
  mcimg_platform_t want = { 0 };
  mcimg_platform_t vec[MAX_VECTOR];
  size_t nvec;
  int found = -1;

  mcimg_platform_copy (&want, want_in);
  mcimg_platform_normalize (&want);
  if (want.os == NULL || want.architecture == NULL)
    {
      mcimg_platform_clear (&want);
      return mc_error_make (err, 0, "platform without OS or architecture");
    }
  nvec = platform_vector (&want, vec);
  for (size_t v = 0; v < nvec && found < 0; v++)
    for (size_t i = 0; i < n && found < 0; i++)
      if (mcimg_platform_equal (&vec[v], &candidates[i]))
        found = (int) i;
  for (size_t v = 0; v < nvec; v++)
    mcimg_platform_clear (&vec[v]);

  if (found < 0)
    {
      cleanup_free char *w = mcimg_platform_string (&want);
      cleanup_free char *avail = xstrdup ("");
      for (size_t i = 0; i < n; i++)
        {
          cleanup_free char *c = mcimg_platform_string (&candidates[i]);
          char *next = xasprintf ("%s%s%s", avail, i ? ", " : "", c);
          free (avail);
          avail = next;
        }
      mcimg_platform_clear (&want);
      return mc_error_make (err, 0,
                            "no image for platform %s (the index has: %s)", w,
                            n ? avail : "nothing");
    }
  mcimg_platform_clear (&want);
  return found;
}
