/* mcimg bundle --userns: the values it takes, the map it writes and the
   user namespace it puts in config.json.  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "imagetool/lib/bundle-internal.h"

static void
test_parse_ok (void **state)
{
  static const struct
  {
    const char *in;
    uint32_t host, size;
  } ok[] = {
    { "auto", 100000, 65536 },
    { "host", 0, 0 },
    { "200000:70000", 200000, 70000 },
    { "1:1", 1, 1 },
    /* The last mappable id is 2^32-2: (uid_t) -1 is no id.  */
    { "4294967294:1", 4294967294u, 1 },
    { "1:4294967294", 1, 4294967294u },
  };
  (void) state;
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
    {
      mc_error_t err = NULL;
      mcimg_userns_t u = { 7, 7 };
      assert_int_equal (mcimg_parse_userns (ok[i].in, &u, &err), 0);
      assert_int_equal (u.host, ok[i].host);
      assert_int_equal (u.size, ok[i].size);
    }
}

static void
test_parse_bad (void **state)
{
  static const char *const bad[] = {
    "", "Auto", "auto ", "keep-id", "100000", "100000:", ":65536",
    "0:65536", "100000:0", "-1:5", "1:-5", "+1:5", "1 :5", "1:5:6",
    "0x10:5", "4294967295:1", "4294967294:2", "1:4294967295",
    "99999999999999999999:1", "1:99999999999999999999",
  };
  (void) state;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      mc_error_t err = NULL;
      mcimg_userns_t u = { 7, 7 };
      assert_true (mcimg_parse_userns (bad[i], &u, &err) < 0);
      assert_non_null (strstr (err->msg, "invalid --userns"));
      assert_null (strchr (err->msg, '\n'));
      /* Nothing half-parsed.  */
      assert_int_equal (u.host, 7);
      assert_int_equal (u.size, 7);
      mc_error_release (&err);
    }
  {
    mc_error_t err = NULL;
    mcimg_userns_t u;
    assert_true (mcimg_parse_userns (NULL, &u, &err) < 0);
    mc_error_release (&err);
  }
}

static void
test_map_and_shift (void **state)
{
  mcimg_userns_t u = { 100000, 65536 };
  cleanup_free char *map = mcimg_userns_map_text (&u);

  (void) state;
  assert_string_equal (map, "0 100000 65536\n");
  assert_int_equal (mcimg_userns_shift (&u, 0), 100000);
  assert_int_equal (mcimg_userns_shift (&u, 1000), 101000);
  assert_int_equal (mcimg_userns_shift (&u, 65535), 165535);
  /* Beyond the range: unchanged (nobody inside).  */
  assert_int_equal (mcimg_userns_shift (&u, 65536), 65536);
  u.size = 0;
  assert_int_equal (mcimg_userns_shift (&u, 0), 0);
}

static spec_runtime_config_t *
config_with_sys (void)
{
  spec_runtime_config_t *c = xzalloc (sizeof (*c));
  spec_mount_t *m;

  c->linux_ = xzalloc (sizeof (*c->linux_));
  m = mcimg_bundle_add_mount (c, "/sys", "sysfs", "sysfs");
  m->options = mcimg_bundle_options_strv (&m->options_len, "ro", NULL);
  return c;
}

static void
test_config (void **state)
{
  cleanup_runtime_config spec_runtime_config_t *c = config_with_sys ();
  cleanup_runtime_config spec_runtime_config_t *none = config_with_sys ();
  cleanup_runtime_config spec_runtime_config_t *hostnet = config_with_sys ();
  mcimg_bundle_options_t o = { 0 };
  spec_linux_t *l = c->linux_;

  (void) state;
  /* Without --userns: nothing.  */
  mcimg_bundle_userns_config (none, &o);
  assert_int_equal (none->linux_->namespaces_len, 0);
  assert_int_equal (none->linux_->uid_mappings_len, 0);

  o.userns = (mcimg_userns_t){ 200000, 70000 };
  mcimg_bundle_userns_config (c, &o);
  assert_int_equal (l->namespaces_len, 1);
  assert_string_equal (l->namespaces[0].type, "user");
  assert_null (l->namespaces[0].path);
  assert_int_equal (l->uid_mappings_len, 1);
  assert_int_equal (l->gid_mappings_len, 1);
  assert_int_equal (l->uid_mappings[0].container_id, 0);
  assert_int_equal (l->uid_mappings[0].host_id, 200000);
  assert_int_equal (l->uid_mappings[0].size, 70000);
  assert_int_equal (l->gid_mappings[0].host_id, 200000);
  assert_int_equal (l->gid_mappings[0].size, 70000);
  /* Its own network namespace: sysfs stays.  */
  assert_string_equal (c->mounts[0].type, "sysfs");

  /* The host's network: the host's /sys bound read-only.  */
  o.network = "host";
  mcimg_bundle_userns_config (hostnet, &o);
  assert_string_equal (hostnet->mounts[0].type, "bind");
  assert_string_equal (hostnet->mounts[0].source, "/sys");
  assert_int_equal (hostnet->mounts[0].options_len, 5);
  assert_string_equal (hostnet->mounts[0].options[0], "rbind");
  assert_string_equal (hostnet->mounts[0].options[4], "ro");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parse_ok),
    cmocka_unit_test (test_parse_bad),
    cmocka_unit_test (test_map_and_shift),
    cmocka_unit_test (test_config),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
