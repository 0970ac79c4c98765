/* Image-spec documents, media types and digests.  */
#include "tests/unit/spec-test-util.h"

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "spec/image.h"

#define SHA256_EMPTY \
  "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void
check_docker_manifest (const spec_image_manifest_t *m)
{
  cleanup_error mc_error_t err = NULL;

  assert_int_equal (m->schema_version, 2);
  assert_string_equal (m->media_type, SPEC_MEDIA_DOCKER_MANIFEST);
  assert_null (m->artifact_type);
  assert_non_null (m->config);
  assert_string_equal (m->config->media_type, SPEC_MEDIA_DOCKER_CONFIG);
  assert_int_equal (m->config->size, 1457);
  assert_string_equal (m->config->digest,
                       "sha256:9c7a54a9a43cca047013b82af109fe963fde787f63f9e016fdc3384500c2823d");
  assert_int_equal (m->layers_len, 3);
  assert_string_equal (m->layers[0].media_type, SPEC_MEDIA_DOCKER_LAYER_GZIP);
  assert_int_equal (m->layers[0].size, 2127845);
  /* A required size of 0 (the empty blob) is kept.  */
  assert_int_equal (m->layers[1].size, 0);
  assert_string_equal (m->layers[1].digest, SHA256_EMPTY);
  assert_string_equal (m->layers[2].media_type, SPEC_MEDIA_DOCKER_LAYER_FOREIGN);
  assert_int_equal (m->layers[2].urls_len, 1);
  assert_string_equal (m->layers[2].urls[0],
                       "https://mcr.microsoft.com/v2/windows/servercore/blobs/"
                       "sha256:d6cc04ab0f2ac1e1c1b2f24e4b4c8f0d0e0c5ee1d6e9a3d3a2c1f5b6a7e8d9c0");
  assert_null (m->subject);
  assert_null (m->annotations);
  assert_ok (spec_digest_validate (m->config->digest, &err), err);
  for (size_t i = 0; i < m->layers_len; i++)
    assert_ok (spec_digest_validate (m->layers[i].digest, &err), err);
}

static void
test_docker_manifest (void **state)
{
  size_t len;
  cleanup_free char *text = test_read_data ("docker-manifest.json", &len);
  cleanup_image_manifest spec_image_manifest_t *m = NULL;
  cleanup_image_manifest spec_image_manifest_t *again = NULL;
  cleanup_error mc_error_t err = NULL;
  cleanup_free char *out = NULL;
  cleanup_free char *out2 = NULL;

  assert_ok (spec_image_manifest_parse (text, len, "manifest", &m, &err), err);
  check_docker_manifest (m);
  assert_int_equal (spec_media_type_classify (m->media_type, NULL), SPEC_MEDIA_MANIFEST);
  assert_ok (spec_image_manifest_generate (m, false, &out, NULL, &err), err);
  assert_ok (spec_image_manifest_parse (out, strlen (out), "manifest", &again, &err), err);
  check_docker_manifest (again);
  assert_ok (spec_image_manifest_generate (again, false, &out2, NULL, &err), err);
  assert_string_equal (out, out2);
  assert_non_null (strstr (out, "{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
                                "\"digest\":\"" SHA256_EMPTY "\",\"size\":0}"));
}

static void
check_oci_index (const spec_image_index_t *idx)
{
  assert_int_equal (idx->schema_version, 2);
  assert_string_equal (idx->media_type, SPEC_MEDIA_OCI_INDEX);
  assert_int_equal (idx->manifests_len, 4);
  assert_string_equal (idx->manifests[0].platform->architecture, "amd64");
  assert_string_equal (idx->manifests[0].platform->os, "linux");
  assert_null (idx->manifests[0].platform->variant);
  assert_string_equal (idx->manifests[1].platform->architecture, "arm64");
  assert_string_equal (idx->manifests[1].platform->variant, "v8");
  assert_int_equal (idx->manifests[1].size, 1025);
  assert_string_equal (idx->manifests[2].platform->os, "windows");
  assert_string_equal (idx->manifests[2].platform->os_version, "10.0.17763.5820");
  assert_int_equal (idx->manifests[2].platform->os_features_len, 1);
  assert_string_equal (idx->manifests[2].platform->os_features[0], "win32k");
  assert_int_equal (idx->manifests[2].platform->features_len, 1);
  assert_string_equal (idx->manifests[2].platform->features[0], "sse4");
  assert_int_equal (idx->manifests[3].annotations_len, 2);
  assert_string_equal (idx->manifests[3].annotations[1].key, "vnd.docker.reference.type");
  assert_string_equal (idx->manifests[3].annotations[1].value, "attestation-manifest");
  assert_non_null (idx->subject);
  assert_int_equal (idx->subject->size, 7682);
  assert_string_equal (idx->subject->artifact_type, "application/vnd.example.sbom.v1");
  assert_int_equal (idx->annotations_len, 2);
  assert_string_equal (idx->annotations[0].key, "org.opencontainers.image.ref.name");
  assert_string_equal (idx->annotations[0].value, "1.36");
}

static void
test_oci_index (void **state)
{
  size_t len;
  cleanup_free char *text = test_read_data ("oci-index.json", &len);
  cleanup_image_index spec_image_index_t *idx = NULL;
  cleanup_image_index spec_image_index_t *again = NULL;
  cleanup_error mc_error_t err = NULL;
  cleanup_free char *out = NULL;
  cleanup_free char *out2 = NULL;

  assert_ok (spec_image_index_parse (text, len, "index.json", &idx, &err), err);
  check_oci_index (idx);
  for (size_t i = 0; i < idx->manifests_len; i++)
    assert_ok (spec_digest_validate (idx->manifests[i].digest, &err), err);
  assert_ok (spec_digest_validate (idx->subject->digest, &err), err);
  assert_ok (spec_image_index_generate (idx, true, &out, NULL, &err), err);
  assert_ok (spec_image_index_parse (out, strlen (out), "index.json", &again, &err), err);
  check_oci_index (again);
  assert_ok (spec_image_index_generate (again, true, &out2, NULL, &err), err);
  assert_string_equal (out, out2);
  assert_non_null (strstr (out, "\n\t\t\t\t\"os.features\": [\n\t\t\t\t\t\"win32k\"\n\t\t\t\t],\n"));
}

/* An index may be empty ("manifests": [] is required, not optional).  */
static void
test_empty_index (void **state)
{
  const char *json = "{\"schemaVersion\":2,\"manifests\":[]}";
  spec_image_index_t *idx = NULL;
  spec_image_index_t built = { .schema_version = 2 };
  cleanup_error mc_error_t err = NULL;
  char *out = NULL;

  assert_ok (spec_image_index_parse (json, strlen (json), "index.json", &idx, &err), err);
  assert_int_equal (idx->manifests_len, 0);
  assert_ok (spec_image_index_generate (idx, false, &out, NULL, &err), err);
  assert_string_equal (out, json);
  free (out);
  spec_image_index_free (idx);

  /* Built by code with a NULL array: still written as [].  */
  assert_ok (spec_image_index_generate (&built, false, &out, NULL, &err), err);
  assert_string_equal (out, json);
  free (out);
}

static void
check_image_config (const spec_image_config_t *c)
{
  const spec_image_exec_config_t *x = c->config;

  assert_string_equal (c->created, "2024-05-01T12:00:00.123456789Z");
  assert_string_equal (c->author, "Jane Doe <jane@example.org>");
  assert_string_equal (c->architecture, "arm64");
  assert_string_equal (c->variant, "v8");
  assert_string_equal (c->os, "linux");
  assert_null (c->os_version);
  assert_non_null (x);
  assert_string_equal (x->user, "www-data:www-data");
  assert_int_equal (x->exposed_ports_len, 3);
  assert_string_equal (x->exposed_ports[0], "80/tcp");
  assert_string_equal (x->exposed_ports[1], "443/tcp");
  assert_string_equal (x->exposed_ports[2], "53/udp");
  assert_null (x->exposed_ports[3]);
  assert_int_equal (x->env_len, 2);
  assert_string_equal (x->env[1], "NGINX_VERSION=1.25.5");
  assert_int_equal (x->entrypoint_len, 1);
  assert_string_equal (x->entrypoint[0], "/docker-entrypoint.sh");
  assert_int_equal (x->cmd_len, 3);
  assert_string_equal (x->cmd[2], "daemon off;");
  assert_null (x->cmd[3]);
  assert_int_equal (x->volumes_len, 2);
  assert_string_equal (x->volumes[0], "/var/cache/nginx");
  assert_string_equal (x->volumes[1], "/var/log/nginx");
  assert_string_equal (x->working_dir, "/usr/share/nginx/html");
  assert_int_equal (x->labels_len, 2);
  assert_string_equal (x->labels[0].key, "maintainer");
  assert_string_equal (x->labels[0].value, "NGINX Docker Maintainers <docker-maint@nginx.com>");
  assert_string_equal (x->stop_signal, "SIGQUIT");
  assert_true (x->args_escaped);
  assert_non_null (c->rootfs);
  assert_string_equal (c->rootfs->type, "layers");
  assert_int_equal (c->rootfs->diff_ids_len, 2);
  assert_string_equal (c->rootfs->diff_ids[0],
                       "sha256:5d4427064ecc46e3c2add169e9b5eafc7ed2be7861081ec925938ab628ac0e25");
  assert_int_equal (c->history_len, 3);
  assert_string_equal (c->history[0].created_by, "/bin/sh -c #(nop) ADD file:1c2f3e in / ");
  assert_false (c->history[0].empty_layer);
  assert_true (c->history[1].empty_layer);
  assert_string_equal (c->history[1].created_by, "/bin/sh -c #(nop)  CMD [\"bash\"]");
  assert_string_equal (c->history[2].author, "Jane Doe");
  assert_string_equal (c->history[2].comment, "buildkit.dockerfile.v0");
}

static void
test_image_config (void **state)
{
  size_t len;
  cleanup_free char *text = test_read_data ("image-config.json", &len);
  cleanup_image_config spec_image_config_t *c = NULL;
  cleanup_image_config spec_image_config_t *again = NULL;
  cleanup_error mc_error_t err = NULL;
  cleanup_free char *out = NULL;
  cleanup_free char *out2 = NULL;

  assert_ok (spec_image_config_parse (text, len, "config", &c, &err), err);
  check_image_config (c);
  assert_ok (spec_image_config_generate (c, false, &out, NULL, &err), err);
  assert_ok (spec_image_config_parse (out, strlen (out), "config", &again, &err), err);
  check_image_config (again);
  assert_ok (spec_image_config_generate (again, false, &out2, NULL, &err), err);
  assert_string_equal (out, out2);
  /* Key sets are written back as Go's map[string]struct{}; Docker-only
     keys (Healthcheck, container) are dropped.  */
  assert_non_null (strstr (out, "\"ExposedPorts\":{\"80/tcp\":{},\"443/tcp\":{},\"53/udp\":{}}"));
  assert_non_null (strstr (out, "\"Volumes\":{\"/var/cache/nginx\":{},\"/var/log/nginx\":{}}"));
  assert_null (strstr (out, "Healthcheck"));
  assert_null (strstr (out, "docker_version"));
}

static void
test_layout (void **state)
{
  const char *json = "{\"imageLayoutVersion\": \"1.0.0\"}";
  spec_image_layout_t *layout = NULL;
  cleanup_error mc_error_t err = NULL;
  cleanup_free char *out = NULL;

  assert_ok (spec_image_layout_parse (json, strlen (json), "oci-layout", &layout, &err), err);
  assert_string_equal (layout->image_layout_version, "1.0.0");
  assert_ok (spec_image_layout_generate (layout, false, &out, NULL, &err), err);
  assert_string_equal (out, "{\"imageLayoutVersion\":\"1.0.0\"}");
  spec_image_layout_free (layout);
  assert_int_equal (spec_image_layout_parse ("{}", 2, "oci-layout", &layout, &err), -1);
  assert_error (err, "oci-layout: missing required field \"imageLayoutVersion\"");
}

static void
test_image_errors (void **state)
{
  spec_image_manifest_t *m = NULL;
  spec_image_index_t *idx = NULL;
  spec_image_config_t *c = NULL;
  mc_error_t err = NULL;
  const char *j;

  j = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" SHA256_EMPTY "\"},\"layers\":[]}";
  assert_int_equal (spec_image_manifest_parse (j, strlen (j), "manifest", &m, &err), -1);
  assert_error (err, "manifest: .config: missing required field \"size\"");
  j = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"x\",\"digest\":\"" SHA256_EMPTY "\",\"size\":0}}";
  assert_int_equal (spec_image_manifest_parse (j, strlen (j), "manifest", &m, &err), -1);
  assert_error (err, "manifest: missing required field \"layers\"");
  j = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"d\",\"size\":1,"
      "\"platform\":{\"os.features\":\"win32k\"}}]}";
  assert_int_equal (spec_image_index_parse (j, strlen (j), "index.json", &idx, &err), -1);
  assert_error (err, "index.json: .manifests[0].platform.os.features: expected an array, got a string");
  j = "{\"schemaVersion\":\"2\",\"manifests\":[]}";
  assert_int_equal (spec_image_index_parse (j, strlen (j), "index.json", &idx, &err), -1);
  assert_error (err, "index.json: .schemaVersion: expected an integer, got a string");
  j = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"},"
      "\"config\":{\"ExposedPorts\":{\"80/tcp\":[]}}}";
  assert_int_equal (spec_image_config_parse (j, strlen (j), "config", &c, &err), -1);
  assert_error (err, "config: .config.ExposedPorts[\"80/tcp\"]: expected an object, got an array");
  j = "{\"architecture\":\"amd64\",\"os\":\"linux\"}";
  assert_int_equal (spec_image_config_parse (j, strlen (j), "config", &c, &err), -1);
  assert_error (err, "config: missing required field \"rootfs\"");
  j = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"},"
      "\"history\":[{\"empty_layer\":1}]}";
  assert_int_equal (spec_image_config_parse (j, strlen (j), "config", &c, &err), -1);
  assert_error (err, "config: .history[0].empty_layer: expected a boolean, got a number");
  assert_null (m);
  assert_null (idx);
  assert_null (c);

  /* Docker writes "rootfs" without diff_ids for a scratch image, and null
     for an empty key set.  */
  j = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"},"
      "\"config\":{\"Volumes\":{\"/v\":null}}}";
  assert_ok (spec_image_config_parse (j, strlen (j), "config", &c, &err), err);
  assert_int_equal (c->rootfs->diff_ids_len, 0);
  assert_string_equal (c->config->volumes[0], "/v");
  spec_image_config_free (c);
}

static void
test_media_types (void **state)
{
  spec_media_info_t info;

  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_OCI_INDEX, &info), SPEC_MEDIA_INDEX);
  assert_false (info.docker);
  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_DOCKER_MANIFEST_LIST, &info),
                    SPEC_MEDIA_INDEX);
  assert_true (info.docker);
  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_OCI_MANIFEST, NULL), SPEC_MEDIA_MANIFEST);
  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_DOCKER_MANIFEST, &info),
                    SPEC_MEDIA_MANIFEST);
  assert_true (info.docker);
  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_OCI_CONFIG, NULL), SPEC_MEDIA_CONFIG);
  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_DOCKER_CONFIG, NULL), SPEC_MEDIA_CONFIG);
  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_OCI_EMPTY, NULL), SPEC_MEDIA_EMPTY);

  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_OCI_LAYER_TAR, &info), SPEC_MEDIA_LAYER);
  assert_int_equal (info.compression, SPEC_COMPRESSION_NONE);
  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_OCI_LAYER_GZIP, &info), SPEC_MEDIA_LAYER);
  assert_int_equal (info.compression, SPEC_COMPRESSION_GZIP);
  assert_false (info.non_distributable);
  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_OCI_LAYER_ZSTD, &info), SPEC_MEDIA_LAYER);
  assert_int_equal (info.compression, SPEC_COMPRESSION_ZSTD);
  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_OCI_LAYER_NONDIST_ZSTD, &info),
                    SPEC_MEDIA_LAYER);
  assert_true (info.non_distributable);
  assert_int_equal (info.compression, SPEC_COMPRESSION_ZSTD);
  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_DOCKER_LAYER_GZIP, &info), SPEC_MEDIA_LAYER);
  assert_true (info.docker);
  assert_int_equal (info.compression, SPEC_COMPRESSION_GZIP);
  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_DOCKER_LAYER_FOREIGN, &info),
                    SPEC_MEDIA_LAYER);
  assert_true (info.non_distributable);
  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_DOCKER_LAYER_ZSTD, &info), SPEC_MEDIA_LAYER);
  assert_int_equal (info.compression, SPEC_COMPRESSION_ZSTD);
  assert_int_equal (spec_media_type_classify (SPEC_MEDIA_DOCKER_SCHEMA1_SIGNED, NULL),
                    SPEC_MEDIA_SCHEMA1);

  /* Content-Type style: parameters and case do not matter.  */
  assert_int_equal (spec_media_type_classify (
                        "application/vnd.OCI.image.manifest.v1+json ; charset=utf-8", NULL),
                    SPEC_MEDIA_MANIFEST);
  assert_int_equal (spec_media_type_classify ("application/vnd.oci.image.manifest.v1+jsonx", &info),
                    SPEC_MEDIA_UNKNOWN);
  assert_int_equal (info.kind, SPEC_MEDIA_UNKNOWN);
  assert_int_equal (spec_media_type_classify ("application/vnd.oci.image.manifest.v1", NULL),
                    SPEC_MEDIA_UNKNOWN);
  assert_int_equal (spec_media_type_classify ("", NULL), SPEC_MEDIA_UNKNOWN);
  assert_int_equal (spec_media_type_classify (NULL, &info), SPEC_MEDIA_UNKNOWN);
}

static void
test_digests (void **state)
{
  static const char *const good[] = {
    SHA256_EMPTY,
    "sha256:0000000000000000000000000000000000000000000000000000000000000000",
    "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
  };
  static const struct
  {
    const char *digest;
    const char *msg;
  } bad[] = {
    { "", "invalid digest \"\"" },
    { "sha256:", "invalid digest \"sha256:\"" },
    { "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
      "invalid digest \"sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\"" },
    { SHA256_EMPTY "0", "invalid digest \"" SHA256_EMPTY "0\"" },
    { "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
      "invalid digest \"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85\"" },
    { "sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "invalid digest \"sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"" },
    { "sha256:../../../../etc/passwd", "invalid digest \"sha256:../../../../etc/passwd\"" },
    { "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85/",
      "invalid digest \"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85/\"" },
    { "SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "invalid digest \"SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"" },
    { "sha384:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "invalid digest \"sha384:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"" },
    { "sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "invalid digest \"sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"" },
    { "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "invalid digest \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"" },
    { "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85\n",
      "invalid digest \"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85\\u000a\"" },
    { "sha256:\x1b[31mred", "invalid digest \"sha256:\\u001b[31mred\"" },
  };
  static const char suffix[]
    = ": expected \"sha256:\" and 64 or \"sha512:\" and 128 lowercase hex digits";
  mc_error_t err = NULL;

  for (size_t i = 0; i < sizeof (good) / sizeof (good[0]); i++)
    assert_ok (spec_digest_validate (good[i], &err), err);
  for (size_t i = 0; i < sizeof (bad) / sizeof (bad[0]); i++)
    {
      cleanup_free char *expected = xasprintf ("%s%s", bad[i].msg, suffix);

      assert_int_equal (spec_digest_validate (bad[i].digest, &err), -1);
      assert_error (err, expected);
    }
  assert_int_equal (spec_digest_validate (NULL, &err), -1);
  assert_error (err, "missing digest");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_docker_manifest),
    cmocka_unit_test (test_oci_index),
    cmocka_unit_test (test_empty_index),
    cmocka_unit_test (test_image_config),
    cmocka_unit_test (test_layout),
    cmocka_unit_test (test_image_errors),
    cmocka_unit_test (test_media_types),
    cmocka_unit_test (test_digests),
  };

  return cmocka_run_group_tests_name ("spec-image", tests, NULL, NULL);
}
