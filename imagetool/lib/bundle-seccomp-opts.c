/* --security-opt, as docker takes it: seccomp=unconfined|builtin|FILE,
   no-new-privileges[=true|false], apparmor=PROFILE and label=KIND:VALUE
   (or label=disable).  The default is docker's: the default seccomp
   profile (seccomp-default.list), nothing else.  */
#include <errno.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "imagetool/lib/bundle-internal.h"

/* What the options ask for, gathered before anything is written.  */
typedef struct security
{
  const char *seccomp; /* NULL or "builtin": default; "unconfined"; FILE */
  bool no_new_privileges;
  const char *apparmor; /* NULL or "unconfined": none */
  bool label_disable;
  const char *label_user, *label_role, *label_type, *label_level;
  const char *label_filetype;
} security_t;

#define EXPECTED \
  "expected seccomp=unconfined|FILE, no-new-privileges[=true|false], " \
  "apparmor=PROFILE or label=user:|role:|type:|level:|filetype:VALUE|disable"

/* Split "KEY=VALUE" (docker's older "KEY:VALUE" too); value NULL when the
   option is a bare KEY.  */
static char *
split (const char *opt, const char **value)
{
  size_t n = strcspn (opt, "=:");

  *value = opt[n] ? opt + n + 1 : NULL;
  return xstrndup (opt, n);
}

static int
add_label (security_t *s, const char *opt, const char *v, mc_error_t *err)
{
  static const char *const kinds[] = { "user", "role", "type", "level",
                                       "filetype" };
  const char **slots[] = { &s->label_user, &s->label_role, &s->label_type,
                           &s->label_level, &s->label_filetype };
  size_t n = strcspn (v, ":");

  if (strcmp (v, "disable") == 0)
    {
      s->label_disable = true;
      return 0;
    }
  if (strcmp (v, "nested") == 0)
    return mc_error_make (err, 0, "--security-opt `%s`: not supported "
                          "(mcimg does not set up nested SELinux labels)",
                          opt);
  for (size_t i = 0; i < sizeof (kinds) / sizeof (kinds[0]); i++)
    if (strlen (kinds[i]) == n && strncmp (v, kinds[i], n) == 0)
      {
        if (v[n] != ':' || v[n + 1] == '\0')
          break;
        *slots[i] = v + n + 1;
        return 0;
      }
  return mc_error_make (err, 0, "--security-opt `%s`: expected label="
                        "user:U, role:R, type:T, level:L, filetype:F or "
                        "disable", opt);
}

static int
parse_one (security_t *s, const char *opt, mc_error_t *err)
{
  const char *v;
  cleanup_free char *key = split (opt, &v);

  if (strcmp (key, "seccomp") == 0 && v && *v)
    s->seccomp = v;
  else if (strcmp (key, "no-new-privileges") == 0)
    {
      if (v == NULL || strcmp (v, "true") == 0)
        s->no_new_privileges = true;
      else if (strcmp (v, "false") == 0)
        s->no_new_privileges = false;
      else
        return mc_error_make (err, 0, "--security-opt `%s`: expected "
                              "no-new-privileges, =true or =false", opt);
    }
  else if (strcmp (key, "apparmor") == 0 && v && *v)
    s->apparmor = v;
  else if (strcmp (key, "label") == 0 && v && *v)
    return add_label (s, opt, v, err);
  else
    return mc_error_make (err, 0, "unknown --security-opt `%s` (" EXPECTED
                          ")", opt);
  return 0;
}

static int
parse_all (security_t *s, const mcimg_bundle_options_t *o, mc_error_t *err)
{
  memset (s, 0, sizeof (*s));
  for (size_t i = 0; i < o->security_opts_len; i++)
    if (parse_one (s, o->security_opts[i], err) < 0)
      return -1;
  if (s->label_disable)
    return 0;
  /* Without the policy's defaults (lxc_contexts), a label can only be
     whole: SELinux takes no partial context.  */
  if ((s->label_user || s->label_role || s->label_type || s->label_level)
      && !(s->label_user && s->label_role && s->label_type && s->label_level))
    return mc_error_make (err, 0, "--security-opt label=: give all of user:, "
                          "role:, type: and level: (mcimg has no SELinux "
                          "defaults to complete a partial label)");
  if (s->label_filetype && !(s->label_user && s->label_level))
    return mc_error_make (err, 0, "--security-opt label=filetype: needs "
                          "label=user: and label=level: too");
  return 0;
}

int
mcimg_bundle_security_opt_check (const char *opt, mc_error_t *err)
{
  security_t s = { 0 };

  return parse_one (&s, opt, err);
}

int
mcimg_bundle_security (spec_runtime_config_t *c,
                       const mcimg_bundle_options_t *o, mc_error_t *err)
{
  spec_process_t *p = c->process;
  spec_linux_t *l = c->linux_;
  security_t s;

  if (parse_all (&s, o, err) < 0)
    return -1;
  if (s.seccomp == NULL || strcmp (s.seccomp, "builtin") == 0)
    {
      if (mcimg_seccomp_default (p->capabilities, &l->seccomp, err) < 0)
        return -1;
    }
  else if (strcmp (s.seccomp, "unconfined") != 0
           && mcimg_seccomp_load_file (s.seccomp, &l->seccomp, err) < 0)
    return mc_error_prefix (err, "--security-opt seccomp");
  p->no_new_privileges = s.no_new_privileges;
  if (s.apparmor && strcmp (s.apparmor, "unconfined") != 0)
    p->apparmor_profile = xstrdup (s.apparmor);
  if (s.label_disable)
    return 0;
  if (s.label_type)
    p->selinux_label = xasprintf ("%s:%s:%s:%s", s.label_user, s.label_role,
                                  s.label_type, s.label_level);
  if (s.label_filetype)
    l->mount_label = xasprintf ("%s:object_r:%s:%s", s.label_user,
                                s.label_filetype, s.label_level);
  return 0;
}
