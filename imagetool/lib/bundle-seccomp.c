/* The default seccomp profile of a bundle: imagetool/data/seccomp-default.list
   (embedded at build time) read into config.json's linux.seccomp for the
   bundle's bounding set, the host architecture and the running kernel.
   The syntax is described at the top of that file.  */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "imagetool/lib/bundle-internal.h"

/* The architecture mcimg was built for, in `uname -m` spelling (x32 for
   the x32 ABI): the bundle runs its programs, so this is the one the
   filter is native to.  */
#if defined __x86_64__ && defined __ILP32__
#define HOST_ARCH "x32"
#elif defined __x86_64__
#define HOST_ARCH "x86_64"
#elif defined __i386__
#define HOST_ARCH "x86"
#elif defined __aarch64__
#define HOST_ARCH "aarch64"
#elif defined __arm__
#define HOST_ARCH "arm"
#elif defined __s390x__
#define HOST_ARCH "s390x"
#elif defined __s390__
#define HOST_ARCH "s390"
#elif defined __powerpc64__ && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_ARCH "ppc64le"
#elif defined __riscv && __riscv_xlen == 64
#define HOST_ARCH "riscv64"
#else
#define HOST_ARCH "unknown"
#endif

/* The native architecture and the ones whose programs it also runs (the
   filter must cover them, or a 32-bit binary would escape it).  */
static const struct
{
  const char *arch;
  const char *scmp[4];
} arch_map[] = {
  { "x86_64", { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32" } },
  { "x32", { "SCMP_ARCH_X32", "SCMP_ARCH_X86_64", "SCMP_ARCH_X86" } },
  { "x86", { "SCMP_ARCH_X86" } },
  { "aarch64", { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM" } },
  { "arm", { "SCMP_ARCH_ARM" } },
  { "s390x", { "SCMP_ARCH_S390X", "SCMP_ARCH_S390" } },
  { "s390", { "SCMP_ARCH_S390" } },
  { "ppc64le", { "SCMP_ARCH_PPC64LE" } },
  { "riscv64", { "SCMP_ARCH_RISCV64" } },
};

static const struct
{
  const char *name;
  int value;
} errno_names[] = {
  { "EPERM", EPERM }, { "ENOSYS", ENOSYS }, { "EACCES", EACCES },
  { "EINVAL", EINVAL }, { "ENOTSUP", ENOTSUP },
};

static const struct
{
  const char *op;
  const char *scmp;
} op_names[] = {
  { "==", "SCMP_CMP_EQ" }, { "!=", "SCMP_CMP_NE" }, { "<", "SCMP_CMP_LT" },
  { "<=", "SCMP_CMP_LE" }, { ">", "SCMP_CMP_GT" }, { ">=", "SCMP_CMP_GE" },
};

#define N_OF(a) (sizeof (a) / sizeof ((a)[0]))

void
mcimg_seccomp_host_detect (mcimg_seccomp_host_t *host)
{
  struct utsname u;

  memset (host, 0, sizeof (*host));
  host->arch = HOST_ARCH;
  if (uname (&u) == 0
      && sscanf (u.release, "%u.%u", &host->kernel_major,
                 &host->kernel_minor) != 2)
    host->kernel_major = host->kernel_minor = 0;
}

/* The state of the parse: the group being read and where its plain names
   go.  */
typedef struct profile_parse
{
  const char *what;
  size_t lineno;
  const mcimg_seccomp_host_t *host;
  char *const *caps;
  size_t n_caps;
  spec_seccomp_t *out;
  bool in_group;
  bool active;          /* every condition of the group holds */
  bool errno_action;    /* else allow */
  uint32_t errno_ret;
  ssize_t plain;        /* index of the group's rule of plain names, or -1 */
} profile_parse_t;

static int
fail (profile_parse_t *p, mc_error_t *err, const char *fmt, const char *arg)
{
  return mc_error_make (err, 0, "%s: line %zu: %s `%s`", p->what, p->lineno,
                        fmt, arg);
}

static bool
has_cap (const profile_parse_t *p, const char *cap)
{
  for (size_t i = 0; i < p->n_caps; i++)
    if (strcmp (p->caps[i], cap) == 0)
      return true;
  return false;
}

static bool
arch_in (const char *arch, const char *list)
{
  size_t n = strlen (arch);

  for (const char *s = list; *s;)
    {
      size_t len = strcspn (s, ",");
      if (len == n && strncmp (s, arch, n) == 0)
        return true;
      s += len;
      if (*s == ',')
        s++;
    }
  return false;
}

static int
parse_u64 (const char *s, uint64_t *out)
{
  char *end;

  if (!isdigit ((unsigned char) *s))
    return -1;
  errno = 0;
  *out = strtoull (s, &end, 0);
  return errno || *end ? -1 : 0;
}

/* mcimg_bundle_strv_add's job, here so that this file (and its fuzz
   target) needs nothing else of the bundle code.  */
static void
strv_add (char ***v, size_t *n, const char *s)
{
  *v = xrealloc (*v, (*n + 2) * sizeof (**v));
  (*v)[(*n)++] = xstrdup (s);
  (*v)[*n] = NULL;
}

static spec_seccomp_syscall_t *
new_rule (profile_parse_t *p)
{
  spec_seccomp_t *s = p->out;
  spec_seccomp_syscall_t *r;

  s->syscalls = xgrow (s->syscalls, s->syscalls_len, sizeof (*s->syscalls));
  r = &s->syscalls[s->syscalls_len++];
  memset (r, 0, sizeof (*r));
  if (p->errno_action)
    {
      r->action = xstrdup ("SCMP_ACT_ERRNO");
      r->errno_ret = p->errno_ret;
      r->has_errno_ret = true;
    }
  else
    r->action = xstrdup ("SCMP_ACT_ALLOW");
  return r;
}

static bool
valid_name (const char *s)
{
  if (*s == '\0')
    return false;
  for (; *s; s++)
    if (!islower ((unsigned char) *s) && !isdigit ((unsigned char) *s)
        && *s != '_')
      return false;
  return true;
}

/* "[allow cap=CAP_X ...]": tok[0] is "[", the words, then "]" stripped. */
static int
parse_header (profile_parse_t *p, char **tok, size_t n, mc_error_t *err)
{
  size_t i = 1;

  p->in_group = true;
  p->active = true;
  p->plain = -1;
  p->errno_action = false;
  if (n < 2)
    return fail (p, err, "expected an action after", "[");
  if (strcmp (tok[1], "allow") == 0)
    i = 2;
  else if (strcmp (tok[1], "errno") == 0 && n >= 3)
    {
      size_t j;
      for (j = 0; j < N_OF (errno_names); j++)
        if (strcmp (errno_names[j].name, tok[2]) == 0)
          break;
      if (j == N_OF (errno_names))
        return fail (p, err, "unknown errno name", tok[2]);
      p->errno_action = true;
      p->errno_ret = (uint32_t) errno_names[j].value;
      i = 3;
    }
  else
    return fail (p, err, "unknown action", tok[1]);

  for (; i < n; i++)
    {
      const char *c = tok[i];
      bool negate = *c == '!';
      bool holds;
      unsigned major, minor;
      char extra;

      if (negate)
        c++;
      if (strncmp (c, "cap=", 4) == 0 && strncmp (c + 4, "CAP_", 4) == 0)
        holds = has_cap (p, c + 4);
      else if (strncmp (c, "arch=", 5) == 0 && c[5])
        holds = arch_in (p->host->arch, c + 5);
      else if (!negate
               && sscanf (c, "kernel>=%u.%u%c", &major, &minor, &extra) == 2)
        holds = p->host->kernel_major > major
                || (p->host->kernel_major == major
                    && p->host->kernel_minor >= minor);
      else
        return fail (p, err, "unknown condition", tok[i]);
      if (holds == negate)
        p->active = false;
    }
  return 0;
}

/* "NAME argI OP VALUE ...": one rule with its comparisons.  */
static int
parse_arg_rule (profile_parse_t *p, char **tok, size_t n, mc_error_t *err)
{
  spec_seccomp_syscall_t *r = NULL;
  spec_seccomp_arg_t args[6];
  size_t n_args = 0;

  for (size_t i = 1; i < n;)
    {
      spec_seccomp_arg_t *a = &args[n_args];
      uint64_t index, mask = 0;
      bool masked = false;
      const char *op = NULL;

      if (n_args == N_OF (args))
        return fail (p, err, "too many comparisons at", tok[i]);
      memset (a, 0, sizeof (*a));
      if (strncmp (tok[i], "arg", 3) != 0 || parse_u64 (tok[i] + 3, &index) < 0
          || index > 5)
        return fail (p, err, "expected arg0 to arg5, got", tok[i]);
      i++;
      if (i < n && tok[i][0] == '&')
        {
          if (parse_u64 (tok[i] + 1, &mask) < 0)
            return fail (p, err, "invalid mask", tok[i]);
          masked = true;
          i++;
        }
      if (i + 1 >= n)
        return fail (p, err, "incomplete comparison after", tok[i - 1]);
      for (size_t j = 0; j < N_OF (op_names); j++)
        if (strcmp (op_names[j].op, tok[i]) == 0)
          op = op_names[j].scmp;
      if (op == NULL || (masked && strcmp (tok[i], "==") != 0))
        return fail (p, err, masked ? "expected == after a mask, got"
                                    : "unknown operator",
                     tok[i]);
      a->index = (uint32_t) index;
      if (parse_u64 (tok[i + 1], masked ? &a->value_two : &a->value) < 0)
        return fail (p, err, "invalid value", tok[i + 1]);
      if (masked)
        {
          a->value = mask;
          op = "SCMP_CMP_MASKED_EQ";
        }
      a->op = (char *) op;
      n_args++;
      i += 2;
    }
  if (!p->active)
    return 0;
  r = new_rule (p);
  strv_add (&r->names, &r->names_len, tok[0]);
  r->args = xcalloc (n_args, sizeof (*r->args));
  r->args_len = n_args;
  for (size_t i = 0; i < n_args; i++)
    {
      r->args[i] = args[i];
      r->args[i].op = xstrdup (args[i].op);
    }
  return 0;
}

static int
parse_line (profile_parse_t *p, char *line, mc_error_t *err)
{
  char *tok[64];
  size_t n = 0;
  char *save = NULL, *hash = strchr (line, '#');
  bool header = false, has_args = false;

  if (hash)
    *hash = '\0';
  line += strspn (line, " \t");
  if (*line == '[')
    {
      size_t len = strlen (line);
      while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        line[--len] = '\0';
      if (line[len - 1] != ']')
        return fail (p, err, "expected `]` at the end of", line);
      line[len - 1] = '\0';
      line++;
      header = true;
      tok[n++] = (char *) "[";
    }
  for (char *t = strtok_r (line, " \t", &save); t;
       t = strtok_r (NULL, " \t", &save))
    {
      if (n == N_OF (tok))
        return fail (p, err, "too many words at", t);
      if (strncmp (t, "arg", 3) == 0 && isdigit ((unsigned char) t[3]))
        has_args = true;
      tok[n++] = t;
    }
  if (header)
    return parse_header (p, tok, n, err);
  if (n == 0)
    return 0;
  if (!p->in_group)
    return fail (p, err, "syscall outside of a [group]:", tok[0]);
  for (size_t i = 0; i < (has_args ? 1 : n); i++)
    if (!valid_name (tok[i]))
      return fail (p, err, "invalid syscall name", tok[i]);
  if (has_args)
    return parse_arg_rule (p, tok, n, err);
  if (!p->active)
    return 0;
  if (p->plain < 0)
    {
      new_rule (p);
      p->plain = (ssize_t) p->out->syscalls_len - 1;
    }
  for (size_t i = 0; i < n; i++)
    {
      spec_seccomp_syscall_t *r = &p->out->syscalls[p->plain];
      strv_add (&r->names, &r->names_len, tok[i]);
    }
  return 0;
}

int
mcimg_seccomp_profile_build (const char *text, const char *what,
                             const mcimg_seccomp_host_t *host,
                             char *const *caps, size_t n_caps,
                             spec_seccomp_t **out, mc_error_t *err)
{
  cleanup_free char *copy = xstrdup (text);
  spec_seccomp_t *s = xzalloc (sizeof (*s));
  profile_parse_t p = { .what = what, .host = host, .caps = caps,
                        .n_caps = n_caps, .out = s, .plain = -1 };
  char *line = copy;

  *out = NULL;
  s->default_action = xstrdup ("SCMP_ACT_ERRNO");
  s->default_errno_ret = EPERM;
  s->has_default_errno_ret = true;
  for (size_t i = 0; i < N_OF (arch_map); i++)
    if (strcmp (arch_map[i].arch, host->arch) == 0)
      for (size_t j = 0; j < N_OF (arch_map[i].scmp) && arch_map[i].scmp[j];
           j++)
        strv_add (&s->architectures, &s->architectures_len,
                  arch_map[i].scmp[j]);
  while (line)
    {
      char *next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      p.lineno++;
      if (parse_line (&p, line, err) < 0)
        {
          spec_seccomp_free (s);
          return -1;
        }
      line = next;
    }
  *out = s;
  return 0;
}

int
mcimg_seccomp_default (const spec_capabilities_t *caps, spec_seccomp_t **out,
                       mc_error_t *err)
{
  mcimg_seccomp_host_t host;

  mcimg_seccomp_host_detect (&host);
  return mcimg_seccomp_profile_build (
    mcimg_seccomp_default_profile, "seccomp-default.list", &host,
    caps ? caps->bounding : NULL, caps ? caps->bounding_len : 0, out, err);
}
