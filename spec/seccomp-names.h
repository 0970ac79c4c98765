/* The names linux.seccomp may use, as the runtime-spec and libseccomp
   spell them: the validator of mcimg and minirun's `features` both read
   these lists, so the two cannot disagree.  */
#ifndef SPEC_SECCOMP_NAMES_H
#define SPEC_SECCOMP_NAMES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct
{
  const char *const *names;
  size_t len;
} spec_name_list_t;

extern const spec_name_list_t spec_seccomp_actions;
extern const spec_name_list_t spec_seccomp_operators;
extern const spec_name_list_t spec_seccomp_archs;
extern const spec_name_list_t spec_seccomp_flags;

bool spec_name_list_has (const spec_name_list_t *list, const char *name);

#endif
