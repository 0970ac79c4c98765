/* Image reference parsing: normalisation of accepted forms, and a clear
   reason for each rejected one.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "imagetool/lib/reference.h"

#define DIGEST "sha256:" \
  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

struct accept_case
{
  const char *in;
  const char *domain, *path, *tag, *digest;
  const char *canonical;
};

static const struct accept_case accepted[] = {
  { "alpine", "docker.io", "library/alpine", "latest", NULL,
    "docker.io/library/alpine:latest" },
  { "alpine:3.19", "docker.io", "library/alpine", "3.19", NULL,
    "docker.io/library/alpine:3.19" },
  { "library/alpine", "docker.io", "library/alpine", "latest", NULL, NULL },
  { "docker.io/library/alpine:latest", "docker.io", "library/alpine",
    "latest", NULL, NULL },
  { "docker.io/alpine", "docker.io", "library/alpine", "latest", NULL, NULL },
  { "index.docker.io/alpine", "docker.io", "library/alpine", "latest", NULL,
    NULL },
  { "user/app", "docker.io", "user/app", "latest", NULL, NULL },
  { "ghcr.io/org/app:v1", "ghcr.io", "org/app", "v1", NULL,
    "ghcr.io/org/app:v1" },
  { "localhost:5000/ns/app", "localhost:5000", "ns/app", "latest", NULL,
    NULL },
  { "localhost/app", "localhost", "app", "latest", NULL, NULL },
  { "127.0.0.1:5000/app@" DIGEST, "127.0.0.1:5000", "app", NULL, DIGEST,
    "127.0.0.1:5000/app@" DIGEST },
  { "name:tag@" DIGEST, "docker.io", "library/name", "tag", DIGEST,
    "docker.io/library/name:tag@" DIGEST },
  { "[::1]:5000/app", "[::1]:5000", "app", "latest", NULL, NULL },
  { "[::1]/app:v2", "[::1]", "app", "v2", NULL, NULL },
  { "[2001:db8::1]:443/a/b/c", "[2001:db8::1]:443", "a/b/c", "latest", NULL,
    NULL },
  { "localhost:5000", "docker.io", "library/localhost", "5000", NULL, NULL },
  { "my-registry.example.com:8443/team/app:1.0-rc_1", "my-registry.example.com:8443",
    "team/app", "1.0-rc_1", NULL, NULL },
  { "a/b__c/d.e/f-g/h--i/j_k", "docker.io", "a/b__c/d.e/f-g/h--i/j_k",
    "latest", NULL, NULL },
  { "x:_Tag.With-Caps", "docker.io", "library/x", "_Tag.With-Caps", NULL,
    NULL },
  { "Example.COM/app", "Example.COM", "app", "latest", NULL, NULL },
  { "registry:5000/a", "registry:5000", "a", "latest", NULL, NULL },
  { "foo.bar/a:" "0123456789012345678901234567890123456789012345678901234567890"
    "123456789012345678901234567890123456789012345678901234567890123456",
    "foo.bar", "a",
    "0123456789012345678901234567890123456789012345678901234567890"
    "123456789012345678901234567890123456789012345678901234567890123456",
    NULL, NULL },
};

static void
test_accepted (void **state)
{
  for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++)
    {
      const struct accept_case *c = &accepted[i];
      cleanup_reference mcimg_reference_t *ref = NULL;
      cleanup_error mc_error_t err = NULL;

      if (mcimg_reference_parse (c->in, &ref, &err) < 0)
        fail_msg ("`%s` rejected: %s", c->in, err->msg);
      assert_string_equal (ref->domain, c->domain);
      assert_string_equal (ref->path, c->path);
      if (c->tag)
        assert_string_equal (ref->tag, c->tag);
      else
        assert_null (ref->tag);
      if (c->digest)
        assert_string_equal (ref->digest, c->digest);
      else
        assert_null (ref->digest);
      if (c->canonical)
        {
          cleanup_free char *s = mcimg_reference_string (ref);
          assert_string_equal (s, c->canonical);
        }
    }
}

struct reject_case
{
  const char *in;
  const char *why; /* substring of the message */
};

static const struct reject_case rejected[] = {
  { "", "empty" },
  { "Alpine", "repository name must be lowercase" },
  { "docker.io/Library/alpine", "repository name must be lowercase" },
  { "alpine:", "invalid tag ``" },
  { "alpine:-bad", "invalid tag `-bad`" },
  { "alpine:bad/tag", "invalid registry port" },
  { "alpine:a+b", "invalid tag" },
  { "alpine@", "empty digest" },
  { "alpine@sha256:abc", "64 hex digits" },
  { "alpine@md5:0123456789abcdef0123456789abcdef", "unsupported algorithm" },
  { "alpine@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
    "not lowercase hex" },
  { "alpine@nocolon", "expected ALGORITHM:HEX" },
  { "-alpine", "invalid repository name component `-alpine`" },
  { "alpine-", "invalid repository name component `alpine-`" },
  { "a..b", "invalid repository name component `a..b`" },
  { "a___b", "invalid repository name component" },
  { "a_.b", "invalid repository name component" },
  { "ns//app", "empty path component" },
  { "ns/app/", "empty path component" },
  { "/app", "empty path component" },
  { "localhost:5000/", "empty path component" },
  { "localhost:99999/app", "invalid registry port" },
  { "localhost:0/app", "invalid registry port" },
  { "localhost:/app", "invalid registry port" },
  { "localhost:5a/app", "invalid registry port" },
  { "-bad.example.com/app", "invalid registry host" },
  { "bad-.example.com/app", "invalid registry host" },
  { "bad..example.com/app", "invalid registry host" },
  { "under_score.com/app", "invalid registry host" },
  { "[::1/app", "unterminated IPv6" },
  { "[zz::1]:5000/app", "invalid IPv6" },
  { "[::1]x/app", "invalid registry host" },
  { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "64-character hex" },
  { ":tag", "repository name is empty" },
  { "app:tag:more", "invalid repository name component `app:tag`" },
  { "a b", "invalid repository name component" },
  { "alpine:" "0123456789012345678901234567890123456789012345678901234567890"
    "12345678901234567890123456789012345678901234567890123456789012345678",
    "invalid tag" },
};

static void
test_rejected (void **state)
{
  for (size_t i = 0; i < sizeof rejected / sizeof rejected[0]; i++)
    {
      const struct reject_case *c = &rejected[i];
      cleanup_reference mcimg_reference_t *ref = NULL;
      cleanup_error mc_error_t err = NULL;

      if (mcimg_reference_parse (c->in, &ref, &err) == 0)
        fail_msg ("`%s` accepted", c->in);
      assert_null (ref);
      assert_non_null (err);
      if (strstr (err->msg, "invalid reference") == NULL
          || strstr (err->msg, c->why) == NULL)
        fail_msg ("`%s`: message `%s` lacks `%s`", c->in, err->msg, c->why);
    }
}

static void
test_exact_message (void **state)
{
  cleanup_reference mcimg_reference_t *ref = NULL;
  cleanup_error mc_error_t err = NULL;

  assert_true (mcimg_reference_parse ("Alpine", &ref, &err) < 0);
  assert_string_equal (err->msg, "invalid reference `Alpine`: repository "
                                 "name must be lowercase");
}

static void
test_name_length (void **state)
{
  /* docker.io/library/ + name: the limit counts the normalised name.  */
  char name[300];
  size_t room = MCIMG_NAME_MAX - strlen ("docker.io/library/");

  memset (name, 'a', room);
  name[room] = '\0';
  {
    cleanup_reference mcimg_reference_t *ref = NULL;
    cleanup_error mc_error_t err = NULL;
    assert_int_equal (mcimg_reference_parse (name, &ref, &err), 0);
  }
  name[room] = 'a';
  name[room + 1] = '\0';
  {
    cleanup_reference mcimg_reference_t *ref = NULL;
    cleanup_error mc_error_t err = NULL;
    assert_true (mcimg_reference_parse (name, &ref, &err) < 0);
    assert_non_null (strstr (err->msg, "longer than 255"));
  }
}

static void
test_components_and_tags (void **state)
{
  static const char *good[] = { "a", "0", "a.b", "a_b", "a__b", "a-b",
                                "a---b", "a.b_c__d-e", "abc123" };
  static const char *bad[] = { "", "A", ".a", "a.", "a..b", "a._b", "a___b",
                               "_a", "a-", "a/b", "a:b", "é" };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    if (!mcimg_reference_component_valid (good[i], strlen (good[i])))
      fail_msg ("component `%s` rejected", good[i]);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (mcimg_reference_component_valid (bad[i], strlen (bad[i])))
      fail_msg ("component `%s` accepted", bad[i]);

  assert_true (mcimg_reference_tag_valid ("latest"));
  assert_true (mcimg_reference_tag_valid ("_"));
  assert_true (mcimg_reference_tag_valid ("V1.2.3-rc.1_x"));
  assert_false (mcimg_reference_tag_valid (""));
  assert_false (mcimg_reference_tag_valid (".x"));
  assert_false (mcimg_reference_tag_valid ("-x"));
  assert_false (mcimg_reference_tag_valid ("a b"));
}

static void
test_object_and_host (void **state)
{
  cleanup_reference mcimg_reference_t *a = NULL;
  cleanup_reference mcimg_reference_t *b = NULL;
  cleanup_error mc_error_t err = NULL;

  assert_int_equal (mcimg_reference_parse ("alpine", &a, &err), 0);
  assert_string_equal (mcimg_reference_object (a), "latest");
  assert_string_equal (mcimg_registry_api_host (a->domain),
                       "registry-1.docker.io");
  assert_int_equal (mcimg_reference_parse ("localhost:5000/x:t@" DIGEST, &b,
                                           &err), 0);
  assert_string_equal (mcimg_reference_object (b), DIGEST);
  assert_string_equal (mcimg_registry_api_host (b->domain), "localhost:5000");
}

static void
test_digest_validate (void **state)
{
  cleanup_error mc_error_t err = NULL;

  assert_int_equal (mcimg_digest_validate (DIGEST, &err), 0);
  assert_true (mcimg_digest_validate ("sha256:", &err) < 0);
  mc_error_release (&err);
  assert_true (mcimg_digest_validate (DIGEST "0", &err) < 0);
  mc_error_release (&err);
  assert_true (mcimg_digest_validate ("sha512:" DIGEST, &err) < 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_accepted),
    cmocka_unit_test (test_rejected),
    cmocka_unit_test (test_exact_message),
    cmocka_unit_test (test_name_length),
    cmocka_unit_test (test_components_and_tags),
    cmocka_unit_test (test_object_and_host),
    cmocka_unit_test (test_digest_validate),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
