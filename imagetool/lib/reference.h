/* Image references: `alpine`, `ghcr.io/org/app:v1`, `[::1]:5000/app@sha256:…`.
 *
 * Parsing follows the grammar of distribution's reference package and
 * Docker's normalisation:
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ domain "/" ] component ( "/" component )*
 *   domain     := host [ ":" port ]        host: DNS labels or "[" IPv6 "]"
 *   component  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 *   digest     := "sha256:" 64 lowercase hex digits
 *
 * The first "/"-separated part is a domain only when it contains "." or ":",
 * is "localhost", or has an uppercase letter (as in distribution, so that
 * `Foo/bar` fails as a registry rather than as a repository).  Otherwise the
 * image is on Docker Hub: the domain is `docker.io` and one-component names
 * get `library/`.  `index.docker.io` is an alias of `docker.io`.  With
 * neither tag nor digest the tag is `latest`; with both, the digest wins for
 * fetching and the tag is kept for display.  The normalised name
 * (domain/path) is at most 255 characters.  */
#ifndef MCIMG_REFERENCE_H
#define MCIMG_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"

#define MCIMG_DOCKER_HUB_DOMAIN "docker.io"
#define MCIMG_DOCKER_HUB_API_HOST "registry-1.docker.io"
#define MCIMG_NAME_MAX 255

typedef struct mcimg_reference
{
  char *domain; /* "docker.io", "localhost:5000", "[::1]:5000" */
  char *path;   /* repository inside the registry: "library/alpine" */
  char *tag;    /* NULL when only a digest was given */
  char *digest; /* "sha256:<64 hex>" or NULL */
} mcimg_reference_t;

/* Parse and normalise `s`.  On failure the error reads
   "invalid reference `S`: WHAT IS WRONG".  */
int mcimg_reference_parse (const char *s, mcimg_reference_t **out,
                           mc_error_t *err);
void mcimg_reference_free (mcimg_reference_t *ref);

/* "docker.io/library/alpine:3.19", "...@sha256:…", "...:tag@sha256:…".  */
char *mcimg_reference_string (const mcimg_reference_t *ref);

/* What to ask the registry for: the digest when there is one, else the tag. */
const char *mcimg_reference_object (const mcimg_reference_t *ref);

/* Host[:port] to connect to: registry-1.docker.io for docker.io.  */
const char *mcimg_registry_api_host (const char *domain);

/* Validate "sha256:<64 lowercase hex>"; error says what is wrong.  */
int mcimg_digest_validate (const char *digest, mc_error_t *err);

/* The path-component and tag rules alone (exposed for the tests).  */
bool mcimg_reference_component_valid (const char *s, size_t len);
bool mcimg_reference_tag_valid (const char *s);

#define cleanup_reference __attribute__ ((cleanup (mcimg_reference_freep)))
static inline void
mcimg_reference_freep (mcimg_reference_t **p)
{
  mcimg_reference_free (*p);
}

#endif
