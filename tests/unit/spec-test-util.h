/* Helpers shared by the spec/ unit tests (cmocka).  */
#ifndef TESTS_UNIT_SPEC_TEST_UTIL_H
#define TESTS_UNIT_SPEC_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/error.h"

/* Contents of tests/unit/data/NAME (NUL-terminated); fails the test when
   the file cannot be read.  */
char *test_read_data (const char *name, size_t *len);

/* Assert that `err` holds exactly `expected`, then release it.  */
#define assert_error(err, expected)                                    \
  do                                                                   \
    {                                                                  \
      assert_non_null (err);                                           \
      assert_string_equal ((err)->msg, (expected));                    \
      mc_error_release (&(err));                                       \
    }                                                                  \
  while (0)

/* Assert that a call returning 0 / -1 succeeded, printing the error.  */
#define assert_ok(call, err)                                           \
  do                                                                   \
    {                                                                  \
      if ((call) < 0)                                                  \
        fail_msg ("%s failed: %s", #call,                              \
                  (err) ? (err)->msg : "(no error)");                  \
    }                                                                  \
  while (0)

#endif
