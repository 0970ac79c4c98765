/* Credentials: user:pass strings, auth.json/config.json lookups, the file
   search order, and login/logout rewriting the file.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/auth-file.h"

/* base64("user:pa:ss") and base64("hub:hubpw") etc.  */
#define B64_USER "dXNlcjpwYTpzcw=="
#define B64_HUB "aHViOmh1YnB3"
#define B64_NS "bnM6bnNwdw=="
#define B64_LOCAL "bG9jYWw6bG9jYWxwdw=="

static const char *doc =
  "{ \"auths\": {"
  "  \"registry.example.com\": { \"auth\": \"" B64_USER "\" },"
  "  \"https://index.docker.io/v1/\": { \"auth\": \"" B64_HUB "\" },"
  "  \"quay.io/org\": { \"auth\": \"" B64_NS "\" },"
  "  \"quay.io\": { \"auth\": \"" B64_USER "\" },"
  "  \"http://localhost:5000\": { \"auth\": \"" B64_LOCAL "\" },"
  "  \"token-only.example\": { \"identitytoken\": \"x\" }"
  "}, \"credsStore\": \"desktop\" }";

static int
lookup (const char *json, const char *registry, const char *repo,
        mcimg_credentials_t *c)
{
  cleanup_error mc_error_t err = NULL;
  int r = mcimg_auth_json_lookup (json, strlen (json), "test.json", registry,
                                  repo, c, &err);
  if (r < 0)
    fail_msg ("lookup %s: %s", registry, err->msg);
  return r;
}

static void
expect (const char *registry, const char *repo, const char *user,
        const char *pass)
{
  mcimg_credentials_t c = { 0 };
  int r = lookup (doc, registry, repo, &c);

  if (user == NULL)
    {
      assert_int_equal (r, 0);
      assert_null (c.username);
      return;
    }
  assert_int_equal (r, 1);
  assert_string_equal (c.username, user);
  assert_string_equal (c.password, pass);
  mcimg_credentials_clear (&c);
  assert_null (c.username);
}

static void
test_lookup (void **state)
{
  expect ("registry.example.com", NULL, "user", "pa:ss");
  expect ("docker.io", "library/alpine", "hub", "hubpw");
  expect ("quay.io", "org/app", "ns", "nspw");
  expect ("quay.io", "org", "ns", "nspw");
  expect ("quay.io", "organisation/app", "user", "pa:ss");
  expect ("quay.io", NULL, "user", "pa:ss");
  expect ("localhost:5000", "x", "local", "localpw");
  expect ("localhost:5001", "x", NULL, NULL);
  expect ("token-only.example", NULL, NULL, NULL);
  expect ("example.com", NULL, NULL, NULL);
}

static void
test_lookup_errors (void **state)
{
  static const char *bad[] = {
    "not json",
    "[]",
    "{\"auths\": []}",
    "{\"auths\": {\"r\": {\"auth\": \"!!!!\"}}}",
    "{\"auths\": {\"r\": {\"auth\": \"bm9jb2xvbg==\"}}}", /* "nocolon" */
    "{\"auths\": {\"r\": {\"auth\": \"OnB3\"}}}",         /* ":pw" */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      mcimg_credentials_t c = { 0 };
      cleanup_error mc_error_t err = NULL;
      if (mcimg_auth_json_lookup (bad[i], strlen (bad[i]), "f.json", "r", NULL,
                                  &c, &err) >= 0)
        fail_msg ("`%s` accepted", bad[i]);
      assert_non_null (strstr (err->msg, "f.json"));
      assert_null (c.username);
    }
  /* No auths at all: nothing found, not an error.  */
  mcimg_credentials_t c = { 0 };
  assert_int_equal (lookup ("{}", "r", NULL, &c), 0);
}

static void
test_userpass (void **state)
{
  mcimg_credentials_t c = { 0 };
  cleanup_error mc_error_t err = NULL;

  assert_int_equal (mcimg_credentials_parse ("u:p:q", &c, &err), 0);
  assert_string_equal (c.username, "u");
  assert_string_equal (c.password, "p:q");
  mcimg_credentials_clear (&c);
  assert_int_equal (mcimg_credentials_parse ("u:", &c, &err), 0);
  assert_string_equal (c.password, "");
  mcimg_credentials_clear (&c);
  assert_true (mcimg_credentials_parse ("secretwithoutcolon", &c, &err) < 0);
  /* The message must not echo the secret.  */
  assert_null (strstr (err->msg, "secret"));
  mc_error_release (&err);
  assert_true (mcimg_credentials_parse (":pw", &c, &err) < 0);
}

static void
test_key_normalize (void **state)
{
  static const char *cases[][2] = {
    { "https://index.docker.io/v1/", "docker.io" },
    { "index.docker.io", "docker.io" },
    { "registry-1.docker.io", "docker.io" },
    { "docker.io/library", "docker.io/library" },
    { "https://quay.io/v2/", "quay.io" },
    { "http://localhost:5000", "localhost:5000" },
    { "quay.io/org/", "quay.io/org" },
    { "[::1]:5000", "[::1]:5000" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      cleanup_free char *k = mcimg_auth_key_normalize (cases[i][0]);
      assert_string_equal (k, cases[i][1]);
    }
}

static char tmpdir[64];

static int
make_tmpdir (void **state)
{
  strcpy (tmpdir, "/tmp/mcimg-authfile-XXXXXX");
  assert_non_null (mkdtemp (tmpdir));
  return 0;
}

static int
remove_tmpdir (void **state)
{
  cleanup_error mc_error_t err = NULL;
  mc_rm_rf_at (AT_FDCWD, tmpdir, &err);
  return 0;
}

static char *
slurp (const char *path)
{
  char *data = NULL;
  size_t len;
  cleanup_error mc_error_t err = NULL;
  if (mc_read_file_at (AT_FDCWD, path, 1 << 20, &data, &len, &err) < 0)
    fail_msg ("%s", err->msg);
  return data;
}

static void
test_login_logout (void **state)
{
  cleanup_free char *file = xasprintf ("%s/sub/auth.json", tmpdir);
  cleanup_error mc_error_t err = NULL;
  mcimg_credentials_t creds = { .username = "alice", .password = "s3:cr3t" };
  mcimg_credentials_t got = { 0 };
  struct stat st;

  assert_int_equal (mcimg_login (file, "localhost:5000", &creds, &err), 0);
  assert_int_equal (stat (file, &st), 0);
  assert_int_equal (st.st_mode & 0777, 0600);
  assert_int_equal (mcimg_credentials_find (file, "localhost:5000", NULL,
                                            &got, &err), 1);
  assert_string_equal (got.username, "alice");
  assert_string_equal (got.password, "s3:cr3t");
  mcimg_credentials_clear (&got);

  /* Other content survives; a second login replaces only its entry, also
     when the existing key is written as an URL.  */
  {
    const char *other = "{\"auths\":{\"https://other.io\":{\"auth\":\""
                        B64_USER "\"},\"http://localhost:5000/\":{\"auth\":\""
                        B64_LOCAL "\"}},\"credHelpers\":{\"x\":\"y\"},"
                        "\"n\":1.5}";
    assert_int_equal (mc_write_file_atomic_at (AT_FDCWD, file, other,
                                               strlen (other), 0600, 0, &err),
                      0);
  }
  creds.username = "bob";
  assert_int_equal (mcimg_login (file, "localhost:5000", &creds, &err), 0);
  cleanup_free char *text = slurp (file);
  assert_non_null (strstr (text, "\"credHelpers\""));
  assert_non_null (strstr (text, "1.5"));
  assert_non_null (strstr (text, "https://other.io"));
  assert_null (strstr (text, "http://localhost:5000/"));
  assert_null (strstr (text, "s3:cr3t")); /* stored as base64 */
  assert_int_equal (mcimg_credentials_find (file, "localhost:5000", NULL,
                                            &got, &err), 1);
  assert_string_equal (got.username, "bob");
  mcimg_credentials_clear (&got);

  assert_int_equal (mcimg_logout (file, "localhost:5000", &err), 0);
  assert_int_equal (mcimg_credentials_find (file, "localhost:5000", NULL,
                                            &got, &err), 0);
  assert_int_equal (mcimg_credentials_find (file, "other.io", NULL, &got,
                                            &err), 1);
  mcimg_credentials_clear (&got);
  assert_true (mcimg_logout (file, "localhost:5000", &err) < 0);
  assert_non_null (strstr (err->msg, "not logged in to localhost:5000"));
}

static void
test_search_order (void **state)
{
  cleanup_free char *xdg = xasprintf ("%s/run", tmpdir);
  cleanup_free char *home = xasprintf ("%s/home", tmpdir);
  cleanup_free char *podman = xasprintf ("%s/containers/auth.json", xdg);
  cleanup_free char *docker = xasprintf ("%s/.docker/config.json", home);
  cleanup_error mc_error_t err = NULL;
  mcimg_credentials_t a = { .username = "podman", .password = "p" };
  mcimg_credentials_t b = { .username = "docker", .password = "d" };
  mcimg_credentials_t got = { 0 };

  unsetenv ("REGISTRY_AUTH_FILE");
  unsetenv ("XDG_CONFIG_HOME");
  unsetenv ("DOCKER_CONFIG");
  setenv ("HOME", home, 1);
  unsetenv ("XDG_RUNTIME_DIR");
  /* No runtime dir: login goes to ~/.docker/config.json.  */
  cleanup_free char *def = mcimg_auth_file_default_path ();
  assert_string_equal (def, docker);
  assert_int_equal (mcimg_login (NULL, "r.io", &b, &err), 0);
  setenv ("XDG_RUNTIME_DIR", xdg, 1);
  assert_int_equal (mcimg_credentials_find (NULL, "r.io", NULL, &got, &err),
                    1);
  assert_string_equal (got.username, "docker");
  mcimg_credentials_clear (&got);
  /* With one: auth.json there, and it wins over docker's file.  */
  assert_int_equal (mcimg_login (NULL, "r.io", &a, &err), 0);
  assert_int_equal (access (podman, F_OK), 0);
  assert_int_equal (mcimg_credentials_find (NULL, "r.io", NULL, &got, &err),
                    1);
  assert_string_equal (got.username, "podman");
  mcimg_credentials_clear (&got);
  /* REGISTRY_AUTH_FILE overrides everything.  */
  cleanup_free char *explicit = xasprintf ("%s/explicit.json", tmpdir);
  setenv ("REGISTRY_AUTH_FILE", explicit, 1);
  assert_int_equal (mcimg_credentials_find (NULL, "r.io", NULL, &got, &err),
                    1);
  assert_string_equal (got.username, "podman"); /* file missing: skipped */
  mcimg_credentials_clear (&got);
  unsetenv ("REGISTRY_AUTH_FILE");
  assert_int_equal (mcimg_credentials_find (NULL, "nowhere.io", NULL, &got,
                                            &err), 0);
  /* A file named explicitly must exist.  */
  assert_true (mcimg_credentials_find (explicit, "r.io", NULL, &got, &err) < 0);
  assert_non_null (strstr (err->msg, "explicit.json"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_lookup),
    cmocka_unit_test (test_lookup_errors),
    cmocka_unit_test (test_userpass),
    cmocka_unit_test (test_key_normalize),
    cmocka_unit_test (test_login_logout),
    cmocka_unit_test (test_search_order),
  };
  return cmocka_run_group_tests (tests, make_tmpdir, remove_tmpdir);
}
