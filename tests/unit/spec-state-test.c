/* The state document (`minirun state`, hooks' stdin) and the features
   document.  */
#include "tests/unit/spec-test-util.h"

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "spec/state.h"

static const char state_json[] =
  "{\"ociVersion\":\"1.2.0\",\"id\":\"web-1\",\"status\":\"running\","
  "\"pid\":4422,\"bundle\":\"/containers/web-1\",\"annotations\":"
  "{\"org.example.owner\":\"ops\",\"empty\":\"\"}}";

static void
test_state_parse (void **state)
{
  spec_state_t *st = NULL;
  cleanup_error mc_error_t err = NULL;

  assert_ok (spec_state_parse (state_json, strlen (state_json), "state", &st, &err), err);
  assert_string_equal (st->oci_version, "1.2.0");
  assert_string_equal (st->id, "web-1");
  assert_string_equal (st->status, "running");
  assert_true (st->has_pid);
  assert_int_equal (st->pid, 4422);
  assert_string_equal (st->bundle, "/containers/web-1");
  assert_int_equal (st->annotations_len, 2);
  assert_string_equal (st->annotations[0].key, "org.example.owner");
  assert_string_equal (st->annotations[0].value, "ops");
  assert_string_equal (st->annotations[1].key, "empty");
  assert_string_equal (st->annotations[1].value, "");
  spec_state_free (st);
}

static void
test_state_round_trip (void **state)
{
  spec_state_t *st = NULL, *again = NULL;
  cleanup_error mc_error_t err = NULL;
  cleanup_free char *out = NULL;
  cleanup_free char *out2 = NULL;

  assert_ok (spec_state_parse (state_json, strlen (state_json), "state", &st, &err), err);
  assert_ok (spec_state_generate (st, false, &out, NULL, &err), err);
  /* The text is already in table order, so the round trip is byte-exact. */
  assert_string_equal (out, state_json);
  assert_ok (spec_state_parse (out, strlen (out), "state", &again, &err), err);
  assert_ok (spec_state_generate (again, true, &out2, NULL, &err), err);
  assert_string_equal (out2,
                       "{\n\t\"ociVersion\": \"1.2.0\",\n\t\"id\": \"web-1\",\n"
                       "\t\"status\": \"running\",\n\t\"pid\": 4422,\n"
                       "\t\"bundle\": \"/containers/web-1\",\n"
                       "\t\"annotations\": {\n"
                       "\t\t\"org.example.owner\": \"ops\",\n"
                       "\t\t\"empty\": \"\"\n\t}\n}\n");
  spec_state_free (st);
  spec_state_free (again);
}

/* A stopped container has no process: pid 0 is written only when set, and
   an explicit "pid": 0 is kept.  */
static void
test_state_pid (void **state)
{
  spec_state_t st = { .oci_version = "1.2.0", .id = "c", .status = "stopped",
                      .bundle = "/b" };
  spec_state_t *parsed = NULL;
  cleanup_error mc_error_t err = NULL;
  char *out = NULL;

  assert_ok (spec_state_generate (&st, false, &out, NULL, &err), err);
  assert_string_equal (out, "{\"ociVersion\":\"1.2.0\",\"id\":\"c\",\"status\":\"stopped\","
                            "\"bundle\":\"/b\"}");
  assert_ok (spec_state_parse (out, strlen (out), "state", &parsed, &err), err);
  assert_false (parsed->has_pid);
  spec_state_free (parsed);
  free (out);

  st.has_pid = true;
  assert_ok (spec_state_generate (&st, false, &out, NULL, &err), err);
  assert_string_equal (out, "{\"ociVersion\":\"1.2.0\",\"id\":\"c\",\"status\":\"stopped\","
                            "\"pid\":0,\"bundle\":\"/b\"}");
  assert_ok (spec_state_parse (out, strlen (out), "state", &parsed, &err), err);
  assert_true (parsed->has_pid);
  assert_int_equal (parsed->pid, 0);
  spec_state_free (parsed);
  free (out);
}

static void
test_state_errors (void **state)
{
  static const struct
  {
    const char *json;
    const char *msg;
  } cases[] = {
    { "{\"ociVersion\":\"1.2.0\",\"status\":\"created\",\"bundle\":\"/b\"}",
      "state.json: missing required field \"id\"" },
    { "{\"ociVersion\":\"1.2.0\",\"id\":\"c\",\"status\":\"created\",\"pid\":\"1\",\"bundle\":\"/b\"}",
      "state.json: .pid: expected an integer, got a string" },
    { "{\"ociVersion\":\"1.2.0\",\"id\":\"c\",\"status\":\"created\",\"pid\":2147483648,\"bundle\":\"/b\"}",
      "state.json: .pid: expected a 32-bit integer, got 2147483648" },
    { "{\"ociVersion\":\"1.2.0\",\"id\":\"c\",\"status\":\"created\",\"bundle\":\"/b\",\"annotations\":{\"a\":null}}",
      "state.json: .annotations[\"a\"]: expected a string, got null" },
    { "{\"ociVersion\":\"1.2.0\",\"id\":\"c\"", "state.json: invalid JSON: parse error: premature EOF" },
  };

  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      spec_state_t *st = NULL;
      mc_error_t err = NULL;

      assert_int_equal (spec_state_parse (cases[i].json, strlen (cases[i].json),
                                          "state.json", &st, &err), -1);
      assert_null (st);
      assert_error (err, cases[i].msg);
    }
}

static void
check_features (const spec_features_t *f)
{
  const spec_features_linux_t *l = f->linux_;

  assert_string_equal (f->oci_version_min, "1.0.0");
  assert_string_equal (f->oci_version_max, "1.2.0");
  assert_int_equal (f->hooks_len, 6);
  assert_string_equal (f->hooks[1], "createRuntime");
  assert_null (f->hooks[6]);
  assert_int_equal (f->mount_options_len, 6);
  assert_string_equal (f->mount_options[2], "idmap");
  assert_non_null (l);
  assert_int_equal (l->namespaces_len, 8);
  assert_string_equal (l->namespaces[5], "time");
  assert_int_equal (l->capabilities_len, 2);
  assert_string_equal (l->capabilities[1], "CAP_SYS_ADMIN");
  assert_non_null (l->cgroup);
  assert_true (l->cgroup->has_v1);
  assert_false (l->cgroup->v1);
  assert_true (l->cgroup->has_v2 && l->cgroup->v2);
  assert_true (l->cgroup->has_systemd && l->cgroup->systemd);
  assert_true (l->cgroup->has_systemd_user && l->cgroup->systemd_user);
  assert_true (l->cgroup->has_rdma);
  assert_false (l->cgroup->rdma);
  assert_non_null (l->seccomp);
  assert_true (l->seccomp->has_enabled && l->seccomp->enabled);
  assert_int_equal (l->seccomp->actions_len, 3);
  assert_string_equal (l->seccomp->actions[2], "SCMP_ACT_NOTIFY");
  assert_int_equal (l->seccomp->operators_len, 2);
  assert_int_equal (l->seccomp->archs_len, 2);
  assert_string_equal (l->seccomp->archs[1], "SCMP_ARCH_X86_64");
  assert_int_equal (l->seccomp->known_flags_len, 2);
  assert_int_equal (l->seccomp->supported_flags_len, 1);
  assert_string_equal (l->seccomp->supported_flags[0], "SECCOMP_FILTER_FLAG_LOG");
  assert_true (l->apparmor->has_enabled && l->apparmor->enabled);
  assert_true (l->selinux->has_enabled);
  assert_false (l->selinux->enabled);
  assert_true (l->intel_rdt->enabled);
  assert_non_null (l->mount_extensions);
  assert_non_null (l->mount_extensions->idmap);
  assert_true (l->mount_extensions->idmap->has_enabled);
  assert_true (l->mount_extensions->idmap->enabled);
  assert_int_equal (f->annotations_len, 2);
  assert_string_equal (f->annotations[0].key, "io.github.seccomp.libseccomp.version");
  assert_string_equal (f->annotations[0].value, "2.5.4");
  assert_int_equal (f->potentially_unsafe_config_annotations_len, 2);
  assert_string_equal (f->potentially_unsafe_config_annotations[1], "org.systemd.property.");
}

static void
test_features_round_trip (void **state)
{
  size_t len;
  cleanup_free char *text = test_read_data ("features.json", &len);
  spec_features_t *f = NULL, *again = NULL;
  cleanup_error mc_error_t err = NULL;
  cleanup_free char *out = NULL;

  assert_ok (spec_features_parse (text, len, "features.json", &f, &err), err);
  check_features (f);
  assert_ok (spec_features_generate (f, true, &out, NULL, &err), err);
  /* The fixture is written the way the generator writes: byte-exact, so
     "v1": false (an optional bool that is set) must survive.  */
  assert_string_equal (out, text);
  assert_ok (spec_features_parse (out, strlen (out), "features.json", &again, &err), err);
  check_features (again);
  spec_features_free (f);
  spec_features_free (again);
}

/* What `minirun features` builds by hand.  */
static void
test_features_generate (void **state)
{
  char *hooks[] = { "prestart", "poststop", NULL };
  spec_features_enabled_t idmap = { .enabled = false, .has_enabled = true };
  spec_features_mount_extensions_t ext = { .idmap = &idmap };
  spec_features_linux_t lnx = { .mount_extensions = &ext };
  spec_features_t f = { .oci_version_min = "1.0.0", .oci_version_max = "1.2.0",
                        .hooks = hooks, .hooks_len = 2, .linux_ = &lnx };
  cleanup_error mc_error_t err = NULL;
  cleanup_free char *out = NULL;

  assert_ok (spec_features_generate (&f, false, &out, NULL, &err), err);
  assert_string_equal (out, "{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"1.2.0\","
                            "\"hooks\":[\"prestart\",\"poststop\"],\"linux\":"
                            "{\"mountExtensions\":{\"idmap\":{\"enabled\":false}}}}");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_state_parse),
    cmocka_unit_test (test_state_round_trip),
    cmocka_unit_test (test_state_pid),
    cmocka_unit_test (test_state_errors),
    cmocka_unit_test (test_features_round_trip),
    cmocka_unit_test (test_features_generate),
  };

  return cmocka_run_group_tests_name ("spec-state", tests, NULL, NULL);
}
