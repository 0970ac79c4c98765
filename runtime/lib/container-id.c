#include "runtime/lib/container-id.h"

#include <errno.h>
#include <string.h>

static int
is_alnum (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
         || (c >= '0' && c <= '9');
}

int
mc_container_id_validate (const char *id, mc_error_t *err)
{
  size_t len;

  if (id == NULL || *id == '\0')
    return mc_error_make (err, 0, "invalid container ID: empty");
  len = strnlen (id, MC_CONTAINER_ID_MAX + 1);
  if (len > MC_CONTAINER_ID_MAX)
    return mc_error_make (err, 0,
                          "invalid container ID: longer than %d characters",
                          MC_CONTAINER_ID_MAX);
  /* The first character is alphanumeric, so the ID can be neither a dot
     entry nor an option.  */
  if (is_alnum (id[0])
      && strspn (id + 1, "abcdefghijklmnopqrstuvwxyz"
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789_.-") == len - 1)
    return 0;
  /* Keep the message on one line whatever the ID holds.  */
  for (const char *p = id; *p; p++)
    if ((unsigned char) *p < 0x20 || (unsigned char) *p >= 0x7f)
      return mc_error_make (err, 0, "invalid container ID: only "
                            "[A-Za-z0-9][A-Za-z0-9_.-]* is allowed");
  return mc_error_make (err, 0,
                        "invalid container ID `%s`: only [A-Za-z0-9][A-Za-z0-9_.-]* is allowed",
                        id);
}
