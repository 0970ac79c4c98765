/* The runtime-spec state (what `state` prints and hooks read on stdin) and
   the features document (`minirun features`).  */
#ifndef SPEC_STATE_H
#define SPEC_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "spec/runtime-config.h"

typedef struct spec_state
{
  char *oci_version; /* ociVersion */
  char *id;
  char *status; /* creating | created | running | stopped (| paused) */
  int32_t pid;
  bool has_pid;
  char *bundle;
  spec_kv_t *annotations;
  size_t annotations_len;
} spec_state_t;

int spec_state_parse (const char *json, size_t len, const char *what,
                      spec_state_t **out, mc_error_t *err);
int spec_state_generate (const spec_state_t *state, bool pretty, char **out,
                         size_t *len, mc_error_t *err);
void spec_state_free (spec_state_t *state);

typedef struct spec_features_cgroup
{
  bool v1, has_v1;
  bool v2, has_v2;
  bool systemd, has_systemd;
  bool systemd_user, has_systemd_user; /* systemdUser */
  bool rdma, has_rdma;
} spec_features_cgroup_t;

typedef struct spec_features_seccomp
{
  bool enabled, has_enabled;
  char **actions;
  size_t actions_len;
  char **operators;
  size_t operators_len;
  char **archs;
  size_t archs_len;
  char **known_flags; /* knownFlags */
  size_t known_flags_len;
  char **supported_flags; /* supportedFlags */
  size_t supported_flags_len;
} spec_features_seccomp_t;

typedef struct spec_features_enabled
{
  bool enabled, has_enabled;
} spec_features_enabled_t;

typedef struct spec_features_mount_extensions
{
  spec_features_enabled_t *idmap;
} spec_features_mount_extensions_t;

typedef struct spec_features_linux
{
  char **namespaces;
  size_t namespaces_len;
  char **capabilities;
  size_t capabilities_len;
  spec_features_cgroup_t *cgroup;
  spec_features_seccomp_t *seccomp;
  spec_features_enabled_t *apparmor;
  spec_features_enabled_t *selinux;
  spec_features_enabled_t *intel_rdt; /* intelRdt */
  spec_features_mount_extensions_t *mount_extensions; /* mountExtensions */
} spec_features_linux_t;

typedef struct spec_features
{
  char *oci_version_min; /* ociVersionMin */
  char *oci_version_max; /* ociVersionMax */
  char **hooks;
  size_t hooks_len;
  char **mount_options; /* mountOptions */
  size_t mount_options_len;
  spec_features_linux_t *linux_;
  spec_kv_t *annotations;
  size_t annotations_len;
  char **potentially_unsafe_config_annotations; /* potentiallyUnsafeConfigAnnotations */
  size_t potentially_unsafe_config_annotations_len;
} spec_features_t;

int spec_features_generate (const spec_features_t *f, bool pretty, char **out,
                            size_t *len, mc_error_t *err);
int spec_features_parse (const char *json, size_t len, const char *what,
                         spec_features_t **out, mc_error_t *err);
void spec_features_free (spec_features_t *f);

#endif
