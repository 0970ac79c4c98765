/* See seccomp-names.h.  Sorted, as `minirun features` prints them.  */
#include <string.h>

#include "spec/seccomp-names.h"

#define LIST(name, ...)                                                       \
  static const char *const name##_names[] = { __VA_ARGS__ };                  \
  const spec_name_list_t name                                                 \
      = { name##_names, sizeof (name##_names) / sizeof (name##_names[0]) }

LIST (spec_seccomp_actions, "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO",
      "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
      "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP");

LIST (spec_seccomp_operators, "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
      "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE");

LIST (spec_seccomp_archs, "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM",
      "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64",
      "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
      "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
      "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
      "SCMP_ARCH_RISCV64", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
      "SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64");

LIST (spec_seccomp_flags, "SECCOMP_FILTER_FLAG_LOG",
      "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC",
      "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");

bool
spec_name_list_has (const spec_name_list_t *list, const char *name)
{
  for (size_t i = 0; i < list->len; i++)
    if (strcmp (list->names[i], name) == 0)
      return true;
  return false;
}
