/* The per-registry settings file: see registries-conf.h.  */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/reference.h"
#include "imagetool/lib/registries-conf.h"
#include "spec/json-desc.h"

#define CONF_MAX (1u << 20)

static const spec_field_t registry_conf_fields[] = {
  SPEC_F (mcimg_registry_conf_t, insecure, "insecure", SPEC_BOOL, NULL),
  SPEC_F (mcimg_registry_conf_t, cert_dir, "certDir", SPEC_STRING, NULL),
  SPEC_FA (mcimg_registry_conf_t, mirrors, "mirrors", SPEC_STRV, NULL),
  SPEC_F (mcimg_registry_conf_t, blocked, "blocked", SPEC_BOOL, NULL),
};
static SPEC_TYPE (registry_conf_type, mcimg_registry_conf_t,
                  registry_conf_fields);

static const spec_field_t registries_conf_fields[] = {
  SPEC_FA (mcimg_registries_conf_t, registries, "registries", SPEC_MAP,
           &registry_conf_type),
};
static SPEC_TYPE (registries_conf_type, mcimg_registries_conf_t,
                  registries_conf_fields);

/* A domain as a reference would have it: "HOST[:PORT]", checked by parsing
   "DOMAIN/x" and comparing what comes back.  */
static bool
domain_valid (const char *domain)
{
  cleanup_error mc_error_t ignored = NULL;
  cleanup_free char *s = xasprintf ("%s/x", domain);
  cleanup_reference mcimg_reference_t *ref = NULL;

  if (strchr (domain, '/') != NULL
      || mcimg_reference_parse (s, &ref, &ignored) < 0)
    return false;
  return strcmp (ref->domain, domain) == 0;
}

static int
validate (const mcimg_registries_conf_t *conf, const char *path,
          mc_error_t *err)
{
  for (size_t i = 0; i < conf->registries_len; i++)
    {
      const mcimg_registry_conf_t *r = &conf->registries[i];

      if (!domain_valid (r->key))
        return mc_error_make (err, 0,
                              "%s: .registries[\"%s\"]: not a registry "
                              "domain (HOST or HOST:PORT)",
                              path, r->key);
      for (size_t k = 0; k < r->mirrors_len; k++)
        if (!domain_valid (r->mirrors[k]))
          return mc_error_make (err, 0,
                                "%s: .registries[\"%s\"].mirrors[%zu]: "
                                "`%s` is not a registry domain",
                                path, r->key, k, r->mirrors[k]);
    }
  return 0;
}

int
mcimg_registries_conf_load (const char *path, mcimg_registries_conf_t **out,
                            mc_error_t *err)
{
  cleanup_error mc_error_t read_err = NULL;
  cleanup_free char *text = NULL;
  mcimg_registries_conf_t *conf = NULL;
  bool optional = false;
  size_t len;

  *out = NULL;
  if (path == NULL || *path == '\0')
    path = getenv ("MCIMG_REGISTRIES_CONF");
  if (path == NULL || *path == '\0')
    {
      path = MCIMG_REGISTRIES_CONF_DEFAULT;
      optional = true;
    }
  if (mc_read_file_at (AT_FDCWD, path, CONF_MAX, &text, &len, &read_err) < 0)
    {
      if (optional && read_err->status == ENOENT)
        {
          *out = xcalloc (1, sizeof (**out));
          return 0;
        }
      *err = steal_ptr (&read_err);
      return mc_error_prefix (err, "registries configuration");
    }
  if (spec_parse (&registries_conf_type, text, len, path, (void **) &conf,
                  err)
      < 0)
    return -1;
  conf->path = xstrdup (path);
  if (validate (conf, path, err) < 0)
    {
      mcimg_registries_conf_free (conf);
      return -1;
    }
  *out = conf;
  return 0;
}

void
mcimg_registries_conf_free (mcimg_registries_conf_t *conf)
{
  if (conf == NULL)
    return;
  free (conf->path);
  conf->path = NULL;
  spec_free (&registries_conf_type, conf);
}

const mcimg_registry_conf_t *
mcimg_registries_conf_find (const mcimg_registries_conf_t *conf,
                            const char *domain)
{
  if (conf == NULL)
    return NULL;
  for (size_t i = 0; i < conf->registries_len; i++)
    if (strcmp (conf->registries[i].key, domain) == 0)
      return &conf->registries[i];
  return NULL;
}
