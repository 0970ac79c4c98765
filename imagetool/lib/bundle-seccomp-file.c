/* --security-opt seccomp=FILE: an OCI LinuxSeccomp object (what
   config.json holds under linux.seccomp), read with the spec/ parser and
   checked so that a bad profile fails `mcimg bundle`, not the container
   start.  Errors name the file and the JSON path.  */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/bundle-internal.h"
#include "spec/seccomp-names.h"

#define SECCOMP_FILE_MAX (4u << 20)

static int
check_action (const char *path, const char *where, const char *action,
              bool has_ret, mc_error_t *err)
{
  if (!spec_name_list_has (&spec_seccomp_actions, action))
    return mc_error_make (err, 0, "%s: %s: unknown action `%s`", path, where,
                          action);
  if (has_ret && strcmp (action, "SCMP_ACT_ERRNO") != 0
      && strcmp (action, "SCMP_ACT_TRACE") != 0)
    return mc_error_make (err, 0, "%s: %s: an errno return needs "
                          "SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not `%s`",
                          path, where, action);
  return 0;
}

static int
check_rule (const char *path, size_t i, const spec_seccomp_syscall_t *r,
            mc_error_t *err)
{
  cleanup_free char *where = xasprintf (".syscalls[%zu].action", i);

  if (check_action (path, where, r->action, r->has_errno_ret, err) < 0)
    return -1;
  if (r->names_len == 0)
    return mc_error_make (err, 0, "%s: .syscalls[%zu].names: is empty", path,
                          i);
  for (size_t j = 0; j < r->names_len; j++)
    if (r->names[j][0] == '\0')
      return mc_error_make (err, 0, "%s: .syscalls[%zu].names[%zu]: is "
                            "empty", path, i, j);
  for (size_t j = 0; j < r->args_len; j++)
    {
      if (r->args[j].index > 5)
        return mc_error_make (err, 0, "%s: .syscalls[%zu].args[%zu].index: "
                              "%u is out of range (a syscall has arguments "
                              "0 to 5)", path, i, j, r->args[j].index);
      if (!spec_name_list_has (&spec_seccomp_operators, r->args[j].op))
        return mc_error_make (err, 0, "%s: .syscalls[%zu].args[%zu].op: "
                              "unknown operator `%s`", path, i, j,
                              r->args[j].op);
    }
  return 0;
}

/* Docker's own profile format reads as a LinuxSeccomp object (its extra
   keys are ignored), but its conditions (archMap, includes, excludes)
   would be lost and every rule applied whatever the capabilities: refuse
   it.  Called once spec_parse has bounded the document's depth.  */
static int
check_not_docker (const char *json, size_t len, const char *path,
                  mc_error_t *err)
{
  cleanup_free char *text = xstrndup (json, len);
  cleanup_free char *where = NULL;
  yajl_val root = yajl_tree_parse (text, NULL, 0);
  yajl_val v;

  if (root == NULL || !YAJL_IS_OBJECT (root))
    goto out;
  for (size_t i = 0; i < root->u.object.len && where == NULL; i++)
    {
      const char *k = root->u.object.keys[i];
      v = root->u.object.values[i];
      if (strcmp (k, "archMap") == 0)
        where = xstrdup (".archMap");
      else if (strcmp (k, "syscalls") == 0 && YAJL_IS_ARRAY (v))
        for (size_t j = 0; j < v->u.array.len && where == NULL; j++)
          {
            yajl_val r = v->u.array.values[j];
            for (size_t m = 0; YAJL_IS_OBJECT (r) && m < r->u.object.len; m++)
              if (strcmp (r->u.object.keys[m], "includes") == 0
                  || strcmp (r->u.object.keys[m], "excludes") == 0)
                {
                  where = xasprintf (".syscalls[%zu].%s", j,
                                     r->u.object.keys[m]);
                  break;
                }
          }
    }
out:
  if (root)
    yajl_tree_free (root);
  if (where)
    return mc_error_make (err, 0, "%s: %s: docker's profile format, not an "
                          "OCI LinuxSeccomp object (its conditions would be "
                          "ignored)", path, where);
  return 0;
}

int
mcimg_seccomp_parse (const char *json, size_t len, const char *path,
                     spec_seccomp_t **out, mc_error_t *err)
{
  spec_seccomp_t *s = NULL;

  *out = NULL;
  if (spec_seccomp_parse (json, len, path, &s, err) < 0)
    return -1;
  if (check_not_docker (json, len, path, err) < 0)
    goto bad;
  if (check_action (path, ".defaultAction", s->default_action,
                    s->has_default_errno_ret, err) < 0)
    goto bad;
  for (size_t i = 0; i < s->architectures_len; i++)
    if (!spec_name_list_has (&spec_seccomp_archs, s->architectures[i]))
      {
        mc_error_make (err, 0, "%s: .architectures[%zu]: unknown "
                       "architecture `%s`", path, i, s->architectures[i]);
        goto bad;
      }
  for (size_t i = 0; i < s->flags_len; i++)
    if (!spec_name_list_has (&spec_seccomp_flags, s->flags[i]))
      {
        mc_error_make (err, 0, "%s: .flags[%zu]: unknown flag `%s`", path, i,
                       s->flags[i]);
        goto bad;
      }
  for (size_t i = 0; i < s->syscalls_len; i++)
    if (check_rule (path, i, &s->syscalls[i], err) < 0)
      goto bad;
  *out = s;
  return 0;
bad:
  spec_seccomp_free (s);
  return -1;
}

int
mcimg_seccomp_load_file (const char *path, spec_seccomp_t **out,
                         mc_error_t *err)
{
  cleanup_free char *text = NULL;
  size_t len = 0;

  *out = NULL;
  if (mc_read_file_at (AT_FDCWD, path, SECCOMP_FILE_MAX, &text, &len, err)
      < 0)
    return -1;
  return mcimg_seccomp_parse (text, len, path, out, err);
}
