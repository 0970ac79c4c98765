#include "runtime/lib/features.h"

#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "runtime/lib/lsm.h"
#include "runtime/lib/mounts.h"
#include "runtime/lib/seccomp.h"
#include "spec/seccomp-names.h"
#include "spec/state.h"

static const char *const hooks[] = {
  "prestart", "createRuntime", "createContainer", "startContainer",
  "poststart", "poststop",
};

/* The options of mount(8) and runc's features list; kept when the mount
   code knows them (they are not passed on as file-system data).  */
static const char *const mount_option_candidates[] = {
  "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec",
  "idmap", "iversion", "lazytime", "loud", "mand", "noatime", "nodev",
  "nodiratime", "noexec", "noiversion", "nolazytime", "nomand", "norelatime",
  "nostrictatime", "nosuid", "nosymfollow", "private", "ratime", "rbind",
  "rdev", "rdiratime", "relatime", "remount", "rexec", "ridmap", "rnoatime",
  "rnodev", "rnodiratime", "rnoexec", "rnorelatime", "rnostrictatime",
  "rnosuid", "rnosymfollow", "ro", "rprivate", "rrelatime", "rro", "rrw",
  "rshared", "rslave", "rstrictatime", "rsuid", "rsymfollow", "runbindable",
  "rw", "shared", "silent", "slave", "strictatime", "suid", "symfollow",
  "sync", "tmpcopyup", "unbindable",
};

/* The namespaces init can create or join (namespaces.c).  */
static const char *const namespaces[] = {
  "cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts",
};

#define N(a) (sizeof (a) / sizeof ((a)[0]))

static void
push (char ***v, size_t *len, const char *s)
{
  *v = xrealloc (*v, (*len + 2) * sizeof (**v));
  (*v)[(*len)++] = xstrdup (s);
  (*v)[*len] = NULL;
}

static bool
mount_option_known (const char *name)
{
  char *const opts[] = { (char *) name, NULL };
  mc_mount_options_t o;
  bool known;

  mc_mount_options_parse (opts, 1, &o);
  known = o.data == NULL && o.refused == NULL;
  mc_mount_options_free (&o);
  return known;
}

enum seccomp_table { ACTION, OPERATOR, ARCH, FLAG };

static bool
seccomp_known (enum seccomp_table t, const char *name)
{
  mc_error_t err = NULL;
  enum scmp_compare op;
  enum scmp_filter_attr attr;
  uint32_t v;
  int r = -1;

  switch (t)
    {
    case ACTION: r = mc_seccomp_action (name, false, 0, &v, &err); break;
    case OPERATOR: r = mc_seccomp_operator (name, &op, &err); break;
    case ARCH: r = mc_seccomp_arch (name, &v, &err); break;
    case FLAG: r = mc_seccomp_flag (name, &attr, &err); break;
    }
  mc_error_release (&err);
  return r >= 0;
}

static void
seccomp_list (enum seccomp_table t, const spec_name_list_t *names,
              char ***v, size_t *len)
{
  for (size_t i = 0; i < names->len; i++)
    if (seccomp_known (t, names->names[i]))
      push (v, len, names->names[i]);
}

int
mc_features_json (char **json, mc_error_t *err)
{
  spec_features_t f = { 0 };
  spec_features_linux_t lx = { 0 };
  spec_features_cgroup_t cg = { 0 };
  spec_features_seccomp_t sc = { 0 };
  spec_features_enabled_t apparmor = { 0 }, selinux = { 0 };
  spec_features_enabled_t idmap = { 0 };
  spec_features_mount_extensions_t mount_ext = { 0 };
  size_t len;
  int ret;

  f.oci_version_min = xstrdup ("1.0.0");
  f.oci_version_max = xstrdup (OCI_RUNTIME_SPEC_VERSION);
  for (size_t i = 0; i < N (hooks); i++)
    push (&f.hooks, &f.hooks_len, hooks[i]);
  for (size_t i = 0; i < N (mount_option_candidates); i++)
    if (mount_option_known (mount_option_candidates[i]))
      push (&f.mount_options, &f.mount_options_len,
            mount_option_candidates[i]);
  for (size_t i = 0; i < N (namespaces); i++)
    push (&lx.namespaces, &lx.namespaces_len, namespaces[i]);
  /* cgroupfs drivers for v1 and v2; the systemd one (system scopes only,
     no user instance) when built with libsystemd.  */
  cg = (spec_features_cgroup_t) {
    .v1 = true, .has_v1 = true, .v2 = true, .has_v2 = true,
#ifdef HAVE_SYSTEMD
    .systemd = true,
#else
    .systemd = false,
#endif
    .has_systemd = true,
    .systemd_user = false, .has_systemd_user = true,
  };
  sc.enabled = true;
  sc.has_enabled = true;
  seccomp_list (ACTION, &spec_seccomp_actions, &sc.actions, &sc.actions_len);
  seccomp_list (OPERATOR, &spec_seccomp_operators, &sc.operators,
                &sc.operators_len);
  seccomp_list (ARCH, &spec_seccomp_archs, &sc.archs, &sc.archs_len);
  for (size_t i = 0; i < spec_seccomp_flags.len; i++)
    push (&sc.known_flags, &sc.known_flags_len, spec_seccomp_flags.names[i]);
  seccomp_list (FLAG, &spec_seccomp_flags, &sc.supported_flags,
                &sc.supported_flags_len);
  apparmor = (spec_features_enabled_t) { mc_lsm_apparmor_enabled (), true };
  selinux = (spec_features_enabled_t) { mc_lsm_selinux_enabled (), true };
  lx.cgroup = &cg;
  lx.seccomp = &sc;
  lx.apparmor = &apparmor;
  lx.selinux = &selinux;
  /* Idmapped bind mounts (idmap.c); whether a given file system takes
     them is only known when one is made.  */
  idmap = (spec_features_enabled_t) { true, true };
  mount_ext.idmap = &idmap;
  lx.mount_extensions = &mount_ext;
  f.linux_ = &lx;
  ret = spec_features_generate (&f, true, json, &len, err);
  /* Only the vectors were allocated; the structs live on the stack.  */
  f.linux_ = NULL;
  lx.cgroup = NULL;
  lx.seccomp = NULL;
  lx.apparmor = NULL;
  lx.selinux = NULL;
  lx.mount_extensions = NULL;
  {
    char **vs[] = { f.hooks, f.mount_options, lx.namespaces, sc.actions,
                    sc.operators, sc.archs, sc.known_flags,
                    sc.supported_flags };
    for (size_t i = 0; i < N (vs); i++)
      {
        for (char **p = vs[i]; p && *p; p++)
          free (*p);
        free (vs[i]);
      }
  }
  free (f.oci_version_min);
  free (f.oci_version_max);
  return ret;
}
