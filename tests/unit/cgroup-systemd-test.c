/* The systemd cgroup driver for real, through the library interface:
   create a scope with resources, place a child, update (unit property and
   file), stats, find it again from the saved paths, destroy.  Needs root
   and systemd as PID 1: skipped elsewhere; run in the VM booted with
   systemd by tests/integration/vm-systemd.sh.  */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "runtime/lib/cgroup.h"

static void
check_ok (int r, mc_error_t *err, const char *what)
{
  if (r < 0)
    fail_msg ("%s: %s: %s", what, (*err)->msg, strerror ((*err)->status));
}

/* The first line of `systemctl show -P PROP UNIT` ("" when none).  */
static char *
unit_prop (const char *unit, const char *prop)
{
  cleanup_free char *cmd = xasprintf ("systemctl show -P %s %s 2>/dev/null",
                                      prop, unit);
  FILE *f = popen (cmd, "r");
  char line[256] = "";

  if (f)
    {
      if (fgets (line, sizeof (line), f) == NULL)
        line[0] = '\0';
      pclose (f);
    }
  line[strcspn (line, "\n")] = '\0';
  return xstrdup (line);
}

static mc_cgroup_t *live_cg;
static pid_t live_child;

static int
teardown (void **state)
{
  mc_error_t err = NULL;

  (void) state;
  if (live_cg)
    {
      mc_cgroup_destroy (live_cg, &err);
      mc_error_release (&err);
      mc_cgroup_free (live_cg);
      live_cg = NULL;
    }
  if (live_child > 0)
    {
      kill (live_child, SIGKILL);
      waitpid (live_child, NULL, 0);
      live_child = 0;
    }
  return 0;
}

static void
test_scope (void **state)
{
  spec_memory_t mem = { .limit = 64 << 20, .has_limit = true };
  spec_pids_t pids = { .limit = 50, .has_limit = true };
  spec_resources_t res = { .memory = &mem, .pids = &pids };
  cleanup_free char *path = xasprintf ("system.slice:mrunit:%d",
                                       (int) getpid ());
  cleanup_free char *unit = xasprintf ("mrunit-%d.scope", (int) getpid ());
  spec_linux_t lnx = { .resources = &res, .cgroups_path = path };
  spec_pids_t pids2 = { .limit = 7, .has_limit = true };
  spec_resources_t upd = { .pids = &pids2 };
  cleanup_free pid_t *in = NULL;
  cleanup_free char *tasks = NULL, *active = NULL, *gone = NULL;
  cleanup_free char *want_dir = NULL;
  mc_cgroup_t *cg = NULL, *again = NULL;
  mc_cgroup_stats_t st;
  mc_cgroup_mode_t mode;
  mc_error_t err = NULL;
  char **saved;
  size_t n = 0, saved_len = 0;
  int status;
  pid_t child;

  (void) state;
  check_ok (mc_cgroup_detect_mode (&mode, &err), &err, "mode");
  check_ok (mc_cgroup_create (&lnx, "unused", true, &cg, &err), &err,
            "create");
  live_cg = cg;
  assert_string_equal (cg->unit, unit);
  /* Nothing exists before init does.  */
  assert_int_equal (cg->dirs_len, 0);
  child = fork ();
  if (child == 0)
    {
      for (;;)
        pause ();
    }
  live_child = child;
  check_ok (mc_cgroup_enter (cg, child, &err), &err, "enter");
  active = unit_prop (unit, "ActiveState");
  assert_string_equal (active, "active");
  if (mode == MC_CGROUP_V2)
    {
      want_dir = xasprintf ("%s/system.slice/%s", MC_CGROUP_ROOT, unit);
      assert_int_equal (cg->dirs_len, 1);
      assert_string_equal (cg->dirs[0], want_dir);
    }
  check_ok (mc_cgroup_pids (cg, &in, &n, &err), &err, "pids");
  assert_int_equal (n, 1);
  assert_int_equal (in[0], child);
  check_ok (mc_cgroup_stats (cg, &st, &err), &err, "stats");
  assert_int_equal (st.memory_limit, 64 << 20);
  assert_int_equal (st.pids_limit, 50);

  /* A live update changes the file and the unit's property.  */
  check_ok (mc_cgroup_update (cg, &upd, &err), &err, "update");
  check_ok (mc_cgroup_stats (cg, &st, &err), &err, "stats");
  assert_int_equal (st.pids_limit, 7);
  tasks = unit_prop (unit, "TasksMax");
  assert_string_equal (tasks, "7");

  /* The saved paths end with "systemd:UNIT"; a later process destroys
     from them: the child is killed, the unit stopped, the group gone.  */
  saved = mc_cgroup_dirs (cg);
  while (saved[saved_len])
    saved_len++;
  assert_int_equal (saved_len, cg->dirs_len + 1);
  assert_true (strncmp (saved[saved_len - 1], MC_CGROUP_SYSTEMD_TAG,
                        strlen (MC_CGROUP_SYSTEMD_TAG)) == 0);
  check_ok (mc_cgroup_load (saved, saved_len, &again, &err), &err, "load");
  assert_string_equal (again->unit, unit);
  assert_int_equal (again->dirs_len, cg->dirs_len);
  check_ok (mc_cgroup_destroy (again, &err), &err, "destroy");
  assert_int_equal (waitpid (child, &status, 0), child);
  live_child = 0;
  assert_true (WIFSIGNALED (status));
  gone = unit_prop (unit, "ActiveState");
  assert_string_equal (gone, "inactive");
  for (size_t i = 0; i < cg->dirs_len; i++)
    if (access (cg->dirs[i], F_OK) == 0)
      fail_msg ("`%s` is left", cg->dirs[i]);
  mc_cgroup_free (again);
  mc_cgroup_free (cg);
  live_cg = NULL;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown (test_scope, teardown),
  };

  /* A skipped cmocka test is "not ok # SKIP", which the TAP driver counts
     as a failure: skip the whole program instead.  */
  if (geteuid () != 0 || access ("/run/systemd/system", F_OK) < 0)
    {
      printf ("1..0 # SKIP needs root and systemd as PID 1\n");
      return 0;
    }
  return cmocka_run_group_tests (tests, NULL, NULL);
}
