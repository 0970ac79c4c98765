/* index.json manipulation of the store (imagetool/lib/store-index.c) and
   the store's own read-modify-write of index.json.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/store.h"

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"

static spec_image_index_t *
parse_index (const char *json)
{
  spec_image_index_t *index = NULL;
  mc_error_t err = NULL;

  assert_int_equal (spec_image_index_parse (json, strlen (json), "test",
                                            &index, &err), 0);
  return index;
}

static spec_descriptor_t
manifest_desc (const char *digest)
{
  return (spec_descriptor_t) { .media_type = (char *) SPEC_MEDIA_OCI_MANIFEST,
                               .digest = (char *) digest, .size = 123 };
}

static void
test_set_appends_and_replaces (void **state)
{
  cleanup_image_index spec_image_index_t *index
      = parse_index ("{\"schemaVersion\":2,\"manifests\":[]}");
  spec_descriptor_t d1 = manifest_desc (D1), d2 = manifest_desc (D2);
  (void) state;

  mcimg_index_set (index, "docker.io/library/alpine:latest", &d1);
  mcimg_index_set (index, "127.0.0.1:5000/app:v1", &d1);
  assert_int_equal (index->manifests_len, 2);
  assert_int_equal (mcimg_index_find (index, "127.0.0.1:5000/app:v1"), 1);
  assert_string_equal (
      mcimg_descriptor_annotation (&index->manifests[0],
                                   MCIMG_ANNOTATION_REF_NAME),
      "docker.io/library/alpine:latest");

  /* Same name again: replaced in place, not duplicated.  */
  mcimg_index_set (index, "docker.io/library/alpine:latest", &d2);
  assert_int_equal (index->manifests_len, 2);
  assert_string_equal (index->manifests[0].digest, D2);
  assert_int_equal (index->manifests[0].size, 123);
  assert_int_equal (index->manifests[0].annotations_len, 1);
  assert_int_equal (mcimg_index_find (index, "nope:latest"), -1);
}

static void
test_set_keeps_other_annotations (void **state)
{
  cleanup_image_index spec_image_index_t *index = parse_index (
      "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
      SPEC_MEDIA_OCI_MANIFEST "\",\"digest\":\"" D1 "\",\"size\":5,"
      "\"annotations\":{\"org.opencontainers.image.ref.name\":\"a:1\","
      "\"x\":\"y\"}}]}");
  (void) state;

  /* Tagging copies the entry (annotations included) under a new name.  */
  mcimg_index_set (index, "b:2", &index->manifests[0]);
  assert_int_equal (index->manifests_len, 2);
  assert_string_equal (mcimg_descriptor_annotation (&index->manifests[1], "x"),
                       "y");
  assert_string_equal (mcimg_descriptor_annotation (
                           &index->manifests[1], MCIMG_ANNOTATION_REF_NAME),
                       "b:2");
  assert_string_equal (mcimg_descriptor_annotation (
                           &index->manifests[0], MCIMG_ANNOTATION_REF_NAME),
                       "a:1");
}

static void
test_remove (void **state)
{
  cleanup_image_index spec_image_index_t *index
      = parse_index ("{\"schemaVersion\":2,\"manifests\":[]}");
  spec_descriptor_t d1 = manifest_desc (D1), d2 = manifest_desc (D2);
  mc_error_t err = NULL;
  (void) state;

  mcimg_index_set (index, "a:1", &d1);
  mcimg_index_set (index, "b:1", &d2);
  mcimg_index_set (index, "c:1", &d1);
  assert_int_equal (mcimg_index_remove (index, "b:1", &err), 0);
  assert_int_equal (index->manifests_len, 2);
  assert_int_equal (mcimg_index_find (index, "c:1"), 1);
  assert_true (mcimg_index_remove (index, "b:1", &err) < 0);
  assert_non_null (strstr (err->msg, "not in the store"));
  mc_error_release (&err);
  assert_int_equal (mcimg_index_remove (index, "a:1", &err), 0);
  assert_int_equal (mcimg_index_remove (index, "c:1", &err), 0);
  assert_int_equal (index->manifests_len, 0);
}

static int
add_entry (spec_image_index_t *index, void *data, mc_error_t *err)
{
  spec_descriptor_t d = manifest_desc (D1);
  (void) err;
  mcimg_index_set (index, data, &d);
  return 0;
}

static int
fail_edit (spec_image_index_t *index, void *data, mc_error_t *err)
{
  (void) data;
  mcimg_index_set (index, "never:written", &index->manifests[0]);
  return mc_error_make (err, 0, "refused");
}

/* Through the store: a fresh layout, two updates, a failed one that must
   write nothing, and the file as the generator wrote it.  */
static void
test_store_update (void **state)
{
  char dir[] = "/tmp/store-index-test.XXXXXX";
  cleanup_free char *root = NULL;
  cleanup_free char *json = NULL;
  mcimg_store_t *store = NULL;
  spec_image_index_t *index = NULL;
  mc_error_t err = NULL;
  size_t len;
  (void) state;

  assert_non_null (mkdtemp (dir));
  root = xasprintf ("%s/store", dir);
  assert_int_equal (mcimg_store_open (root, &store, &err), 0);
  assert_int_equal (mcimg_store_index_update (store, add_entry, "x:1", &err), 0);
  assert_int_equal (mcimg_store_index_update (store, add_entry, "y:1", &err), 0);
  assert_int_equal (mcimg_store_index_update (store, add_entry, "x:1", &err), 0);
  assert_true (mcimg_store_index_update (store, fail_edit, NULL, &err) < 0);
  mc_error_release (&err);
  assert_int_equal (mcimg_store_index_read (store, &index, &err), 0);
  assert_int_equal (index->manifests_len, 2);
  assert_int_equal (mcimg_index_find (index, "never:written"), -1);
  spec_image_index_free (index);

  assert_int_equal (mc_read_file_at (mcimg_store_dirfd (store), "oci-layout",
                                     4096, &json, &len, &err), 0);
  assert_string_equal (json, "{\"imageLayoutVersion\":\"1.0.0\"}");

  /* Digests are validated before they become paths.  */
  assert_false (mcimg_store_has_blob (store, "sha256:../../etc/passwd"));
  assert_true (mcimg_store_put_blob (store, "sha256:..", "x", 1, &err) < 0);
  mc_error_release (&err);

  mcimg_store_close (store);
  assert_int_equal (mc_rm_rf_at (AT_FDCWD, dir, &err), 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_set_appends_and_replaces),
    cmocka_unit_test (test_set_keeps_other_annotations),
    cmocka_unit_test (test_remove),
    cmocka_unit_test (test_store_update),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
