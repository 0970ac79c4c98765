#include "runtime/lib/seccomp.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/xalloc.h"

static const struct
{
  const char *name;
  uint32_t action; /* for ERRNO and TRACE: without the return value */
  bool takes_ret;
} action_table[] = {
  { "SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD, false },
  { "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false },
  { "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false },
  { "SCMP_ACT_TRAP", SCMP_ACT_TRAP, false },
  { "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO (0), true },
  { "SCMP_ACT_TRACE", SCMP_ACT_TRACE (0), true },
  { "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false },
  { "SCMP_ACT_LOG", SCMP_ACT_LOG, false },
  { "SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY, false },
};

int
mc_seccomp_action (const char *name, bool has_errno_ret, uint32_t errno_ret,
                   uint32_t *action, mc_error_t *err)
{
  for (size_t i = 0; i < sizeof (action_table) / sizeof (action_table[0]); i++)
    {
      if (strcmp (action_table[i].name, name) != 0)
        continue;
      if (!action_table[i].takes_ret)
        {
          /* runc and crun ignore it too; the spec gives it no meaning.  */
          *action = action_table[i].action;
          return 0;
        }
      /* ERRNO without errnoRet is EPERM, as in runc and crun; TRACE takes
         it as the message the tracer gets.  */
      if (!has_errno_ret)
        errno_ret = EPERM;
      if (errno_ret > 0xffff)
        return mc_error_make (err, 0, "errnoRet %u is out of range",
                              errno_ret);
      *action = action_table[i].action == SCMP_ACT_ERRNO (0)
                  ? SCMP_ACT_ERRNO (errno_ret)
                  : SCMP_ACT_TRACE (errno_ret);
      return 0;
    }
  return mc_error_make (err, 0, "unknown seccomp action `%s`", name);
}

static const struct
{
  const char *name;
  enum scmp_compare op;
} op_table[] = {
  { "SCMP_CMP_NE", SCMP_CMP_NE },
  { "SCMP_CMP_LT", SCMP_CMP_LT },
  { "SCMP_CMP_LE", SCMP_CMP_LE },
  { "SCMP_CMP_EQ", SCMP_CMP_EQ },
  { "SCMP_CMP_GE", SCMP_CMP_GE },
  { "SCMP_CMP_GT", SCMP_CMP_GT },
  { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

int
mc_seccomp_operator (const char *name, enum scmp_compare *op, mc_error_t *err)
{
  for (size_t i = 0; i < sizeof (op_table) / sizeof (op_table[0]); i++)
    if (strcmp (op_table[i].name, name) == 0)
      {
        *op = op_table[i].op;
        return 0;
      }
  return mc_error_make (err, 0, "unknown seccomp operator `%s`", name);
}

#define ARCH_PREFIX "SCMP_ARCH_"

int
mc_seccomp_arch (const char *name, uint32_t *arch, mc_error_t *err)
{
  char lower[32];
  size_t n;

  /* libseccomp's names are the spec's without the prefix, in lower case
     ("SCMP_ARCH_X86_64" is "x86_64").  */
  if (strncmp (name, ARCH_PREFIX, strlen (ARCH_PREFIX)) != 0)
    return mc_error_make (err, 0, "unknown seccomp architecture `%s`", name);
  n = strlen (name + strlen (ARCH_PREFIX));
  if (n == 0 || n >= sizeof (lower))
    return mc_error_make (err, 0, "unknown seccomp architecture `%s`", name);
  for (size_t i = 0; i <= n; i++)
    lower[i] = (char) tolower ((unsigned char) name[strlen (ARCH_PREFIX) + i]);
  *arch = seccomp_arch_resolve_name (lower);
  if (*arch == 0)
    return mc_error_make (err, 0, "unknown seccomp architecture `%s`", name);
  return 0;
}

int
mc_seccomp_flag (const char *name, enum scmp_filter_attr *attr,
                 mc_error_t *err)
{
  if (strcmp (name, "SECCOMP_FILTER_FLAG_TSYNC") == 0)
    *attr = SCMP_FLTATR_CTL_TSYNC;
  else if (strcmp (name, "SECCOMP_FILTER_FLAG_LOG") == 0)
    *attr = SCMP_FLTATR_CTL_LOG;
  else if (strcmp (name, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
    *attr = SCMP_FLTATR_CTL_SSB;
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
  else if (strcmp (name, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0)
    *attr = SCMP_FLTATR_CTL_WAITKILL;
#else
  else if (strcmp (name, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0)
    return mc_error_make (err, 0, "seccomp flag `%s` needs libseccomp >= 2.6 "
                          "(minirun was built with %d.%d)", name,
                          SCMP_VER_MAJOR, SCMP_VER_MINOR);
#endif
  else
    return mc_error_make (err, 0, "unknown seccomp flag `%s`", name);
  return 0;
}

static void
release_ctx (scmp_filter_ctx *ctx)
{
  if (*ctx)
    seccomp_release (*ctx);
}

/* Comparisons of different arguments are ANDed in one rule, as the spec
   says.  libseccomp (2.5) refuses two comparisons of the same argument in
   one rule (EINVAL), so those are taken as alternatives, the way runc
   treats them: one rule per choice of one comparison for each such
   argument (the ANDs of the other arguments kept in each).  This is what
   profiles mean by it (Docker's lists values an argument may EQual).  */
static int
add_rule_combinations (scmp_filter_ctx ctx, uint32_t action, int nr,
                       const struct scmp_arg_cmp *cmps, size_t n)
{
  size_t pick[6] = { 0 }; /* per argument: which of its comparisons */
  size_t count[6] = { 0 };

  for (size_t i = 0; i < n; i++)
    count[cmps[i].arg]++;
  for (;;)
    {
      struct scmp_arg_cmp rule[6];
      size_t seen[6] = { 0 };
      unsigned int len = 0;
      int r;
      int a;

      for (size_t i = 0; i < n; i++)
        if (seen[cmps[i].arg]++ == pick[cmps[i].arg])
          rule[len++] = cmps[i];
      r = seccomp_rule_add_array (ctx, action, nr, len, rule);
      if (r < 0)
        return r;
      /* Next combination (an odometer over the arguments).  */
      for (a = 0; a < 6; a++)
        {
          if (count[a] > 1 && ++pick[a] < count[a])
            break;
          pick[a] = 0;
        }
      if (a == 6)
        return 0;
    }
}

static int
add_rule (scmp_filter_ctx ctx, uint32_t default_action,
          const spec_seccomp_syscall_t *sc, size_t index, mc_error_t *err)
{
  struct scmp_arg_cmp cmps[6];
  uint32_t action;

  if (sc->action == NULL)
    return mc_error_make (err, 0, "syscalls[%zu]: no action", index);
  if (mc_seccomp_action (sc->action, sc->has_errno_ret, sc->errno_ret,
                         &action, err) < 0)
    return mc_error_prefix (err, "syscalls[%zu]", index);
  if (sc->args_len > 6)
    return mc_error_make (err, 0, "syscalls[%zu]: more than 6 args", index);
  for (size_t i = 0; i < sc->args_len; i++)
    {
      const spec_seccomp_arg_t *a = &sc->args[i];

      if (a->op == NULL)
        return mc_error_make (err, 0, "syscalls[%zu].args[%zu]: no op", index,
                              i);
      if (a->index > 5)
        return mc_error_make (err, 0, "syscalls[%zu].args[%zu]: index %u is "
                              "out of range", index, i, a->index);
      if (mc_seccomp_operator (a->op, &cmps[i].op, err) < 0)
        return mc_error_prefix (err, "syscalls[%zu].args[%zu]", index, i);
      cmps[i].arg = a->index;
      /* For MASKED_EQ, value is the mask and valueTwo the datum, which is
         libseccomp's order too.  */
      cmps[i].datum_a = a->value;
      cmps[i].datum_b = a->value_two;
    }
  for (size_t i = 0; i < sc->names_len; i++)
    {
      int nr = seccomp_syscall_resolve_name (sc->names[i]);
      int r;

      /* Not a syscall of any configured architecture: profiles list
         syscalls of other architectures and kernels, so this is normal
         and stays silent.  */
      if (nr == __NR_SCMP_ERROR)
        continue;
      /* A rule with the default action is a no-op, which libseccomp
         refuses: skip it.  */
      if (action == default_action)
        continue;
      r = add_rule_combinations (ctx, action, nr, cmps, sc->args_len);
      if (r < 0)
        return mc_error_make (err, -r, "syscalls[%zu]: add a rule for `%s`",
                              index, sc->names[i]);
    }
  return 0;
}

int
mc_seccomp_build (const spec_seccomp_t *s, scmp_filter_ctx *out,
                  bool *uses_notify, mc_error_t *err)
{
  __attribute__ ((cleanup (release_ctx))) scmp_filter_ctx ctx = NULL;
  uint32_t default_action;
  int r;

  *uses_notify = false;
  if (s->default_action == NULL)
    return mc_error_make (err, 0, "linux.seccomp: no defaultAction");
  if (mc_seccomp_action (s->default_action, s->has_default_errno_ret,
                         s->default_errno_ret, &default_action, err) < 0)
    return mc_error_prefix (err, "linux.seccomp.defaultAction");
  /* The kernel refuses a notifying default: the listener would have to
     answer minirun's own exec.  runc and crun refuse it too.  */
  if (default_action == SCMP_ACT_NOTIFY)
    return mc_error_make (err, 0, "linux.seccomp.defaultAction: "
                          "SCMP_ACT_NOTIFY cannot be the default action");
  ctx = seccomp_init (default_action);
  if (ctx == NULL)
    return mc_error_make (err, 0, "seccomp_init failed");
  /* libseccomp sets no_new_privs on load by default: whether the process
     gets it is noNewPrivileges' decision alone.  */
  if ((r = seccomp_attr_set (ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0)
    return mc_error_make (err, -r, "seccomp: clear the NNP attribute");
  /* Get the kernel's own errno from seccomp_load for error messages.  */
  seccomp_attr_set (ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
  for (size_t i = 0; i < s->architectures_len; i++)
    {
      uint32_t arch;

      if (mc_seccomp_arch (s->architectures[i], &arch, err) < 0)
        return mc_error_prefix (err, "linux.seccomp.architectures");
      r = seccomp_arch_add (ctx, arch);
      if (r < 0 && r != -EEXIST) /* the native one is there already */
        return mc_error_make (err, -r, "linux.seccomp: add architecture `%s`",
                              s->architectures[i]);
    }
  for (size_t i = 0; i < s->flags_len; i++)
    {
      enum scmp_filter_attr attr;

      if (mc_seccomp_flag (s->flags[i], &attr, err) < 0)
        return mc_error_prefix (err, "linux.seccomp.flags");
      r = seccomp_attr_set (ctx, attr, 1);
      if (r < 0)
        return mc_error_make (err, -r, "linux.seccomp.flags: `%s`",
                              s->flags[i]);
    }
  for (size_t i = 0; i < s->syscalls_len; i++)
    {
      const spec_seccomp_syscall_t *sc = &s->syscalls[i];

      if (add_rule (ctx, default_action, sc, i, err) < 0)
        return mc_error_prefix (err, "linux.seccomp");
      if (sc->action && strcmp (sc->action, "SCMP_ACT_NOTIFY") == 0
          && sc->names_len > 0)
        *uses_notify = true;
    }
  if (*uses_notify && s->listener_path == NULL)
    return mc_error_make (err, 0, "linux.seccomp: SCMP_ACT_NOTIFY needs a "
                          "listenerPath");
  *out = steal_ptr (&ctx);
  return 0;
}

int
mc_seccomp_load (scmp_filter_ctx ctx, bool uses_notify, int *notify_fd,
                 mc_error_t *err)
{
  int r = seccomp_load (ctx);

  *notify_fd = -1;
  if (r < 0)
    return mc_error_make (err, -r, "load the seccomp filter");
  if (!uses_notify)
    return 0;
  *notify_fd = seccomp_notify_fd (ctx);
  if (*notify_fd < 0)
    return mc_error_make (err, -*notify_fd, "seccomp: get the listener fd");
  /* The fd goes to the listener, never to the container process.  */
  if (fcntl (*notify_fd, F_SETFD, FD_CLOEXEC) < 0)
    return mc_error_make (err, errno,
                          "seccomp: set CLOEXEC on the listener fd");
  return 0;
}
