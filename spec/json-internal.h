/* Pieces shared by the parser, the generator and the free routine of the
   descriptor engine (spec/json-desc.h).  Not used outside spec/.  */
#ifndef SPEC_JSON_INTERNAL_H
#define SPEC_JSON_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "spec/json-desc.h"

/* The JSON path of the value being visited, e.g. `.mounts[2].options[0]`
   or `.annotations["key"]`; empty at the document root.  Errors name it.  */
typedef struct spec_path
{
  char *buf;
  size_t len;
  size_t cap;
} spec_path_t;

void spec_path_push_key (spec_path_t *path, const char *key);
void spec_path_push_index (spec_path_t *path, size_t index);
void spec_path_push_map_key (spec_path_t *path, const char *key);
/* Truncate back to a length returned by an earlier path->len.  */
void spec_path_truncate (spec_path_t *path, size_t len);
void spec_path_release (spec_path_t *path);

/* `s` quoted for an error message: "..." with quotes, backslashes and
   control characters escaped, cut (on a UTF-8 boundary) after `max_shown`
   bytes with "..." appended.  Messages may reach a terminal, so hostile
   input must not be able to smuggle escape sequences into them.  */
char *spec_quote (const char *s, size_t max_shown);

/* How many bytes of a hostile string or number to show in a message.  */
#define SPEC_SHOWN_BYTES 64

static inline void *
spec_member (const void *obj, size_t offset)
{
  return (char *) obj + offset;
}

/* The `_len` member of an array field.  The tables are static data written
   with SPEC_FA, so a missing aux is a programming error.  */
size_t *spec_array_len (const spec_field_t *field, const void *obj);

#endif
