/* libFuzzer target: mcimg bundle's seccomp inputs, a --security-opt
   seccomp=FILE document and a profile in the seccomp-default.list syntax
   (imagetool/data is part of the corpus).  Neither may crash, and whatever
   parses is a linux.seccomp that config.json generates and reads back.  */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "imagetool/lib/bundle-internal.h"
#include "spec/runtime-config.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* bundle-seccomp.c refers to the embedded profile (generated at build
   time, which this target is not part of).  */
const char mcimg_seccomp_default_profile[] = "[allow]\nread\n";

static void
die (const char *step, mc_error_t err)
{
  fprintf (stderr, "fuzz seccomp: %s: %s\n", step, err ? err->msg : "mismatch");
  abort ();
}

/* Takes s.  */
static void
check (spec_seccomp_t *s, mc_error_t err)
{
  spec_runtime_config_t *c, *back = NULL;
  char *json = NULL;
  size_t len = 0;

  if (s == NULL)
    {
      if (err == NULL)
        die ("failed without an error", NULL);
      mc_error_release (&err);
      return;
    }
  c = xzalloc (sizeof (*c));
  c->oci_version = xstrdup ("1.2.0");
  c->linux_ = xzalloc (sizeof (*c->linux_));
  c->linux_->seccomp = s;
  if (spec_runtime_config_generate (c, false, &json, &len, &err) < 0)
    die ("generate", err);
  if (spec_runtime_config_parse (json, len, "generated", &back, &err) < 0)
    die ("parse back", err);
  if (back->linux_ == NULL || back->linux_->seccomp == NULL
      || back->linux_->seccomp->syscalls_len != s->syscalls_len)
    die ("parse back", NULL);
  free (json);
  spec_runtime_config_free (back);
  spec_runtime_config_free (c);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *caps[] = { "CAP_SYS_ADMIN", "CAP_SYS_PTRACE" };
  const mcimg_seccomp_host_t host = { size % 2 ? "s390x" : "x86_64", 4,
                                      size % 3 * 4 };
  spec_seccomp_t *s = NULL;
  mc_error_t err = NULL;
  char *text;

  mcimg_seccomp_parse ((const char *) data, size, "fuzz", &s, &err);
  check (s, err);
  err = NULL;
  s = NULL;
  text = xstrndup ((const char *) data, size);
  mcimg_seccomp_profile_build (text, "fuzz", &host, caps, size % 3, &s, &err);
  check (s, err);
  free (text);
  return 0;
}
