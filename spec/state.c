/* Field tables and API for the runtime state document and the features
   document (runtime-spec v1.2 state.md and features.md).  */
#include "spec/state.h"

#include "spec/json-desc.h"

static const spec_field_t state_fields[] = {
  SPEC_FR (spec_state_t, oci_version, "ociVersion", SPEC_STRING, NULL),
  SPEC_FR (spec_state_t, id, "id", SPEC_STRING, NULL),
  SPEC_FR (spec_state_t, status, "status", SPEC_STRING, NULL),
  SPEC_FO (spec_state_t, pid, "pid", SPEC_I32),
  SPEC_FR (spec_state_t, bundle, "bundle", SPEC_STRING, NULL),
  SPEC_FA (spec_state_t, annotations, "annotations", SPEC_KV, NULL),
};
static SPEC_TYPE (state_type, spec_state_t, state_fields);

int
spec_state_parse (const char *json, size_t len, const char *what,
                  spec_state_t **out, mc_error_t *err)
{
  return spec_parse (&state_type, json, len, what, (void **) out, err);
}

int
spec_state_generate (const spec_state_t *state, bool pretty, char **out,
                     size_t *len, mc_error_t *err)
{
  return spec_generate (&state_type, state, pretty, out, len, err);
}

void
spec_state_free (spec_state_t *state)
{
  spec_free (&state_type, state);
}

/* ---- features ---- */

static const spec_field_t features_cgroup_fields[] = {
  SPEC_FO (spec_features_cgroup_t, v1, "v1", SPEC_BOOL),
  SPEC_FO (spec_features_cgroup_t, v2, "v2", SPEC_BOOL),
  SPEC_FO (spec_features_cgroup_t, systemd, "systemd", SPEC_BOOL),
  SPEC_FO (spec_features_cgroup_t, systemd_user, "systemdUser", SPEC_BOOL),
  SPEC_FO (spec_features_cgroup_t, rdma, "rdma", SPEC_BOOL),
};
static SPEC_TYPE (features_cgroup_type, spec_features_cgroup_t, features_cgroup_fields);

static const spec_field_t features_seccomp_fields[] = {
  SPEC_FO (spec_features_seccomp_t, enabled, "enabled", SPEC_BOOL),
  SPEC_FA (spec_features_seccomp_t, actions, "actions", SPEC_STRV, NULL),
  SPEC_FA (spec_features_seccomp_t, operators, "operators", SPEC_STRV, NULL),
  SPEC_FA (spec_features_seccomp_t, archs, "archs", SPEC_STRV, NULL),
  SPEC_FA (spec_features_seccomp_t, known_flags, "knownFlags", SPEC_STRV, NULL),
  SPEC_FA (spec_features_seccomp_t, supported_flags, "supportedFlags", SPEC_STRV, NULL),
};
static SPEC_TYPE (features_seccomp_type, spec_features_seccomp_t, features_seccomp_fields);

static const spec_field_t features_enabled_fields[] = {
  SPEC_FO (spec_features_enabled_t, enabled, "enabled", SPEC_BOOL),
};
static SPEC_TYPE (features_enabled_type, spec_features_enabled_t, features_enabled_fields);

static const spec_field_t features_mount_extensions_fields[] = {
  SPEC_F (spec_features_mount_extensions_t, idmap, "idmap", SPEC_OBJECT,
          &features_enabled_type),
};
static SPEC_TYPE (features_mount_extensions_type, spec_features_mount_extensions_t,
                  features_mount_extensions_fields);

static const spec_field_t features_linux_fields[] = {
  SPEC_FA (spec_features_linux_t, namespaces, "namespaces", SPEC_STRV, NULL),
  SPEC_FA (spec_features_linux_t, capabilities, "capabilities", SPEC_STRV, NULL),
  SPEC_F (spec_features_linux_t, cgroup, "cgroup", SPEC_OBJECT, &features_cgroup_type),
  SPEC_F (spec_features_linux_t, seccomp, "seccomp", SPEC_OBJECT, &features_seccomp_type),
  SPEC_F (spec_features_linux_t, apparmor, "apparmor", SPEC_OBJECT, &features_enabled_type),
  SPEC_F (spec_features_linux_t, selinux, "selinux", SPEC_OBJECT, &features_enabled_type),
  SPEC_F (spec_features_linux_t, intel_rdt, "intelRdt", SPEC_OBJECT, &features_enabled_type),
  SPEC_F (spec_features_linux_t, mount_extensions, "mountExtensions", SPEC_OBJECT,
          &features_mount_extensions_type),
};
static SPEC_TYPE (features_linux_type, spec_features_linux_t, features_linux_fields);

static const spec_field_t features_fields[] = {
  SPEC_FR (spec_features_t, oci_version_min, "ociVersionMin", SPEC_STRING, NULL),
  SPEC_FR (spec_features_t, oci_version_max, "ociVersionMax", SPEC_STRING, NULL),
  SPEC_FA (spec_features_t, hooks, "hooks", SPEC_STRV, NULL),
  SPEC_FA (spec_features_t, mount_options, "mountOptions", SPEC_STRV, NULL),
  SPEC_F (spec_features_t, linux_, "linux", SPEC_OBJECT, &features_linux_type),
  SPEC_FA (spec_features_t, annotations, "annotations", SPEC_KV, NULL),
  SPEC_FA (spec_features_t, potentially_unsafe_config_annotations,
           "potentiallyUnsafeConfigAnnotations", SPEC_STRV, NULL),
};
static SPEC_TYPE (features_type, spec_features_t, features_fields);

int
spec_features_parse (const char *json, size_t len, const char *what,
                     spec_features_t **out, mc_error_t *err)
{
  return spec_parse (&features_type, json, len, what, (void **) out, err);
}

int
spec_features_generate (const spec_features_t *f, bool pretty, char **out,
                        size_t *len, mc_error_t *err)
{
  return spec_generate (&features_type, f, pretty, out, len, err);
}

void
spec_features_free (spec_features_t *f)
{
  spec_free (&features_type, f);
}
