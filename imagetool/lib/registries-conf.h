/* Per-registry settings: a small JSON file in the spirit of
 * containers-registries.conf v2 (default /etc/mcimg/registries.json,
 * overridden by `--registries-conf FILE` or $MCIMG_REGISTRIES_CONF):
 *
 *   { "registries": {
 *       "127.0.0.1:5000": { "insecure": true },
 *       "docker.io": { "mirrors": ["mirror.example:5000"],
 *                      "certDir": "/etc/mcimg/certs.d/docker.io" },
 *       "evil.example": { "blocked": true } } }
 *
 * Keys are registry domains as references name them ("docker.io" for
 * Docker Hub, "HOST:PORT").  insecure: no TLS verification and a plain-http
 * fallback (as --tls-verify=false); certDir: a containers-style certificate
 * directory (as --cert-dir); mirrors: hosts tried in order before the
 * registry itself, each with its own entry's settings and its own
 * credentials; blocked: pulls are refused.  Unknown keys are ignored; a
 * value of the wrong type is an error naming its JSON path.  */
#ifndef MCIMG_REGISTRIES_CONF_H
#define MCIMG_REGISTRIES_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"

#define MCIMG_REGISTRIES_CONF_DEFAULT "/etc/mcimg/registries.json"

typedef struct mcimg_registry_conf
{
  char *key; /* the domain (first member: a SPEC_MAP entry) */
  bool insecure;
  char *cert_dir;
  char **mirrors;
  size_t mirrors_len;
  bool blocked;
} mcimg_registry_conf_t;

typedef struct mcimg_registries_conf
{
  mcimg_registry_conf_t *registries;
  size_t registries_len;
  char *path; /* the file it came from; NULL when there was none */
} mcimg_registries_conf_t;

/* Load `path`; NULL: $MCIMG_REGISTRIES_CONF, else the default path, which
   may be missing (an empty configuration).  A named file must exist.  */
int mcimg_registries_conf_load (const char *path,
                                mcimg_registries_conf_t **out,
                                mc_error_t *err);
void mcimg_registries_conf_free (mcimg_registries_conf_t *conf);

/* The entry for `domain`, or NULL.  */
const mcimg_registry_conf_t *
mcimg_registries_conf_find (const mcimg_registries_conf_t *conf,
                            const char *domain);

static inline void
mcimg_registries_conf_freep (mcimg_registries_conf_t **p)
{
  mcimg_registries_conf_free (*p);
}
#define cleanup_registries_conf \
  __attribute__ ((cleanup (mcimg_registries_conf_freep)))

#endif
