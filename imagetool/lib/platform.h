/* Platforms (`linux/arm64/v8`) and choosing one from a multi-platform index.
 *
 * Names are Go's GOOS/GOARCH as used by OCI.  Every platform is normalised
 * the way containerd's platforms.Normalize does before it is compared:
 *
 *   x86_64, x86-64       -> amd64 (variant v1 dropped)
 *   aarch64              -> arm64; variants 8, v8, v8.0 -> none (v8 is the
 *                           default), 9, 9.0, v9.0 -> v9
 *   armhf -> arm/v7, armel -> arm/v6; arm with no variant or 7 -> v7;
 *                           5, 6, 8 -> v5, v6, v8
 *   i386                 -> 386
 *
 * Choosing (containerd's default `platforms.Only` matcher): the wanted
 * platform is expanded into an ordered list of acceptable platforms and the
 * index entry matching the earliest one wins (ties: first in the index):
 *
 *   amd64/vN  -> amd64/vN, amd64/vN-1, ..., amd64/v1 (= amd64), then 386
 *   arm/vN    -> arm/vN, arm/vN-1, ..., arm/v5    (v7 -> v7, v6, v5)
 *   arm64     -> arm64, then arm/v8, arm/v7, arm/v6, arm/v5
 *   arm64/vN  -> arm64/vN, then arm/vN, arm/vN-1, ..., arm/v5
 *   other     -> exactly itself
 *
 * OS and architecture compare exactly; OS is not expanded.  */
#ifndef MCIMG_PLATFORM_H
#define MCIMG_PLATFORM_H

#include <stddef.h>

#include "common/error.h"

typedef struct mcimg_platform
{
  char *os;           /* "linux" */
  char *architecture; /* "amd64", "arm64", "arm" */
  char *variant;      /* "v7", or NULL */
} mcimg_platform_t;

/* Parse "os/arch[/variant]" (also "arch" alone, meaning linux/arch) and
   normalise it.  */
int mcimg_platform_parse (const char *s, mcimg_platform_t *out,
                          mc_error_t *err);

/* The platform of this machine: linux + uname(2)'s machine mapped to GOARCH
   (see mcimg_platform_from_machine).  */
int mcimg_platform_host (mcimg_platform_t *out, mc_error_t *err);

/* Map a uname machine name: x86_64->amd64, aarch64/arm64->arm64 (v8),
   armv7l->arm/v7, armv6l->arm/v6, armv5*->arm/v5, i?86->386, ppc64le,
   s390x, riscv64, mips64(el), loongarch64->loong64.  */
int mcimg_platform_from_machine (const char *machine, mcimg_platform_t *out,
                                 mc_error_t *err);

/* Normalise in place (the table above); fields may be reallocated.  */
void mcimg_platform_normalize (mcimg_platform_t *p);

/* Deep copy; "os/arch[/variant]" for messages (caller frees).  */
void mcimg_platform_copy (mcimg_platform_t *dst, const mcimg_platform_t *src);
char *mcimg_platform_string (const mcimg_platform_t *p);

/* Whether `candidate` (normalised on the fly) is exactly `want`.  */
int mcimg_platform_equal (const mcimg_platform_t *want,
                          const mcimg_platform_t *candidate);

/* Index of the best of the n candidates for `want`, by the order above.
   Fails, listing what is available, when none is acceptable.  Candidates
   with a NULL os or architecture never match.  */
int mcimg_platform_choose (const mcimg_platform_t *want,
                           const mcimg_platform_t *candidates, size_t n,
                           mc_error_t *err);

void mcimg_platform_clear (mcimg_platform_t *p);

#endif
