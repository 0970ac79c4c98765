/* spec_generate(): walk the field tables and feed yajl_gen.
 *
 * What is emitted, chosen so that parse -> generate -> parse is an identity:
 *  - optional scalars (SPEC_FO) iff their has_ member is set;
 *  - other scalars when non-zero (booleans when true), or always when the
 *    field is required (a required 0, like seccomp args' "value", must not
 *    vanish);
 *  - strings and objects when non-NULL (a required one that is NULL is an
 *    error: the output would not parse back);
 *  - arrays and maps when their pointer is non-NULL, even if empty, because
 *    the parser allocates for "[]" and "{}": an empty array survives as [];
 *    a required one that is NULL is written as empty;
 *  - inline structs always.  */
#include "spec/json-desc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "spec/json-internal.h"
#include "spec/runtime-config.h"

struct gen_ctx
{
  yajl_gen gen;
  spec_path_t path;
  mc_error_t *err;
};

static int gen_fail (struct gen_ctx *ctx, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

static int
gen_fail (struct gen_ctx *ctx, const char *fmt, ...)
{
  cleanup_free char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (&msg, fmt, ap) < 0)
    xoom ();
  va_end (ap);
  if (ctx->path.len == 0)
    return mc_error_make (ctx->err, 0, "generate JSON: %s", msg);
  return mc_error_make (ctx->err, 0, "generate JSON: %s: %s", ctx->path.buf, msg);
}

static int
check (struct gen_ctx *ctx, yajl_gen_status st)
{
  if (st == yajl_gen_status_ok)
    return 0;
  if (st == yajl_gen_invalid_string)
    return gen_fail (ctx, "invalid UTF-8 in string");
  return gen_fail (ctx, "JSON generator error %d", (int) st);
}

static int
gen_string (struct gen_ctx *ctx, const char *s)
{
  return check (ctx, yajl_gen_string (ctx->gen, (const unsigned char *) s,
                                      strlen (s)));
}

/* yajl's beautifier writes an empty container as "[\n\n\t]"; emitting the
   two characters as a raw token keeps it "[]" (yajl_gen_number only adds
   separators and indentation around what it is given).  */
static int
gen_empty (struct gen_ctx *ctx, bool is_object)
{
  return check (ctx, yajl_gen_number (ctx->gen, is_object ? "{}" : "[]", 2));
}

static int
gen_number (struct gen_ctx *ctx, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

static int
gen_number (struct gen_ctx *ctx, const char *fmt, ...)
{
  char buf[32];
  va_list ap;
  int n;

  va_start (ap, fmt);
  n = vsnprintf (buf, sizeof (buf), fmt, ap);
  va_end (ap);
  return check (ctx, yajl_gen_number (ctx->gen, buf, (size_t) n));
}

static bool
scalar_is_zero (const spec_field_t *field, const void *member)
{
  switch (field->kind)
    {
    case SPEC_BOOL:
      return !*(const bool *) member;
    case SPEC_I32:
      return *(const int32_t *) member == 0;
    case SPEC_U16:
      return *(const uint16_t *) member == 0;
    case SPEC_U32:
      return *(const uint32_t *) member == 0;
    case SPEC_I64:
      return *(const int64_t *) member == 0;
    case SPEC_U64:
      return *(const uint64_t *) member == 0;
    default:
      return false;
    }
}

static bool
is_scalar (enum spec_kind kind)
{
  return kind <= SPEC_U64;
}

static bool
is_array (enum spec_kind kind)
{
  return kind == SPEC_STRV || kind == SPEC_U32V || kind == SPEC_KEYSET
         || kind == SPEC_KV || kind == SPEC_ARRAY || kind == SPEC_MAP;
}

/* Whether `field` of `obj` produces output (or, for a required field that
   is missing, an error).  */
static bool
field_is_emitted (const spec_field_t *field, const void *obj)
{
  const void *member = spec_member (obj, field->offset);

  if (is_scalar (field->kind))
    {
      if (field->has_aux)
        return *(const bool *) spec_member (obj, field->aux_offset);
      return field->required || !scalar_is_zero (field, member);
    }
  if (field->kind == SPEC_INLINE)
    return true;
  if (is_array (field->kind))
    return field->required || *(void *const *) member != NULL
           || *spec_array_len (field, obj) > 0;
  /* SPEC_STRING, SPEC_OBJECT */
  return field->required || *(void *const *) member != NULL;
}

static int gen_struct (struct gen_ctx *ctx, const spec_type_t *type,
                       const void *obj);

static int
gen_scalar (struct gen_ctx *ctx, enum spec_kind kind, const void *member)
{
  switch (kind)
    {
    case SPEC_BOOL:
      return check (ctx, yajl_gen_bool (ctx->gen, *(const bool *) member));
    case SPEC_I32:
      return gen_number (ctx, "%" PRId32, *(const int32_t *) member);
    case SPEC_U16:
      return gen_number (ctx, "%" PRIu16, *(const uint16_t *) member);
    case SPEC_U32:
      return gen_number (ctx, "%" PRIu32, *(const uint32_t *) member);
    case SPEC_I64:
      return gen_number (ctx, "%" PRId64, *(const int64_t *) member);
    default:
      return gen_number (ctx, "%" PRIu64, *(const uint64_t *) member);
    }
}

static int
gen_strv (struct gen_ctx *ctx, char *const *v, size_t len)
{
  if (len == 0)
    return gen_empty (ctx, false);
  if (check (ctx, yajl_gen_array_open (ctx->gen)) < 0)
    return -1;
  for (size_t i = 0; i < len; i++)
    {
      size_t mark = ctx->path.len;

      spec_path_push_index (&ctx->path, i);
      if (v[i] == NULL)
        return gen_fail (ctx, "NULL string in an array");
      if (gen_string (ctx, v[i]) < 0)
        return -1;
      spec_path_truncate (&ctx->path, mark);
    }
  return check (ctx, yajl_gen_array_close (ctx->gen));
}

static int
gen_u32v (struct gen_ctx *ctx, const uint32_t *v, size_t len)
{
  if (len == 0)
    return gen_empty (ctx, false);
  if (check (ctx, yajl_gen_array_open (ctx->gen)) < 0)
    return -1;
  for (size_t i = 0; i < len; i++)
    if (gen_number (ctx, "%" PRIu32, v[i]) < 0)
      return -1;
  return check (ctx, yajl_gen_array_close (ctx->gen));
}

static int
gen_map_key (struct gen_ctx *ctx, const char *key)
{
  if (key == NULL)
    return gen_fail (ctx, "NULL key in a map");
  return gen_string (ctx, key);
}

static int
gen_keyset (struct gen_ctx *ctx, char *const *keys, size_t len)
{
  if (len == 0)
    return gen_empty (ctx, true);
  if (check (ctx, yajl_gen_map_open (ctx->gen)) < 0)
    return -1;
  for (size_t i = 0; i < len; i++)
    if (gen_map_key (ctx, keys[i]) < 0 || gen_empty (ctx, true) < 0)
      return -1;
  return check (ctx, yajl_gen_map_close (ctx->gen));
}

static int
gen_kv (struct gen_ctx *ctx, const spec_kv_t *kv, size_t len)
{
  if (len == 0)
    return gen_empty (ctx, true);
  if (check (ctx, yajl_gen_map_open (ctx->gen)) < 0)
    return -1;
  for (size_t i = 0; i < len; i++)
    {
      size_t mark = ctx->path.len;

      if (gen_map_key (ctx, kv[i].key) < 0)
        return -1;
      spec_path_push_map_key (&ctx->path, kv[i].key);
      if (kv[i].value == NULL)
        return gen_fail (ctx, "NULL value");
      if (gen_string (ctx, kv[i].value) < 0)
        return -1;
      spec_path_truncate (&ctx->path, mark);
    }
  return check (ctx, yajl_gen_map_close (ctx->gen));
}

static int
gen_array (struct gen_ctx *ctx, const spec_field_t *field, const char *elems,
           size_t len)
{
  bool is_map = field->kind == SPEC_MAP;

  if (len == 0)
    return gen_empty (ctx, is_map);
  if (check (ctx, is_map ? yajl_gen_map_open (ctx->gen)
                         : yajl_gen_array_open (ctx->gen)) < 0)
    return -1;
  for (size_t i = 0; i < len; i++)
    {
      const char *elem = elems + i * field->type->size;
      size_t mark = ctx->path.len;

      if (is_map)
        {
          const char *key = *(char *const *) elem;

          if (gen_map_key (ctx, key) < 0)
            return -1;
          spec_path_push_map_key (&ctx->path, key);
        }
      else
        spec_path_push_index (&ctx->path, i);
      if (gen_struct (ctx, field->type, elem) < 0)
        return -1;
      spec_path_truncate (&ctx->path, mark);
    }
  return check (ctx, is_map ? yajl_gen_map_close (ctx->gen)
                            : yajl_gen_array_close (ctx->gen));
}

static int
gen_field_value (struct gen_ctx *ctx, const spec_field_t *field,
                 const void *obj)
{
  const void *member = spec_member (obj, field->offset);
  const void *ptr = is_scalar (field->kind) || field->kind == SPEC_INLINE
                        ? NULL
                        : *(void *const *) member;
  size_t len = is_array (field->kind) ? *spec_array_len (field, obj) : 0;

  if (is_array (field->kind) && ptr == NULL && len > 0)
    return gen_fail (ctx, "%zu elements but a NULL array", len);

  switch (field->kind)
    {
    case SPEC_BOOL:
    case SPEC_I32:
    case SPEC_U16:
    case SPEC_U32:
    case SPEC_I64:
    case SPEC_U64:
      return gen_scalar (ctx, field->kind, member);
    case SPEC_STRING:
      if (ptr == NULL)
        return gen_fail (ctx, "missing required string");
      return gen_string (ctx, ptr);
    case SPEC_STRV:
      return gen_strv (ctx, ptr, len);
    case SPEC_U32V:
      return gen_u32v (ctx, ptr, len);
    case SPEC_KEYSET:
      return gen_keyset (ctx, ptr, len);
    case SPEC_KV:
      return gen_kv (ctx, ptr, len);
    case SPEC_OBJECT:
      if (ptr == NULL)
        return gen_fail (ctx, "missing required object");
      return gen_struct (ctx, field->type, ptr);
    case SPEC_INLINE:
      return gen_struct (ctx, field->type, member);
    case SPEC_ARRAY:
    case SPEC_MAP:
      return gen_array (ctx, field, ptr, len);
    }
  return gen_fail (ctx, "unknown field kind %d", (int) field->kind);
}

static int
gen_struct (struct gen_ctx *ctx, const spec_type_t *type, const void *obj)
{
  size_t i;

  for (i = 0; i < type->n_fields; i++)
    if (field_is_emitted (&type->fields[i], obj))
      break;
  if (i == type->n_fields)
    return gen_empty (ctx, true);

  if (check (ctx, yajl_gen_map_open (ctx->gen)) < 0)
    return -1;
  for (i = 0; i < type->n_fields; i++)
    {
      const spec_field_t *field = &type->fields[i];
      size_t mark = ctx->path.len;

      if (!field_is_emitted (field, obj))
        continue;
      if (gen_string (ctx, field->json) < 0)
        return -1;
      spec_path_push_key (&ctx->path, field->json);
      if (gen_field_value (ctx, field, obj) < 0)
        return -1;
      spec_path_truncate (&ctx->path, mark);
    }
  return check (ctx, yajl_gen_map_close (ctx->gen));
}

static void
cleanup_yajl_genp (yajl_gen *g)
{
  if (*g)
    yajl_gen_free (*g);
}

int
spec_generate (const spec_type_t *type, const void *obj, bool pretty,
               char **out, size_t *len, mc_error_t *err)
{
  __attribute__ ((cleanup (cleanup_yajl_genp))) yajl_gen gen = yajl_gen_alloc (NULL);
  struct gen_ctx ctx = { gen, { NULL, 0, 0 }, err };
  const unsigned char *buf;
  size_t buf_len;
  int ret;

  if (gen == NULL)
    xoom ();
  if (obj == NULL)
    return mc_error_make (err, 0, "generate JSON: no %s to generate", type->name);
  yajl_gen_config (gen, yajl_gen_validate_utf8, 1);
  if (pretty)
    {
      /* Like runc's config.json: one key per line, tab indented.  */
      yajl_gen_config (gen, yajl_gen_beautify, 1);
      yajl_gen_config (gen, yajl_gen_indent_string, "\t");
    }
  ret = gen_struct (&ctx, type, obj);
  spec_path_release (&ctx.path);
  if (ret < 0)
    return ret;
  if (check (&ctx, yajl_gen_get_buf (gen, &buf, &buf_len)) < 0)
    return -1;
  *out = xmalloc (buf_len + 1);
  memcpy (*out, buf, buf_len);
  (*out)[buf_len] = '\0';
  if (len)
    *len = buf_len;
  return 0;
}
