/* Table-driven JSON <-> C struct conversion.
 *
 * Every JSON document the project reads or writes is described once by a
 * spec_type_t: a table of fields, each naming its JSON key, its kind and
 * where it lives in the C struct.  One parser (yajl_tree) and one generator
 * (yajl_gen) walk these tables, so the conversion logic exists once, errors
 * always carry the JSON path, and parse -> generate -> parse is an identity
 * by construction.  See spec/runtime-config.h for the struct conventions.  */
#ifndef SPEC_JSON_DESC_H
#define SPEC_JSON_DESC_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"

enum spec_kind
{
  SPEC_BOOL,      /* bool */
  SPEC_I32,       /* int32_t */
  SPEC_U16,       /* uint16_t */
  SPEC_U32,       /* uint32_t */
  SPEC_I64,       /* int64_t */
  SPEC_U64,       /* uint64_t */
  SPEC_STRING,    /* char * */
  SPEC_STRV,      /* char ** (NULL-terminated) + size_t len */
  SPEC_U32V,      /* uint32_t * + size_t len */
  SPEC_KEYSET,    /* {"k": {}, ...} as char ** + len (ExposedPorts, Volumes) */
  SPEC_KV,        /* {"k": "v", ...} as spec_kv_t * + len */
  SPEC_OBJECT,    /* pointer to a struct described by `type` */
  SPEC_INLINE,    /* a struct embedded by value, described by `type` */
  SPEC_ARRAY,     /* contiguous array of structs + len */
  SPEC_MAP,       /* {"k": {...}}: array of structs whose first member is char *key */
};

typedef struct spec_type spec_type_t;

typedef struct spec_field
{
  const char *json;        /* key in the JSON object */
  enum spec_kind kind;
  size_t offset;           /* offset of the member */
  size_t aux_offset;       /* `_len` member for arrays, `has_` for optional scalars */
  bool has_aux;            /* aux_offset is meaningful */
  bool required;           /* absence is an error */
  const spec_type_t *type; /* element/struct type for OBJECT, INLINE, ARRAY, MAP */
} spec_field_t;

struct spec_type
{
  const char *name;
  size_t size;
  const spec_field_t *fields;
  size_t n_fields;
};

/* Bounds for hostile input, checked before any structure is built.  */
#define SPEC_MAX_DOCUMENT_SIZE (16u << 20) /* bytes */
#define SPEC_MAX_DEPTH 64u                 /* nesting of arrays/objects */
#define SPEC_MAX_STRING (1u << 20)         /* bytes in one string or key */
/* Values (scalars, arrays, objects) in one document: bounds the memory of
   the parse tree, which costs ~50 bytes per value however short its text. */
#define SPEC_MAX_VALUES (1u << 20)

/* Parse `json` (not necessarily NUL-terminated) into a newly allocated struct
   of `type`.  Unknown keys are ignored; a known key with the wrong JSON type
   or an out-of-range number fails with a message naming the path:
   "WHAT: .linux.resources.memory.limit: expected an integer, got a string".
   null is the same as an absent key.  A duplicate key in an object the
   tables describe is an error (never "last wins").  Strings containing
   "\u0000" are refused, as a C string would silently cut them.  */
int spec_parse (const spec_type_t *type, const char *json, size_t len,
                const char *what, void **out, mc_error_t *err);

/* Generate JSON for `obj`.  `*out` is NUL-terminated and owned by the caller. */
int spec_generate (const spec_type_t *type, const void *obj, bool pretty,
                   char **out, size_t *len, mc_error_t *err);

/* Free `obj` and everything it owns.  NULL is fine.  */
void spec_free (const spec_type_t *type, void *obj);

/* Field-table helpers: SPEC_F (field, no aux), SPEC_FA (array: aux = _len),
   SPEC_FO (optional scalar: aux = has_).  */
#define SPEC_F(T, member, key, kind_, sub) \
  { key, kind_, offsetof (T, member), 0, false, false, sub }
#define SPEC_FR(T, member, key, kind_, sub) \
  { key, kind_, offsetof (T, member), 0, false, true, sub }
#define SPEC_FA(T, member, key, kind_, sub) \
  { key, kind_, offsetof (T, member), offsetof (T, member##_len), true, false, sub }
/* A required array ("manifests", seccomp "names"): absence is an error, and
   the generator writes [] for a NULL one.  */
#define SPEC_FAR(T, member, key, kind_, sub) \
  { key, kind_, offsetof (T, member), offsetof (T, member##_len), true, true, sub }
#define SPEC_FO(T, member, key, kind_) \
  { key, kind_, offsetof (T, member), offsetof (T, has_##member), true, false, NULL }
#define SPEC_TYPE(var, T, fields_) \
  const spec_type_t var = { #T, sizeof (T), fields_, sizeof (fields_) / sizeof (fields_[0]) }

#endif
