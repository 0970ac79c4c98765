/* runtime/lib/process.c: the checks of process.ioPriority,
   process.scheduler and linux.personality made at create (names, ranges,
   and the combinations runc refuses).  */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/lib/process.h"

static char *args[] = { "true", NULL };

static spec_process_t
base_process (void)
{
  return (spec_process_t) { .args = args, .args_len = 1, .cwd = "/" };
}

/* The message of a failed mc_process_validate, "" when it passed.  */
static char *
validate (const spec_process_t *p)
{
  mc_error_t err = NULL;
  char *msg;

  if (mc_process_validate (p, &err) == 0)
    {
      assert_null (err);
      return strdup ("");
    }
  assert_non_null (err);
  msg = mc_error_string (err);
  mc_error_release (&err);
  return msg;
}

static void
expect (const spec_process_t *p, const char *message)
{
  char *msg = validate (p);

  assert_string_equal (msg, message);
  free (msg);
}

static void
test_io_priority (void **state)
{
  spec_process_t p = base_process ();
  spec_io_priority_t io = { .class_ = "IOPRIO_CLASS_BE", .priority = 7 };

  p.io_priority = &io;
  expect (&p, "");
  io.class_ = "IOPRIO_CLASS_RT";
  io.priority = 0;
  expect (&p, "");
  io.class_ = "IOPRIO_CLASS_IDLE";
  expect (&p, "");
  io.priority = 8;
  expect (&p, "process.ioPriority: priority 8 not in 0..7");
  io.priority = -1;
  expect (&p, "process.ioPriority: priority -1 not in 0..7");
  io.priority = 0;
  io.class_ = "ioprio_class_be";
  expect (&p, "process.ioPriority: unknown class `ioprio_class_be` "
              "(IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE)");
  io.class_ = NULL;
  expect (&p, "process.ioPriority: unknown class `` "
              "(IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE)");
}

#define DEADLINE_RULE                                                    \
  "process.scheduler: SCHED_DEADLINE needs 1024 <= runtime <= deadline <= " \
  "period (ns; period 0: the deadline)"

static void
test_scheduler (void **state)
{
  spec_process_t p = base_process ();
  char *flags[] = { "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", NULL };
  char *bad_flags[] = { "SCHED_FLAG_NOPE", NULL };
  char *clamp_flags[] = { "SCHED_FLAG_UTIL_CLAMP_MAX", NULL };
  spec_scheduler_t s = { .policy = "SCHED_OTHER", .nice = -20 };

  p.scheduler = &s;
  expect (&p, "");
  s.nice = 19;
  expect (&p, "");
  s.nice = 20;
  expect (&p, "process.scheduler: nice 20 not in -20..19");
  s.nice = -21;
  expect (&p, "process.scheduler: nice -21 not in -20..19");
  s.nice = 0;
  s.policy = NULL;
  expect (&p, "process.scheduler: policy is required");
  s.policy = "SCHED_ISO";
  expect (&p, "process.scheduler: SCHED_ISO is not implemented by Linux");
  s.policy = "SCHED_NORMAL";
  expect (&p, "process.scheduler: unknown policy `SCHED_NORMAL`");
  s.policy = "SCHED_BATCH";
  s.priority = 1;
  expect (&p, "process.scheduler: priority can only be set for SCHED_FIFO "
              "or SCHED_RR");
  s.policy = "SCHED_FIFO";
  expect (&p, "");
  s.policy = "SCHED_RR";
  expect (&p, "");
  s.runtime = 1500;
  expect (&p, "process.scheduler: runtime, deadline and period can only be "
              "set for SCHED_DEADLINE");
  s.priority = 0;
  s.policy = "SCHED_DEADLINE";
  s.deadline = 2000;
  s.period = 3000;
  s.flags = flags;
  s.flags_len = 2;
  expect (&p, "");
  s.period = 0;
  expect (&p, "");
  s.runtime = 1023;
  s.deadline = 1023;
  expect (&p, DEADLINE_RULE);
  s.runtime = 3000;
  s.deadline = 2000;
  expect (&p, DEADLINE_RULE);
  s.runtime = 1500;
  s.period = 1999;
  expect (&p, DEADLINE_RULE);
  s.period = 3000;
  s.flags = bad_flags;
  s.flags_len = 1;
  expect (&p, "process.scheduler: unknown flag `SCHED_FLAG_NOPE`");
  s.flags = clamp_flags;
  expect (&p, "process.scheduler: SCHED_FLAG_UTIL_CLAMP_MAX is not "
              "supported (the spec gives no utilization value)");
  s = (spec_scheduler_t) { .policy = "SCHED_IDLE" };
  expect (&p, "");
}

static void
test_personality (void **state)
{
  char *flags[] = { "ADDR_NO_RANDOMIZE", NULL };
  spec_personality_t pers = { .domain = "LINUX32" };
  spec_linux_t lx = { .personality = &pers };
  mc_error_t err = NULL;
  char *msg;

  assert_int_equal (mc_process_validate_personality (NULL, &err), 0);
  assert_int_equal (mc_process_validate_personality (&lx, &err), 0);
  pers.domain = "LINUX";
  assert_int_equal (mc_process_validate_personality (&lx, &err), 0);
  assert_null (err);
  pers.domain = "linux";
  assert_int_equal (mc_process_validate_personality (&lx, &err), -1);
  msg = mc_error_string (err);
  assert_string_equal (msg, "linux.personality: unknown domain `linux` "
                            "(LINUX or LINUX32)");
  free (msg);
  mc_error_release (&err);
  pers.domain = "LINUX";
  pers.flags = flags;
  pers.flags_len = 1;
  assert_int_equal (mc_process_validate_personality (&lx, &err), -1);
  msg = mc_error_string (err);
  assert_string_equal (msg, "linux.personality: unknown flag "
                            "`ADDR_NO_RANDOMIZE`");
  free (msg);
  mc_error_release (&err);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_io_priority),
    cmocka_unit_test (test_scheduler),
    cmocka_unit_test (test_personality),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
