/* The cgroup manager for real, through its library interface: create a
   group with resources, place a child, freeze/thaw, stats, update, destroy.
   Needs root; runs with the driver of the host (v1/hybrid here, v2 in the
   VM through tests/integration/cgroup-v2.sh).  */
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

/* Process state letter of /proc/PID/stat.  */
static char
proc_state (pid_t pid)
{
  cleanup_free char *path = xasprintf ("/proc/%d/stat", (int) pid);
  cleanup_file FILE *f = fopen (path, "re");
  char state = '?';

  if (f)
    {
      int r = fscanf (f, "%*d (%*[^)]) %c", &state);
      (void) r;
    }
  return state;
}

/* What a failed assertion would leave: removed by the teardown.  */
static mc_cgroup_t *live_cg;
static pid_t live_child;

static int
teardown (void **state)
{
  mc_error_t err = NULL;

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
test_lifecycle (void **state)
{
  spec_memory_t mem = { .limit = 64 << 20, .has_limit = true };
  spec_pids_t pids = { .limit = 50, .has_limit = true };
  spec_cpu_t cpu = { .shares = 512, .has_shares = true, .quota = 20000,
                     .has_quota = true, .period = 100000, .has_period = true };
  spec_resources_t res = { .memory = &mem, .pids = &pids, .cpu = &cpu };
  spec_linux_t lnx = { .resources = &res };
  spec_pids_t pids2 = { .limit = 7, .has_limit = true };
  spec_resources_t upd = { .pids = &pids2 };
  cleanup_free char *id = xasprintf ("unit-%d", (int) getpid ());
  cleanup_free pid_t *in = NULL;
  mc_cgroup_t *cg = NULL, *again = NULL;
  mc_cgroup_stats_t st;
  mc_error_t err = NULL;
  size_t n = 0;
  int status;
  pid_t child;

  if (geteuid () != 0)
    skip ();
  check_ok (mc_cgroup_create (&lnx, id, false, &cg, &err), &err, "create");
  live_cg = cg;
  child = fork ();
  if (child == 0)
    {
      for (;;)
        pause ();
    }
  live_child = child;
  check_ok (mc_cgroup_enter (cg, child, &err), &err, "enter");
  check_ok (mc_cgroup_pids (cg, &in, &n, &err), &err, "pids");
  assert_int_equal (n, 1);
  assert_int_equal (in[0], child);

  check_ok (mc_cgroup_stats (cg, &st, &err), &err, "stats");
  assert_int_equal (st.memory_limit, 64 << 20);
  assert_int_equal (st.pids_limit, 50);
  assert_int_equal (st.pids_current, 1);

  check_ok (mc_cgroup_update (cg, &upd, &err), &err, "update");
  check_ok (mc_cgroup_stats (cg, &st, &err), &err, "stats");
  assert_int_equal (st.pids_limit, 7);
  assert_int_equal (st.memory_limit, 64 << 20);

  check_ok (mc_cgroup_freeze (cg, true, &err), &err, "freeze");
  /* Frozen tasks sleep in the freezer (v1: D, v2: S): never R.  */
  assert_true (proc_state (child) != 'R');
  check_ok (mc_cgroup_freeze (cg, false, &err), &err, "thaw");

  /* A later process finds the group from its saved directories, and
     destroy kills what is in it, frozen or not.  */
  check_ok (mc_cgroup_freeze (cg, true, &err), &err, "freeze");
  check_ok (mc_cgroup_load (mc_cgroup_dirs (cg), cg->dirs_len, &again, &err),
            &err, "load");
  check_ok (mc_cgroup_destroy (again, &err), &err, "destroy");
  assert_int_equal (waitpid (child, &status, 0), child);
  live_child = 0;
  assert_true (WIFSIGNALED (status));
  assert_int_equal (WTERMSIG (status), SIGKILL);
  for (size_t i = 0; i < cg->dirs_len; i++)
    if (access (cg->dirs[i], F_OK) == 0)
      fail_msg ("`%s` is left", cg->dirs[i]);
  mc_cgroup_free (again);
  mc_cgroup_free (cg);
  live_cg = NULL;
}

/* A resource the kernel refuses fails create, and nothing is left.  */
static void
test_failed_create_cleans_up (void **state)
{
  spec_cpu_t cpu = { .cpus = (char *) "1000" };
  spec_resources_t res = { .cpu = &cpu };
  cleanup_free char *path = xasprintf ("/minirun-unit-%d/a/b", (int) getpid ());
  spec_linux_t lnx = { .resources = &res, .cgroups_path = path };
  cleanup_free char *probe = NULL;
  mc_cgroup_t *cg = NULL;
  mc_error_t err = NULL;
  mc_cgroup_mode_t mode;

  if (geteuid () != 0)
    skip ();
  assert_true (mc_cgroup_create (&lnx, "x", false, &cg, &err) < 0);
  assert_null (cg);
  mc_error_release (&err);
  check_ok (mc_cgroup_detect_mode (&mode, &err), &err, "mode");
  probe = xasprintf ("%s/%s/minirun-unit-%d", MC_CGROUP_ROOT,
                     mode == MC_CGROUP_V2 ? "" : "cpuset", (int) getpid ());
  assert_int_equal (access (probe, F_OK), -1);
}

/* Without the state, the default /minirun/ID group is still found.  */
static void
test_destroy_default (void **state)
{
  spec_linux_t lnx = { 0 };
  cleanup_free char *id = xasprintf ("unit-lost-%d", (int) getpid ());
  mc_cgroup_t *cg = NULL;
  mc_error_t err = NULL;
  int status;
  pid_t child;

  if (geteuid () != 0)
    skip ();
  check_ok (mc_cgroup_destroy_default ("unit-never-made", &err), &err,
            "destroy of nothing");
  check_ok (mc_cgroup_create (&lnx, id, false, &cg, &err), &err, "create");
  live_cg = cg;
  child = fork ();
  if (child == 0)
    {
      for (;;)
        pause ();
    }
  live_child = child;
  check_ok (mc_cgroup_enter (cg, child, &err), &err, "enter");
  check_ok (mc_cgroup_destroy_default (id, &err), &err, "destroy default");
  assert_int_equal (waitpid (child, &status, 0), child);
  live_child = 0;
  assert_true (WIFSIGNALED (status));
  for (size_t i = 0; i < cg->dirs_len; i++)
    if (access (cg->dirs[i], F_OK) == 0)
      fail_msg ("`%s` is left", cg->dirs[i]);
  mc_cgroup_free (cg);
  live_cg = NULL;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown (test_lifecycle, teardown),
    cmocka_unit_test (test_failed_create_cleans_up),
    cmocka_unit_test_teardown (test_destroy_default, teardown),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
