/* Registry authentication pieces that need no network: parsing
 * WWW-Authenticate challenges and token replies, and the token cache.
 * registry.c drives them; they are separate so the unit tests can reach
 * them.  */
#ifndef MCIMG_REGISTRY_AUTH_H
#define MCIMG_REGISTRY_AUTH_H

#include <stddef.h>
#include <time.h>

#include "common/error.h"

enum mcimg_auth_scheme
{
  MCIMG_AUTH_NONE,
  MCIMG_AUTH_BASIC,
  MCIMG_AUTH_BEARER,
};

typedef struct mcimg_auth_challenge
{
  enum mcimg_auth_scheme scheme;
  char *realm;   /* Bearer: token endpoint URL; Basic: display name */
  char *service; /* Bearer only */
  char *scope;   /* Bearer: scope the server asks for, if any */
  char *error;   /* Bearer: "insufficient_scope", "invalid_token", ... */
} mcimg_auth_challenge_t;

/* Parse the (comma-joined) values of WWW-Authenticate headers: RFC 7235
   challenges, each a scheme followed by name=value parameters whose values
   are tokens or quoted strings (with \-escapes; commas allowed inside).
   When several challenges are offered Bearer is preferred to Basic; other
   schemes are ignored.  A Bearer challenge needs a realm.  */
int mcimg_auth_challenge_parse (const char *header,
                                mcimg_auth_challenge_t *out, mc_error_t *err);
void mcimg_auth_challenge_clear (mcimg_auth_challenge_t *c);
void mcimg_auth_challenge_copy (mcimg_auth_challenge_t *dst,
                                const mcimg_auth_challenge_t *src);

/* Parse a token endpoint reply {"token"|"access_token", "expires_in",
   "issued_at"}: the token and its lifetime in seconds (60 when absent or
   not positive, as the distribution token spec says).  */
int mcimg_auth_token_parse (const char *body, size_t len, char **token,
                            long *expires_in, mc_error_t *err);

/* Tokens by scope, each valid until a monotonic deadline.  Expiry is
   counted from when the reply arrived, not from the server's issued_at, so
   a skewed clock cannot make tokens look expired or eternal; a margin of a
   tenth of the lifetime (at most 10 s) keeps a token from expiring while a
   request is in flight.  Not locked: the owner serialises access.  */
typedef struct mcimg_token_cache
{
  struct mcimg_token_entry *entries;
  size_t len;
} mcimg_token_cache_t;

/* The cached token for `scope` if it is still valid at `now` (seconds, a
   monotonic clock), else NULL.  The string stays owned by the cache.  */
const char *mcimg_token_cache_get (mcimg_token_cache_t *c, const char *scope,
                                   double now);
void mcimg_token_cache_put (mcimg_token_cache_t *c, const char *scope,
                            const char *token, long expires_in, double now);
void mcimg_token_cache_drop (mcimg_token_cache_t *c, const char *scope);
void mcimg_token_cache_clear (mcimg_token_cache_t *c);

/* The header line "Authorization: Basic base64(user:pass)" (caller frees;
   wipe it with explicit_bzero).  */
char *mcimg_auth_basic_header (const char *user, const char *pass);

#endif
