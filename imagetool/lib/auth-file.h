/* Registry credentials: `user:pass` strings, the auth files of podman and
 * docker, and `mcimg login` / `logout`.
 *
 * Files read, first match wins (as containers/image does):
 *   1. $REGISTRY_AUTH_FILE
 *   2. $XDG_RUNTIME_DIR/containers/auth.json
 *   3. $XDG_CONFIG_HOME/containers/auth.json (default ~/.config/...)
 *   4. $DOCKER_CONFIG/config.json (default ~/.docker/config.json)
 * Each has an "auths" map whose keys are `host[:port]`, optionally with a
 * repository namespace (`quay.io/org`, the most specific key wins), a
 * scheme (`https://host`) or a path (`https://index.docker.io/v1/`, the
 * historical key of Docker Hub, which is also matched for docker.io); the
 * value's "auth" is base64("user:pass").  credsStore/credHelpers are not
 * supported (a helper would be an external program); identity tokens are
 * ignored.
 *
 * login/logout write the file `mcimg_auth_file_default_path` names, like
 * podman: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json,
 * else ~/.docker/config.json (a user without a runtime dir).  Other content
 * of the file is kept; it is replaced atomically with mode 0600.  */
#ifndef MCIMG_AUTH_FILE_H
#define MCIMG_AUTH_FILE_H

#include <stddef.h>

#include "common/error.h"

typedef struct mcimg_credentials
{
  char *username;
  char *password;
} mcimg_credentials_t;

/* Wipe and free both strings.  */
void mcimg_credentials_clear (mcimg_credentials_t *c);

/* "user:pass" (the password may contain ':').  The error never repeats
   the string.  */
int mcimg_credentials_parse (const char *userpass, mcimg_credentials_t *out,
                             mc_error_t *err);

/* Look `registry` (+ optional `repo`, for namespaced keys) up in the auth
   JSON document `json`.  Returns 1 and fills *out when found, 0 when not.
   `what` names the document in errors.  */
int mcimg_auth_json_lookup (const char *json, size_t len, const char *what,
                            const char *registry, const char *repo,
                            mcimg_credentials_t *out, mc_error_t *err);

/* Search the files above (`file` instead of them when not NULL).  Returns
   1 when found, 0 when no file has an entry; missing files of the default
   list are skipped, a missing `file` is an error.  */
int mcimg_credentials_find (const char *file, const char *registry,
                            const char *repo, mcimg_credentials_t *out,
                            mc_error_t *err);

/* The file login/logout use (caller frees).  */
char *mcimg_auth_file_default_path (void);

/* Store or remove `registry`'s entry in `file` (NULL: the default path). 
   Logout of a registry without an entry fails with "not logged in".  */
int mcimg_login (const char *file, const char *registry,
                 const mcimg_credentials_t *creds, mc_error_t *err);
int mcimg_logout (const char *file, const char *registry, mc_error_t *err);

/* Normalise an "auths" key to `host[:port][/path]`: drop the scheme and a
   trailing "/", map index.docker.io/v1 and registry-1.docker.io to
   docker.io (caller frees).  */
char *mcimg_auth_key_normalize (const char *key);

#endif
