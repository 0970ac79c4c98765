/* The property every fuzz target checks for one document type: parsing
   arbitrary bytes never crashes, and whatever parses survives
   generate -> parse -> generate unchanged (pretty and compact).  Any
   violation aborts, which libFuzzer reports as a crash.  */
#ifndef TESTS_FUZZ_ROUND_TRIP_H
#define TESTS_FUZZ_ROUND_TRIP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"

static inline void
fuzz_die (const char *what, const char *step, mc_error_t err)
{
  fprintf (stderr, "fuzz %s: %s: %s\n", what, step, err ? err->msg : "mismatch");
  abort ();
}

#define FUZZ_ROUND_TRIP(T, parse, generate, free_fn, data, size)              \
  do                                                                          \
    {                                                                         \
      T *doc_ = NULL, *again_ = NULL;                                         \
      mc_error_t err_ = NULL;                                                 \
      char *out_ = NULL, *out2_ = NULL;                                       \
      size_t len_ = 0, len2_ = 0;                                             \
                                                                              \
      if (parse ((const char *) (data), (size), #T, &doc_, &err_) < 0)        \
        {                                                                     \
          if (doc_ != NULL || err_ == NULL)                                   \
            fuzz_die (#T, "failed parse left a result or no error", err_);    \
          mc_error_release (&err_);                                           \
          break;                                                              \
        }                                                                     \
      for (int pretty_ = 0; pretty_ < 2; pretty_++)                           \
        {                                                                     \
          if (generate (doc_, pretty_, &out_, &len_, &err_) < 0)              \
            fuzz_die (#T, "generate", err_);                                  \
          if (parse (out_, len_, #T, &again_, &err_) < 0)                     \
            fuzz_die (#T, "re-parse", err_);                                  \
          if (generate (again_, pretty_, &out2_, &len2_, &err_) < 0)          \
            fuzz_die (#T, "re-generate", err_);                               \
          if (len_ != len2_ || memcmp (out_, out2_, len_) != 0)               \
            fuzz_die (#T, "generate(parse(generate(x))) differs", NULL);      \
          free_fn (again_);                                                   \
          free (out_);                                                        \
          free (out2_);                                                       \
          again_ = NULL;                                                      \
        }                                                                     \
      free_fn (doc_);                                                         \
    }                                                                         \
  while (0)

#endif
