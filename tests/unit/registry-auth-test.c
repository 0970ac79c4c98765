/* WWW-Authenticate parsing, token replies, the token cache, registry error
   bodies and origin comparison.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "imagetool/lib/registry-auth.h"
#include "imagetool/lib/registry-internal.h"

static void
expect_challenge (const char *header, enum mcimg_auth_scheme scheme,
                  const char *realm, const char *service, const char *scope)
{
  mcimg_auth_challenge_t c = { 0 };
  cleanup_error mc_error_t err = NULL;

  if (mcimg_auth_challenge_parse (header, &c, &err) < 0)
    fail_msg ("`%s`: %s", header, err->msg);
  assert_int_equal (c.scheme, scheme);
#define CHECK(field)                                   \
  if (field)                                           \
    {                                                  \
      assert_non_null (c.field);                       \
      assert_string_equal (c.field, field);            \
    }                                                  \
  else                                                 \
    assert_null (c.field);
  CHECK (realm);
  CHECK (service);
  CHECK (scope);
#undef CHECK
  mcimg_auth_challenge_clear (&c);
}

static void
test_challenges (void **state)
{
  expect_challenge ("Bearer realm=\"https://auth.docker.io/token\","
                    "service=\"registry.docker.io\","
                    "scope=\"repository:library/alpine:pull\"",
                    MCIMG_AUTH_BEARER, "https://auth.docker.io/token",
                    "registry.docker.io", "repository:library/alpine:pull");
  /* Commas inside quotes, spaces around '=' and ',', case of names.  */
  expect_challenge ("bearer  Realm = \"http://127.0.0.1:5001/token\" ,  "
                    "SERVICE=\"reg\", scope=\"repository:a/b:pull,push\"",
                    MCIMG_AUTH_BEARER, "http://127.0.0.1:5001/token", "reg",
                    "repository:a/b:pull,push");
  /* Token (unquoted) values and escapes in quoted ones.  */
  expect_challenge ("Bearer realm=tok,service=svc.1", MCIMG_AUTH_BEARER,
                    "tok", "svc.1", NULL);
  expect_challenge ("Bearer realm=\"a\\\"b\\\\c\"", MCIMG_AUTH_BEARER,
                    "a\"b\\c", NULL, NULL);
  expect_challenge ("Basic realm=\"Registry Realm\"", MCIMG_AUTH_BASIC,
                    "Registry Realm", NULL, NULL);
  expect_challenge ("Basic", MCIMG_AUTH_BASIC, NULL, NULL, NULL);
  /* Several challenges: Bearer wins wherever it is; unknown ones skipped. */
  expect_challenge ("Basic realm=\"x\", Bearer realm=\"https://t\","
                    "service=\"s\"", MCIMG_AUTH_BEARER, "https://t", "s",
                    NULL);
  expect_challenge ("Negotiate YWJjZA==, Basic realm=\"b\"", MCIMG_AUTH_BASIC,
                    "b", NULL, NULL);
  expect_challenge ("Digest realm=\"d\", nonce=\"1,2\", Basic realm=\"b\"",
                    MCIMG_AUTH_BASIC, "b", NULL, NULL);
  expect_challenge ("Bearer realm=\"https://t\",error=\"insufficient_scope\","
                    "scope=\"repository:other:pull\"", MCIMG_AUTH_BEARER,
                    "https://t", NULL, "repository:other:pull");
  expect_challenge ("Bearer realm=\"https://t\", unknown=\"1\", service=\"s\"",
                    MCIMG_AUTH_BEARER, "https://t", "s", NULL);
}

static void
test_challenge_errors (void **state)
{
  static const char *bad[] = {
    "",
    "Bearer service=\"s\"",             /* no realm */
    "Bearer realm=\"unterminated",
    "Bearer realm=\"x\" junk",
    "Digest realm=\"x\"",                /* nothing we support */
    "=oops",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      mcimg_auth_challenge_t c = { 0 };
      cleanup_error mc_error_t err = NULL;
      if (mcimg_auth_challenge_parse (bad[i], &c, &err) == 0)
        fail_msg ("`%s` accepted", bad[i]);
      mcimg_auth_challenge_clear (&c);
    }
}

static void
test_token_reply (void **state)
{
  static const struct
  {
    const char *body, *token;
    long expires;
  } good[] = {
    { "{\"token\":\"abc\",\"expires_in\":300,\"issued_at\":"
      "\"2024-01-01T00:00:00Z\"}", "abc", 300 },
    { "{\"access_token\":\"xyz\"}", "xyz", 60 },
    { "{\"token\":\"t1\",\"access_token\":\"t2\",\"expires_in\":0}", "t1", 60 },
    { "{\"token\":\"\",\"access_token\":\"t2\",\"expires_in\":-5}", "t2", 60 },
    { "{\"token\":\"t\",\"expires_in\":\"soon\"}", "t", 60 },
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    {
      cleanup_free char *token = NULL;
      cleanup_error mc_error_t err = NULL;
      long expires = 0;
      if (mcimg_auth_token_parse (good[i].body, strlen (good[i].body), &token,
                                  &expires, &err) < 0)
        fail_msg ("`%s`: %s", good[i].body, err->msg);
      assert_string_equal (token, good[i].token);
      assert_int_equal (expires, good[i].expires);
    }
  static const char *bad[] = { "", "[]", "{}", "{\"token\":5}", "not json",
                               "{\"token\":\"\"}" };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      char *token = NULL;
      cleanup_error mc_error_t err = NULL;
      long expires;
      assert_true (mcimg_auth_token_parse (bad[i], strlen (bad[i]), &token,
                                           &expires, &err) < 0);
      assert_null (token);
    }
}

static void
test_token_cache (void **state)
{
  mcimg_token_cache_t c = { 0 };

  assert_null (mcimg_token_cache_get (&c, "repository:a:pull", 0));
  mcimg_token_cache_put (&c, "repository:a:pull", "A", 60, 1000.0);
  mcimg_token_cache_put (&c, "repository:b:pull", "B", 300, 1000.0);
  assert_string_equal (mcimg_token_cache_get (&c, "repository:a:pull", 1010),
                       "A");
  /* 60 s lifetime, 6 s margin: gone at 1054.  */
  assert_non_null (mcimg_token_cache_get (&c, "repository:a:pull", 1053.9));
  assert_null (mcimg_token_cache_get (&c, "repository:a:pull", 1054.0));
  /* 300 s lifetime, margin capped at 10 s.  */
  assert_non_null (mcimg_token_cache_get (&c, "repository:b:pull", 1289));
  assert_null (mcimg_token_cache_get (&c, "repository:b:pull", 1290));
  /* Replace and drop.  */
  mcimg_token_cache_put (&c, "repository:a:pull", "A2", 60, 2000.0);
  assert_string_equal (mcimg_token_cache_get (&c, "repository:a:pull", 2001),
                       "A2");
  assert_int_equal (c.len, 2);
  mcimg_token_cache_drop (&c, "repository:a:pull");
  assert_null (mcimg_token_cache_get (&c, "repository:a:pull", 2001));
  mcimg_token_cache_drop (&c, "nothing");
  assert_int_equal (c.len, 1);
  mcimg_token_cache_clear (&c);
  assert_int_equal (c.len, 0);
}

static void
test_basic_header (void **state)
{
  cleanup_free char *h = mcimg_auth_basic_header ("Aladdin", "open sesame");
  assert_string_equal (h, "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  cleanup_free char *e = mcimg_auth_basic_header ("u", "");
  assert_string_equal (e, "Authorization: Basic dTo=");
}

static char *
message_for (long status, const char *body)
{
  reg_response_t r = { .status = status };
  r.body = body ? strdup (body) : NULL;
  r.body_len = body ? strlen (body) : 0;
  char *m = reg_http_error_message (&r);
  free (r.body);
  return m;
}

static void
test_error_bodies (void **state)
{
  static const struct
  {
    long status;
    const char *body, *want;
  } cases[] = {
    { 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":"
           "\"manifest unknown\",\"detail\":{\"Tag\":\"v1\"}}]}",
      "manifest unknown (404)" },
    { 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":"
           "\"authentication required\",\"detail\":null}]}",
      "unauthorized: authentication required (401)" },
    { 404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":"
           "\"blob unknown to registry\"}]}",
      "blob unknown to registry (404)" },
    { 403, "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"no\"},"
           "{\"code\":\"TOOMANYREQUESTS\"}]}",
      "denied: no; toomanyrequests (403)" },
    { 401, NULL, "unauthorized: authentication required (401)" },
    { 404, "<html>not json</html>", "not found (404)" },
    { 503, "", "service unavailable (503)" },
    { 418, NULL, "unexpected HTTP status (418)" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      cleanup_free char *m = message_for (cases[i].status, cases[i].body);
      assert_string_equal (m, cases[i].want);
    }
}

static void
test_same_origin (void **state)
{
  assert_true (reg_same_origin ("https://r:5000/v2/x", "https://r:5000"));
  assert_true (reg_same_origin ("https://R/v2/", "https://r:443/"));
  assert_true (reg_same_origin ("http://r/a", "http://r:80"));
  assert_false (reg_same_origin ("https://r:5001/v2/", "https://r:5000"));
  assert_false (reg_same_origin ("http://r:5000/", "https://r:5000"));
  assert_false (reg_same_origin ("https://s3.example/b", "https://r"));
  assert_false (reg_same_origin ("https://r.evil/b", "https://r"));
  assert_false (reg_same_origin ("not a url", "https://r"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_challenges),
    cmocka_unit_test (test_challenge_errors),
    cmocka_unit_test (test_token_reply),
    cmocka_unit_test (test_token_cache),
    cmocka_unit_test (test_basic_header),
    cmocka_unit_test (test_error_bodies),
    cmocka_unit_test (test_same_origin),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
