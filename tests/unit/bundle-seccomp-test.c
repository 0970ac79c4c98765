/* mcimg bundle's seccomp: the default profile follows the bounding set,
   the architecture and the kernel; seccomp=FILE and the other
   --security-opt values are checked with errors that say where.  */
#include <errno.h>
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

/* docker's 14 default capabilities.  */
static char *docker_caps[] = {
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
  "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
  NULL, NULL, /* room for the tests' additions */
};
#define N_DOCKER 14

static const mcimg_seccomp_host_t x86_64 = { "x86_64", 6, 18 };

static spec_seccomp_t *
build (const mcimg_seccomp_host_t *host, char **caps, size_t n)
{
  spec_seccomp_t *s = NULL;
  mc_error_t err = NULL;

  if (mcimg_seccomp_profile_build (mcimg_seccomp_default_profile, "default",
                                   host, caps, n, &s, &err) < 0)
    fail_msg ("%s", err->msg);
  return s;
}

/* The rules naming `name`: with arguments or not, and their action.  */
static int
count (const spec_seccomp_t *s, const char *name, const char *action,
       bool with_args)
{
  int n = 0;

  for (size_t i = 0; i < s->syscalls_len; i++)
    for (size_t j = 0; j < s->syscalls[i].names_len; j++)
      if (strcmp (s->syscalls[i].names[j], name) == 0
          && strcmp (s->syscalls[i].action, action) == 0
          && (s->syscalls[i].args_len > 0) == with_args)
        n++;
  return n;
}

static bool
allowed (const spec_seccomp_t *s, const char *name)
{
  return count (s, name, "SCMP_ACT_ALLOW", false) > 0;
}

static void
test_default_x86_64 (void **state)
{
  spec_seccomp_t *s = build (&x86_64, docker_caps, N_DOCKER);

  (void) state;
  assert_string_equal (s->default_action, "SCMP_ACT_ERRNO");
  assert_true (s->has_default_errno_ret);
  assert_int_equal (s->default_errno_ret, EPERM);
  assert_int_equal (s->architectures_len, 3);
  assert_string_equal (s->architectures[0], "SCMP_ARCH_X86_64");
  assert_string_equal (s->architectures[1], "SCMP_ARCH_X86");
  assert_string_equal (s->architectures[2], "SCMP_ARCH_X32");
  assert_true (allowed (s, "read"));
  assert_true (allowed (s, "execve"));
  assert_true (allowed (s, "arch_prctl"));
  assert_true (allowed (s, "modify_ldt"));
  assert_true (allowed (s, "chroot")); /* CAP_SYS_CHROOT is a default */
  assert_true (allowed (s, "ptrace")); /* kernel >= 4.8 */
  assert_false (allowed (s, "set_tls"));
  assert_false (allowed (s, "s390_runtime_instr"));
  /* Only with a capability docker does not give.  */
  static const char *const denied[] = {
    "mount", "umount2", "unshare", "setns", "bpf", "reboot", "init_module",
    "finit_module", "delete_module", "syslog", "acct", "settimeofday",
    "clock_settime", "kcmp", "iopl", "open_by_handle_at", "keyctl",
    "add_key", "io_uring_setup", "clone3", "clone", "socket", "personality",
  };
  for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++)
    if (allowed (s, denied[i]))
      fail_msg ("%s is allowed without arguments", denied[i]);
  /* The argument-filtered rules.  */
  assert_int_equal (count (s, "personality", "SCMP_ACT_ALLOW", true), 5);
  assert_int_equal (count (s, "socket", "SCMP_ACT_ALLOW", true), 1);
  assert_int_equal (count (s, "clone", "SCMP_ACT_ALLOW", true), 1);
  for (size_t i = 0; i < s->syscalls_len; i++)
    {
      const spec_seccomp_syscall_t *r = &s->syscalls[i];
      if (strcmp (r->names[0], "clone") == 0)
        {
          assert_int_equal (r->args_len, 1);
          assert_int_equal (r->args[0].index, 0);
          assert_string_equal (r->args[0].op, "SCMP_CMP_MASKED_EQ");
          assert_true (r->args[0].value == 0x7e020000);
          assert_true (r->args[0].value_two == 0);
        }
      if (strcmp (r->names[0], "socket") == 0)
        {
          assert_string_equal (r->args[0].op, "SCMP_CMP_NE");
          assert_true (r->args[0].value == 40);
        }
      if (strcmp (r->names[0], "clone3") == 0)
        {
          assert_string_equal (r->action, "SCMP_ACT_ERRNO");
          assert_true (r->has_errno_ret);
          assert_int_equal (r->errno_ret, ENOSYS);
        }
    }
  assert_int_equal (count (s, "clone3", "SCMP_ACT_ERRNO", false), 1);
  spec_seccomp_free (s);
}

static void
test_cap_add_drop (void **state)
{
  char *caps[N_DOCKER + 2];
  spec_seccomp_t *s;

  (void) state;
  memcpy (caps, docker_caps, sizeof caps);
  caps[N_DOCKER] = "CAP_SYS_ADMIN";
  s = build (&x86_64, caps, N_DOCKER + 1);
  assert_true (allowed (s, "mount"));
  assert_true (allowed (s, "unshare"));
  assert_true (allowed (s, "setns"));
  assert_true (allowed (s, "clone"));
  assert_true (allowed (s, "clone3"));
  assert_int_equal (count (s, "clone", "SCMP_ACT_ALLOW", true), 0);
  assert_int_equal (count (s, "clone3", "SCMP_ACT_ERRNO", false), 0);
  assert_false (allowed (s, "reboot"));
  spec_seccomp_free (s);

  caps[N_DOCKER] = "CAP_SYS_BOOT";
  caps[N_DOCKER + 1] = "CAP_SYS_MODULE";
  s = build (&x86_64, caps, N_DOCKER + 2);
  assert_true (allowed (s, "reboot"));
  assert_true (allowed (s, "init_module"));
  assert_true (allowed (s, "finit_module"));
  assert_false (allowed (s, "mount"));
  spec_seccomp_free (s);

  caps[N_DOCKER] = "CAP_SYS_PTRACE";
  caps[N_DOCKER + 1] = "CAP_SYSLOG";
  s = build (&x86_64, caps, N_DOCKER + 2);
  assert_true (allowed (s, "kcmp"));
  assert_true (allowed (s, "pidfd_getfd"));
  assert_true (allowed (s, "syslog"));
  spec_seccomp_free (s);

  caps[N_DOCKER] = "CAP_SYS_TIME";
  s = build (&x86_64, caps, N_DOCKER + 1);
  assert_true (allowed (s, "settimeofday"));
  assert_true (allowed (s, "clock_settime"));
  spec_seccomp_free (s);

  /* --cap-drop SYS_CHROOT: the last one, so 13 left.  */
  memmove (caps + 11, caps + 12, 2 * sizeof (*caps));
  s = build (&x86_64, caps, N_DOCKER - 1);
  assert_false (allowed (s, "chroot"));
  spec_seccomp_free (s);

  /* --cap-drop ALL: the base list stays.  */
  s = build (&x86_64, NULL, 0);
  assert_true (allowed (s, "read"));
  assert_false (allowed (s, "chroot"));
  spec_seccomp_free (s);
}

static void
test_arch_and_kernel (void **state)
{
  static const mcimg_seccomp_host_t arm64 = { "aarch64", 6, 1 };
  static const mcimg_seccomp_host_t old = { "x86_64", 4, 4 };
  static const mcimg_seccomp_host_t s390x = { "s390x", 6, 1 };
  spec_seccomp_t *s = build (&arm64, docker_caps, N_DOCKER);

  (void) state;
  assert_int_equal (s->architectures_len, 2);
  assert_string_equal (s->architectures[0], "SCMP_ARCH_AARCH64");
  assert_string_equal (s->architectures[1], "SCMP_ARCH_ARM");
  assert_true (allowed (s, "set_tls"));
  assert_true (allowed (s, "cacheflush"));
  assert_false (allowed (s, "arch_prctl"));
  assert_false (allowed (s, "modify_ldt"));
  spec_seccomp_free (s);

  s = build (&old, docker_caps, N_DOCKER);
  assert_false (allowed (s, "ptrace"));
  assert_false (allowed (s, "process_vm_readv"));
  spec_seccomp_free (s);

  /* s390 passes clone's flags second.  */
  s = build (&s390x, docker_caps, N_DOCKER);
  assert_int_equal (s->architectures_len, 2);
  for (size_t i = 0; i < s->syscalls_len; i++)
    if (strcmp (s->syscalls[i].names[0], "clone") == 0)
      assert_int_equal (s->syscalls[i].args[0].index, 1);
  assert_int_equal (count (s, "clone", "SCMP_ACT_ALLOW", true), 1);
  spec_seccomp_free (s);

  /* This host: the architecture mcimg was built for.  */
  mcimg_seccomp_host_t here;
  mcimg_seccomp_host_detect (&here);
  assert_true (here.kernel_major >= 3);
#if defined __x86_64__ && !defined __ILP32__
  assert_string_equal (here.arch, "x86_64");
#elif defined __aarch64__
  assert_string_equal (here.arch, "aarch64");
#endif
}

static void
test_profile_syntax (void **state)
{
  static const struct
  {
    const char *text;
    const char *want;
  } bad[] = {
    { "read\n", "line 1: syscall outside of a [group]: `read`" },
    { "[allow\nread\n", "line 1: expected `]`" },
    { "[permit]\n", "line 1: unknown action `permit`" },
    { "[errno ENOPE]\n", "unknown errno name `ENOPE`" },
    { "\n[allow cap=SYS_ADMIN]\n", "line 2: unknown condition `cap=SYS_ADMIN`" },
    { "[allow kernel>=4]\n", "unknown condition `kernel>=4`" },
    { "[allow]\nRead\n", "invalid syscall name `Read`" },
    { "[allow]\nsocket arg6 == 1\n", "expected arg0 to arg5, got `arg6`" },
    { "[allow]\nsocket arg0 =~ 1\n", "unknown operator `=~`" },
    { "[allow]\nsocket arg0 == x\n", "invalid value `x`" },
    { "[allow]\nsocket arg0 ==\n", "incomplete comparison" },
    { "[allow]\nclone arg0 &0x10 != 0\n", "expected == after a mask" },
  };
  (void) state;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      mc_error_t err = NULL;
      spec_seccomp_t *s = NULL;
      assert_true (mcimg_seccomp_profile_build (bad[i].text, "p.list",
                                                &x86_64, NULL, 0, &s, &err)
                   < 0);
      assert_null (s);
      if (strstr (err->msg, bad[i].want) == NULL
          || strncmp (err->msg, "p.list: line ", 13) != 0)
        fail_msg ("%s: got `%s`", bad[i].text, err->msg);
      mc_error_release (&err);
    }
  /* Conditions are checked in groups that do not apply too.  */
  mc_error_t err = NULL;
  spec_seccomp_t *s = NULL;
  assert_true (mcimg_seccomp_profile_build ("[allow arch=s390x]\nx arg9 == 1\n",
                                            "p", &x86_64, NULL, 0, &s, &err)
               < 0);
  mc_error_release (&err);
  assert_int_equal (mcimg_seccomp_profile_build (
                      "[allow !cap=CAP_SYS_ADMIN]  # c\n"
                      "a b  # c\n c\n"
                      "d arg0 &0x0f == 0x2 arg1 >= 7\n",
                      "p", &x86_64, NULL, 0, &s, &err),
                    0);
  assert_int_equal (s->syscalls_len, 2);
  assert_int_equal (s->syscalls[0].names_len, 3);
  assert_string_equal (s->syscalls[0].names[2], "c");
  assert_int_equal (s->syscalls[1].args_len, 2);
  assert_true (s->syscalls[1].args[0].value == 0xf);
  assert_true (s->syscalls[1].args[0].value_two == 2);
  assert_string_equal (s->syscalls[1].args[1].op, "SCMP_CMP_GE");
  assert_int_equal (s->syscalls[1].args[1].index, 1);
  spec_seccomp_free (s);
}

static void
test_file_parser (void **state)
{
  static const struct
  {
    const char *json;
    const char *want;
  } bad[] = {
    { "[]", "f.json: expected an object" },
    { "{\"syscalls\": []}", "defaultAction" },
    { "{\"defaultAction\": \"SCMP_ACT_NOPE\"}",
      "f.json: .defaultAction: unknown action `SCMP_ACT_NOPE`" },
    { "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 1}",
      "f.json: .defaultAction: an errno return needs" },
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": "
      "[\"SCMP_ARCH_X86_64\", \"x86\"]}",
      "f.json: .architectures[1]: unknown architecture `x86`" },
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [\"TSYNC\"]}",
      "f.json: .flags[0]: unknown flag `TSYNC`" },
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
      "[{\"names\": [\"read\"], \"action\": 1}]}",
      "f.json: .syscalls[0].action: expected a string" },
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
      "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, "
      "{\"action\": \"SCMP_ACT_ALLOW\"}]}",
      "f.json: .syscalls[1]" },
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
      "[{\"names\": [], \"action\": \"SCMP_ACT_ALLOW\"}]}",
      "f.json: .syscalls[0].names: is empty" },
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
      "[{\"names\": [\"x\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
      "[{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
      "f.json: .syscalls[0].args[0].index: 6 is out of range" },
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
      "[{\"names\": [\"x\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
      "[{\"index\": 0, \"value\": 1, \"op\": \"EQ\"}]}]}",
      "f.json: .syscalls[0].args[0].op: unknown operator `EQ`" },
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
      "[{\"names\": [\"x\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": "
      "[{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
      "f.json: .syscalls[0].args[0].value" },
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\",", "f.json:" },
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": []}",
      "f.json: .archMap: docker's profile format" },
    { "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": "
      "[{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}, "
      "{\"names\": [\"mount\"], \"action\": \"SCMP_ACT_ALLOW\", "
      "\"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}}]}",
      "f.json: .syscalls[1].includes: docker's profile format" },
  };
  static const char good[]
    = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,"
      " \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": ["
      " {\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
      " {\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\":"
      "  [{\"index\": 0, \"value\": 40, \"op\": \"SCMP_CMP_NE\"}]}]}";
  spec_seccomp_t *s = NULL;
  mc_error_t err = NULL;

  (void) state;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      assert_true (mcimg_seccomp_parse (bad[i].json, strlen (bad[i].json),
                                        "f.json", &s, &err)
                   < 0);
      assert_null (s);
      if (strstr (err->msg, bad[i].want) == NULL)
        fail_msg ("%s: got `%s`", bad[i].json, err->msg);
      mc_error_release (&err);
    }
  assert_int_equal (mcimg_seccomp_parse (good, strlen (good), "f.json", &s,
                                         &err),
                    0);
  assert_int_equal (s->default_errno_ret, 38);
  assert_int_equal (s->syscalls_len, 2);
  assert_int_equal (s->syscalls[1].args[0].value, 40);
  spec_seccomp_free (s);

  assert_true (mcimg_seccomp_load_file ("/nonexistent/f.json", &s, &err) < 0);
  assert_non_null (strstr (err->msg, "/nonexistent/f.json"));
  mc_error_release (&err);
}

/* A config with process, capabilities and linux, as write_config has
   them when it calls mcimg_bundle_security.  */
static spec_runtime_config_t *
config (char **caps, size_t n)
{
  spec_runtime_config_t *c = xzalloc (sizeof (*c));

  c->oci_version = xstrdup ("1.2.0");
  c->process = xzalloc (sizeof (*c->process));
  c->process->capabilities = xzalloc (sizeof (*c->process->capabilities));
  for (size_t i = 0; i < n; i++)
    mcimg_bundle_strv_add (&c->process->capabilities->bounding,
                           &c->process->capabilities->bounding_len, caps[i]);
  c->linux_ = xzalloc (sizeof (*c->linux_));
  return c;
}

static int
security (spec_runtime_config_t *c, char **opts, size_t n, mc_error_t *err)
{
  mcimg_bundle_options_t o = { 0 };

  o.security_opts = opts;
  o.security_opts_len = n;
  return mcimg_bundle_security (c, &o, err);
}

static void
test_security_opts (void **state)
{
  static const struct
  {
    const char *opt;
    const char *want;
  } bad[] = {
    { "seccomp", "unknown --security-opt `seccomp`" },
    { "seccomp=", "unknown --security-opt `seccomp=`" },
    { "selinux=on", "unknown --security-opt `selinux=on`" },
    { "no-new-privileges=maybe", "expected no-new-privileges, =true" },
    { "apparmor=", "unknown --security-opt" },
    { "label=nested", "not supported" },
    { "label=kind:x", "expected label=user:U" },
    { "label=type:", "expected label=user:U" },
  };
  static const char *const good[] = {
    "seccomp=unconfined", "seccomp=/x.json", "seccomp:builtin",
    "no-new-privileges", "no-new-privileges=true", "no-new-privileges:false",
    "apparmor=docker-default", "label=disable", "label=type:t",
    "label=level:s0:c100,c200", "label=filetype:f",
  };
  mc_error_t err = NULL;

  (void) state;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      assert_true (mcimg_bundle_security_opt_check (bad[i].opt, &err) < 0);
      if (strstr (err->msg, bad[i].want) == NULL)
        fail_msg ("%s: got `%s`", bad[i].opt, err->msg);
      mc_error_release (&err);
    }
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
    if (mcimg_bundle_security_opt_check (good[i], &err) < 0)
      fail_msg ("%s: %s", good[i], err->msg);

  /* No option: the default profile, nothing else.  */
  cleanup_runtime_config spec_runtime_config_t *c = config (docker_caps,
                                                            N_DOCKER);
  assert_int_equal (security (c, NULL, 0, &err), 0);
  assert_non_null (c->linux_->seccomp);
  assert_false (allowed (c->linux_->seccomp, "mount"));
  assert_false (c->process->no_new_privileges);
  assert_null (c->process->apparmor_profile);
  assert_null (c->process->selinux_label);
  /* The config (seccomp included) generates and reads back.  */
  cleanup_free char *json = NULL;
  size_t len;
  cleanup_runtime_config spec_runtime_config_t *back = NULL;
  assert_int_equal (spec_runtime_config_generate (c, false, &json, &len,
                                                  &err), 0);
  assert_int_equal (spec_runtime_config_parse (json, len, "gen", &back,
                                               &err), 0);
  assert_int_equal (back->linux_->seccomp->syscalls_len,
                    c->linux_->seccomp->syscalls_len);
  assert_non_null (strstr (json, "\"defaultErrnoRet\":1"));

  /* The profile follows the capabilities given.  */
  char *caps[N_DOCKER + 1];
  memcpy (caps, docker_caps, N_DOCKER * sizeof (*caps));
  caps[N_DOCKER] = "CAP_SYS_ADMIN";
  cleanup_runtime_config spec_runtime_config_t *admin = config (caps,
                                                                N_DOCKER + 1);
  assert_int_equal (security (admin, NULL, 0, &err), 0);
  assert_true (allowed (admin->linux_->seccomp, "mount"));

  char *o1[] = { "seccomp=unconfined", "no-new-privileges",
                 "apparmor=my-profile", "label=user:system_u",
                 "label=role:system_r", "label=type:svirt_lxc_net_t",
                 "label=level:s0:c1,c2", "label=filetype:svirt_sandbox_file_t" };
  cleanup_runtime_config spec_runtime_config_t *c1 = config (NULL, 0);
  assert_int_equal (security (c1, o1, 8, &err), 0);
  assert_null (c1->linux_->seccomp);
  assert_true (c1->process->no_new_privileges);
  assert_string_equal (c1->process->apparmor_profile, "my-profile");
  assert_string_equal (c1->process->selinux_label,
                       "system_u:system_r:svirt_lxc_net_t:s0:c1,c2");
  assert_string_equal (c1->linux_->mount_label,
                       "system_u:object_r:svirt_sandbox_file_t:s0:c1,c2");

  char *o2[] = { "apparmor=unconfined", "label=disable", "label=type:x",
                 "no-new-privileges=true", "no-new-privileges=false" };
  cleanup_runtime_config spec_runtime_config_t *c2 = config (NULL, 0);
  assert_int_equal (security (c2, o2, 5, &err), 0);
  assert_null (c2->process->apparmor_profile);
  assert_null (c2->process->selinux_label);
  assert_false (c2->process->no_new_privileges);

  char *o3[] = { "label=type:x", "label=level:s0" };
  cleanup_runtime_config spec_runtime_config_t *c3 = config (NULL, 0);
  assert_true (security (c3, o3, 2, &err) < 0);
  assert_non_null (strstr (err->msg, "give all of user:, role:, type: and "
                                     "level:"));
  mc_error_release (&err);

  char *o4[] = { "seccomp=/nonexistent/profile.json" };
  cleanup_runtime_config spec_runtime_config_t *c4 = config (NULL, 0);
  assert_true (security (c4, o4, 1, &err) < 0);
  assert_non_null (strstr (err->msg, "--security-opt seccomp: open "
                                     "`/nonexistent/profile.json`"));
  mc_error_release (&err);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_default_x86_64),
    cmocka_unit_test (test_cap_add_drop),
    cmocka_unit_test (test_arch_and_kernel),
    cmocka_unit_test (test_profile_syntax),
    cmocka_unit_test (test_file_parser),
    cmocka_unit_test (test_security_opts),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
