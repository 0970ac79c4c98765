/* OCI image-spec v1.1 documents (and Docker schema2, which has the same
   shape), as typed C structures following the conventions of
   spec/runtime-config.h.  */
#ifndef SPEC_IMAGE_H
#define SPEC_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "spec/runtime-config.h" /* spec_kv_t */

/* ---- media types ---- */

#define SPEC_MEDIA_OCI_DESCRIPTOR "application/vnd.oci.descriptor.v1+json"
#define SPEC_MEDIA_OCI_LAYOUT_HEADER "application/vnd.oci.layout.header.v1+json"
#define SPEC_MEDIA_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define SPEC_MEDIA_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define SPEC_MEDIA_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define SPEC_MEDIA_OCI_EMPTY "application/vnd.oci.empty.v1+json"
#define SPEC_MEDIA_OCI_LAYER_TAR "application/vnd.oci.image.layer.v1.tar"
#define SPEC_MEDIA_OCI_LAYER_GZIP "application/vnd.oci.image.layer.v1.tar+gzip"
#define SPEC_MEDIA_OCI_LAYER_ZSTD "application/vnd.oci.image.layer.v1.tar+zstd"
#define SPEC_MEDIA_OCI_LAYER_NONDIST_TAR \
  "application/vnd.oci.image.layer.nondistributable.v1.tar"
#define SPEC_MEDIA_OCI_LAYER_NONDIST_GZIP \
  "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
#define SPEC_MEDIA_OCI_LAYER_NONDIST_ZSTD \
  "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"

#define SPEC_MEDIA_DOCKER_MANIFEST \
  "application/vnd.docker.distribution.manifest.v2+json"
#define SPEC_MEDIA_DOCKER_MANIFEST_LIST \
  "application/vnd.docker.distribution.manifest.list.v2+json"
#define SPEC_MEDIA_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"
#define SPEC_MEDIA_DOCKER_LAYER_TAR "application/vnd.docker.image.rootfs.diff.tar"
#define SPEC_MEDIA_DOCKER_LAYER_GZIP \
  "application/vnd.docker.image.rootfs.diff.tar.gzip"
#define SPEC_MEDIA_DOCKER_LAYER_ZSTD \
  "application/vnd.docker.image.rootfs.diff.tar.zstd"
#define SPEC_MEDIA_DOCKER_LAYER_FOREIGN \
  "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
/* Schema 1 is obsolete; it is only recognized to be refused clearly.  */
#define SPEC_MEDIA_DOCKER_SCHEMA1 \
  "application/vnd.docker.distribution.manifest.v1+json"
#define SPEC_MEDIA_DOCKER_SCHEMA1_SIGNED \
  "application/vnd.docker.distribution.manifest.v1+prettyjws"

enum spec_media_kind
{
  SPEC_MEDIA_UNKNOWN = 0,
  SPEC_MEDIA_INDEX,    /* OCI index or Docker manifest list: spec_image_index_t */
  SPEC_MEDIA_MANIFEST, /* OCI or Docker schema2 manifest: spec_image_manifest_t */
  SPEC_MEDIA_CONFIG,   /* OCI or Docker image config: spec_image_config_t */
  SPEC_MEDIA_LAYER,    /* a filesystem layer (see spec_media_info_t) */
  SPEC_MEDIA_EMPTY,    /* application/vnd.oci.empty.v1+json ("{}") */
  SPEC_MEDIA_SCHEMA1,  /* Docker schema 1: unsupported */
};

enum spec_compression
{
  SPEC_COMPRESSION_NONE = 0,
  SPEC_COMPRESSION_GZIP,
  SPEC_COMPRESSION_ZSTD,
};

typedef struct spec_media_info
{
  enum spec_media_kind kind;
  bool docker;                       /* a Docker (not OCI) media type */
  enum spec_compression compression; /* layers only */
  bool non_distributable;            /* foreign / non-distributable layer */
} spec_media_info_t;

/* Classify a media type.  Parameters (";charset=...") and case are ignored,
   as a registry's Content-Type may carry them.  `info` may be NULL.  */
enum spec_media_kind spec_media_type_classify (const char *media_type,
                                               spec_media_info_t *info);

/* Accept only "sha256:" + 64 or "sha512:" + 128 lowercase hex digits:
   digests become file names (blobs/sha256/...) and URL parts, so nothing
   else may pass.  NULL is rejected.  */
int spec_digest_validate (const char *digest, mc_error_t *err);

/* ---- documents ---- */

typedef struct spec_platform
{
  char *architecture;
  char *os;
  char *os_version; /* os.version */
  char **os_features; /* os.features */
  size_t os_features_len;
  char *variant;
  char **features;
  size_t features_len;
} spec_platform_t;

typedef struct spec_descriptor
{
  char *media_type; /* mediaType, required */
  char *digest;     /* required; check it with spec_digest_validate() */
  int64_t size;     /* required */
  char **urls;
  size_t urls_len;
  spec_kv_t *annotations;
  size_t annotations_len;
  char *data; /* base64, as in the document */
  char *artifact_type; /* artifactType */
  spec_platform_t *platform;
} spec_descriptor_t;

/* OCI image index, or Docker manifest list.  */
typedef struct spec_image_index
{
  int32_t schema_version; /* schemaVersion, required (2) */
  char *media_type;       /* mediaType */
  char *artifact_type;    /* artifactType */
  spec_descriptor_t *manifests; /* required */
  size_t manifests_len;
  spec_descriptor_t *subject;
  spec_kv_t *annotations;
  size_t annotations_len;
} spec_image_index_t;

/* OCI image manifest, or Docker schema2 manifest.  */
typedef struct spec_image_manifest
{
  int32_t schema_version; /* schemaVersion, required (2) */
  char *media_type;
  char *artifact_type;
  spec_descriptor_t *config; /* required */
  spec_descriptor_t *layers; /* required */
  size_t layers_len;
  spec_descriptor_t *subject;
  spec_kv_t *annotations;
  size_t annotations_len;
} spec_image_manifest_t;

/* The "config" object of an image config: the container defaults.  */
typedef struct spec_image_exec_config
{
  char *user; /* User */
  char **exposed_ports; /* ExposedPorts: {"80/tcp": {}} */
  size_t exposed_ports_len;
  char **env; /* Env */
  size_t env_len;
  char **entrypoint; /* Entrypoint */
  size_t entrypoint_len;
  char **cmd; /* Cmd */
  size_t cmd_len;
  char **volumes; /* Volumes: {"/data": {}} */
  size_t volumes_len;
  char *working_dir; /* WorkingDir */
  spec_kv_t *labels; /* Labels */
  size_t labels_len;
  char *stop_signal; /* StopSignal */
  bool args_escaped; /* ArgsEscaped (Windows) */
} spec_image_exec_config_t;

typedef struct spec_image_rootfs
{
  char *type;     /* required ("layers") */
  char **diff_ids; /* diff_ids */
  size_t diff_ids_len;
} spec_image_rootfs_t;

typedef struct spec_image_history
{
  char *created;
  char *created_by;
  char *author;
  char *comment;
  bool empty_layer;
} spec_image_history_t;

/* OCI image config, or Docker image config (a superset: Docker-only keys
   are ignored).  */
typedef struct spec_image_config
{
  char *created; /* RFC 3339 */
  char *author;
  char *architecture; /* required */
  char *os;           /* required */
  char *os_version;   /* os.version */
  char **os_features; /* os.features */
  size_t os_features_len;
  char *variant;
  spec_image_exec_config_t *config;
  spec_image_rootfs_t *rootfs; /* required */
  spec_image_history_t *history;
  size_t history_len;
} spec_image_config_t;

/* The oci-layout file of an image layout directory.  */
typedef struct spec_image_layout
{
  char *image_layout_version; /* imageLayoutVersion, required ("1.0.0") */
} spec_image_layout_t;

int spec_image_index_parse (const char *json, size_t len, const char *what,
                            spec_image_index_t **out, mc_error_t *err);
int spec_image_index_generate (const spec_image_index_t *index, bool pretty,
                               char **out, size_t *len, mc_error_t *err);
void spec_image_index_free (spec_image_index_t *index);

int spec_image_manifest_parse (const char *json, size_t len, const char *what,
                               spec_image_manifest_t **out, mc_error_t *err);
int spec_image_manifest_generate (const spec_image_manifest_t *manifest,
                                  bool pretty, char **out, size_t *len,
                                  mc_error_t *err);
void spec_image_manifest_free (spec_image_manifest_t *manifest);

int spec_image_config_parse (const char *json, size_t len, const char *what,
                             spec_image_config_t **out, mc_error_t *err);
int spec_image_config_generate (const spec_image_config_t *config, bool pretty,
                                char **out, size_t *len, mc_error_t *err);
void spec_image_config_free (spec_image_config_t *config);

int spec_image_layout_parse (const char *json, size_t len, const char *what,
                             spec_image_layout_t **out, mc_error_t *err);
int spec_image_layout_generate (const spec_image_layout_t *layout, bool pretty,
                                char **out, size_t *len, mc_error_t *err);
void spec_image_layout_free (spec_image_layout_t *layout);

/* A single descriptor document (e.g. the output of `mcimg inspect`).  */
int spec_descriptor_parse (const char *json, size_t len, const char *what,
                           spec_descriptor_t **out, mc_error_t *err);
int spec_descriptor_generate (const spec_descriptor_t *desc, bool pretty,
                              char **out, size_t *len, mc_error_t *err);
void spec_descriptor_free (spec_descriptor_t *desc);

#define cleanup_image_index __attribute__ ((cleanup (spec_image_index_freep)))
#define cleanup_image_manifest __attribute__ ((cleanup (spec_image_manifest_freep)))
#define cleanup_image_config __attribute__ ((cleanup (spec_image_config_freep)))
void spec_image_index_freep (spec_image_index_t **index);
void spec_image_manifest_freep (spec_image_manifest_t **manifest);
void spec_image_config_freep (spec_image_config_t **config);

#endif
