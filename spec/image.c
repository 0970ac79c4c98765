/* Field tables and API for the image-spec documents.  */
#include "spec/image.h"

#include "spec/json-desc.h"

static const spec_field_t platform_fields[] = {
  SPEC_F (spec_platform_t, architecture, "architecture", SPEC_STRING, NULL),
  SPEC_F (spec_platform_t, os, "os", SPEC_STRING, NULL),
  SPEC_F (spec_platform_t, os_version, "os.version", SPEC_STRING, NULL),
  SPEC_FA (spec_platform_t, os_features, "os.features", SPEC_STRV, NULL),
  SPEC_F (spec_platform_t, variant, "variant", SPEC_STRING, NULL),
  SPEC_FA (spec_platform_t, features, "features", SPEC_STRV, NULL),
};
static SPEC_TYPE (platform_type, spec_platform_t, platform_fields);

static const spec_field_t descriptor_fields[] = {
  SPEC_FR (spec_descriptor_t, media_type, "mediaType", SPEC_STRING, NULL),
  SPEC_FR (spec_descriptor_t, digest, "digest", SPEC_STRING, NULL),
  SPEC_FR (spec_descriptor_t, size, "size", SPEC_I64, NULL),
  SPEC_FA (spec_descriptor_t, urls, "urls", SPEC_STRV, NULL),
  SPEC_FA (spec_descriptor_t, annotations, "annotations", SPEC_KV, NULL),
  SPEC_F (spec_descriptor_t, data, "data", SPEC_STRING, NULL),
  SPEC_F (spec_descriptor_t, artifact_type, "artifactType", SPEC_STRING, NULL),
  SPEC_F (spec_descriptor_t, platform, "platform", SPEC_OBJECT, &platform_type),
};
static SPEC_TYPE (descriptor_type, spec_descriptor_t, descriptor_fields);

static const spec_field_t index_fields[] = {
  SPEC_FR (spec_image_index_t, schema_version, "schemaVersion", SPEC_I32, NULL),
  SPEC_F (spec_image_index_t, media_type, "mediaType", SPEC_STRING, NULL),
  SPEC_F (spec_image_index_t, artifact_type, "artifactType", SPEC_STRING, NULL),
  SPEC_FAR (spec_image_index_t, manifests, "manifests", SPEC_ARRAY, &descriptor_type),
  SPEC_F (spec_image_index_t, subject, "subject", SPEC_OBJECT, &descriptor_type),
  SPEC_FA (spec_image_index_t, annotations, "annotations", SPEC_KV, NULL),
};
static SPEC_TYPE (index_type, spec_image_index_t, index_fields);

static const spec_field_t manifest_fields[] = {
  SPEC_FR (spec_image_manifest_t, schema_version, "schemaVersion", SPEC_I32, NULL),
  SPEC_F (spec_image_manifest_t, media_type, "mediaType", SPEC_STRING, NULL),
  SPEC_F (spec_image_manifest_t, artifact_type, "artifactType", SPEC_STRING, NULL),
  SPEC_FR (spec_image_manifest_t, config, "config", SPEC_OBJECT, &descriptor_type),
  SPEC_FAR (spec_image_manifest_t, layers, "layers", SPEC_ARRAY, &descriptor_type),
  SPEC_F (spec_image_manifest_t, subject, "subject", SPEC_OBJECT, &descriptor_type),
  SPEC_FA (spec_image_manifest_t, annotations, "annotations", SPEC_KV, NULL),
};
static SPEC_TYPE (manifest_type, spec_image_manifest_t, manifest_fields);

static const spec_field_t exec_config_fields[] = {
  SPEC_F (spec_image_exec_config_t, user, "User", SPEC_STRING, NULL),
  SPEC_FA (spec_image_exec_config_t, exposed_ports, "ExposedPorts", SPEC_KEYSET, NULL),
  SPEC_FA (spec_image_exec_config_t, env, "Env", SPEC_STRV, NULL),
  SPEC_FA (spec_image_exec_config_t, entrypoint, "Entrypoint", SPEC_STRV, NULL),
  SPEC_FA (spec_image_exec_config_t, cmd, "Cmd", SPEC_STRV, NULL),
  SPEC_FA (spec_image_exec_config_t, volumes, "Volumes", SPEC_KEYSET, NULL),
  SPEC_F (spec_image_exec_config_t, working_dir, "WorkingDir", SPEC_STRING, NULL),
  SPEC_FA (spec_image_exec_config_t, labels, "Labels", SPEC_KV, NULL),
  SPEC_F (spec_image_exec_config_t, stop_signal, "StopSignal", SPEC_STRING, NULL),
  SPEC_F (spec_image_exec_config_t, args_escaped, "ArgsEscaped", SPEC_BOOL, NULL),
};
static SPEC_TYPE (exec_config_type, spec_image_exec_config_t, exec_config_fields);

static const spec_field_t rootfs_fields[] = {
  SPEC_FR (spec_image_rootfs_t, type, "type", SPEC_STRING, NULL),
  /* Not required: Docker omits an empty diff_ids (Go omitempty).  */
  SPEC_FA (spec_image_rootfs_t, diff_ids, "diff_ids", SPEC_STRV, NULL),
};
static SPEC_TYPE (rootfs_type, spec_image_rootfs_t, rootfs_fields);

static const spec_field_t history_fields[] = {
  SPEC_F (spec_image_history_t, created, "created", SPEC_STRING, NULL),
  SPEC_F (spec_image_history_t, created_by, "created_by", SPEC_STRING, NULL),
  SPEC_F (spec_image_history_t, author, "author", SPEC_STRING, NULL),
  SPEC_F (spec_image_history_t, comment, "comment", SPEC_STRING, NULL),
  SPEC_F (spec_image_history_t, empty_layer, "empty_layer", SPEC_BOOL, NULL),
};
static SPEC_TYPE (history_type, spec_image_history_t, history_fields);

static const spec_field_t image_config_fields[] = {
  SPEC_F (spec_image_config_t, created, "created", SPEC_STRING, NULL),
  SPEC_F (spec_image_config_t, author, "author", SPEC_STRING, NULL),
  SPEC_FR (spec_image_config_t, architecture, "architecture", SPEC_STRING, NULL),
  SPEC_FR (spec_image_config_t, os, "os", SPEC_STRING, NULL),
  SPEC_F (spec_image_config_t, os_version, "os.version", SPEC_STRING, NULL),
  SPEC_FA (spec_image_config_t, os_features, "os.features", SPEC_STRV, NULL),
  SPEC_F (spec_image_config_t, variant, "variant", SPEC_STRING, NULL),
  SPEC_F (spec_image_config_t, config, "config", SPEC_OBJECT, &exec_config_type),
  SPEC_FR (spec_image_config_t, rootfs, "rootfs", SPEC_OBJECT, &rootfs_type),
  SPEC_FA (spec_image_config_t, history, "history", SPEC_ARRAY, &history_type),
};
static SPEC_TYPE (image_config_type, spec_image_config_t, image_config_fields);

static const spec_field_t layout_fields[] = {
  SPEC_FR (spec_image_layout_t, image_layout_version, "imageLayoutVersion",
           SPEC_STRING, NULL),
};
static SPEC_TYPE (layout_type, spec_image_layout_t, layout_fields);

/* The same three functions for each top-level document type.  */
#define SPEC_IMAGE_API(prefix, ctype, table)                                  \
  int prefix##_parse (const char *json, size_t len, const char *what,         \
                      ctype **out, mc_error_t *err)                           \
  {                                                                           \
    return spec_parse (&table, json, len, what, (void **) out, err);          \
  }                                                                           \
  int prefix##_generate (const ctype *obj, bool pretty, char **out,           \
                         size_t *len, mc_error_t *err)                        \
  {                                                                           \
    return spec_generate (&table, obj, pretty, out, len, err);                \
  }                                                                           \
  void prefix##_free (ctype *obj)                                             \
  {                                                                           \
    spec_free (&table, obj);                                                  \
  }

SPEC_IMAGE_API (spec_image_index, spec_image_index_t, index_type)
SPEC_IMAGE_API (spec_image_manifest, spec_image_manifest_t, manifest_type)
SPEC_IMAGE_API (spec_image_config, spec_image_config_t, image_config_type)
SPEC_IMAGE_API (spec_image_layout, spec_image_layout_t, layout_type)
SPEC_IMAGE_API (spec_descriptor, spec_descriptor_t, descriptor_type)

void
spec_image_index_freep (spec_image_index_t **index)
{
  spec_image_index_free (*index);
  *index = NULL;
}

void
spec_image_manifest_freep (spec_image_manifest_t **manifest)
{
  spec_image_manifest_free (*manifest);
  *manifest = NULL;
}

void
spec_image_config_freep (spec_image_config_t **config)
{
  spec_image_config_free (*config);
  *config = NULL;
}
