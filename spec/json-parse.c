/* spec_parse(): bounded pre-pass over the raw text, then yajl_tree, then a
   walk of the tree guided by the field tables.
 *
 * Duplicate keys in an object the tables describe are an error rather than
 * "last wins": two parsers disagreeing about which value counts is a classic
 * way to smuggle settings past a validator, and no well-behaved producer
 * (Go's encoding/json, serde, yajl) ever writes them.  */
#include "spec/json-desc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

#include "common/cleanup.h"
#include "common/xalloc.h"
#include "spec/json-internal.h"
#include "spec/runtime-config.h"

/* ---- Tree building.  One streaming pass with yajl_parse both enforces
   the hostile-input bounds (depth, string length, number of values) and
   builds the tree, so nothing deeper or larger than the bounds is ever
   allocated (yajl_tree_free recurses once per nesting level).  The nodes
   are yajl_tree's own struct yajl_val_s, released with yajl_tree_free, but
   arrays grow geometrically: yajl_tree_parse grows them one element at a
   time, which is quadratic whenever realloc copies (always, under ASan).  */

struct frame
{
  yajl_val node;     /* the open array or object */
  size_t cap;        /* allocated slots in its values (and keys) */
  char *pending_key; /* object: key waiting for its value */
};

struct builder
{
  yajl_val root;
  size_t depth;
  size_t values;
  struct frame stack[SPEC_MAX_DEPTH];
  char failure[96]; /* why a callback cancelled the parse */
};

static int
builder_fail (struct builder *b, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

static int
builder_fail (struct builder *b, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (b->failure, sizeof (b->failure), fmt, ap);
  va_end (ap);
  return 0;
}

/* Create a node and attach it to the open container at once, so that on
   any failure yajl_tree_free (root) releases everything built so far.  */
static yajl_val
builder_new (struct builder *b, yajl_type type)
{
  yajl_val v;
  struct frame *f;

  if (++b->values > SPEC_MAX_VALUES)
    {
      builder_fail (b, "more than %u values", SPEC_MAX_VALUES);
      return NULL;
    }
  v = xzalloc (sizeof (*v));
  v->type = type;
  if (b->depth == 0)
    {
      /* yajl allows one top-level value (no yajl_allow_multiple_values). */
      b->root = v;
      return v;
    }
  f = &b->stack[b->depth - 1];
  if (f->node->type == yajl_t_object)
    {
      if (f->node->u.object.len == f->cap)
        {
          f->cap = f->cap ? f->cap * 2 : 8;
          f->node->u.object.keys = xrealloc (f->node->u.object.keys,
                                             f->cap * sizeof (char *));
          f->node->u.object.values = xrealloc (f->node->u.object.values,
                                               f->cap * sizeof (yajl_val));
        }
      f->node->u.object.keys[f->node->u.object.len] = f->pending_key;
      f->node->u.object.values[f->node->u.object.len++] = v;
      f->pending_key = NULL;
    }
  else
    {
      if (f->node->u.array.len == f->cap)
        {
          f->cap = f->cap ? f->cap * 2 : 8;
          f->node->u.array.values = xrealloc (f->node->u.array.values,
                                              f->cap * sizeof (yajl_val));
        }
      f->node->u.array.values[f->node->u.array.len++] = v;
    }
  return v;
}

static int
builder_check_string (struct builder *b, const unsigned char *s, size_t len)
{
  if (len > SPEC_MAX_STRING)
    return builder_fail (b, "string longer than %u bytes", SPEC_MAX_STRING);
  /* "\u0000" decodes to a NUL byte, which a C string would silently cut. */
  if (memchr (s, '\0', len) != NULL)
    return builder_fail (b, "string contains a NUL character");
  return 1;
}

static int
on_null (void *ctx)
{
  return builder_new (ctx, yajl_t_null) != NULL;
}

static int
on_boolean (void *ctx, int value)
{
  return builder_new (ctx, value ? yajl_t_true : yajl_t_false) != NULL;
}

static int
on_number (void *ctx, const char *s, size_t len)
{
  yajl_val v;

  if (len > SPEC_MAX_STRING)
    return builder_fail (ctx, "number longer than %u bytes", SPEC_MAX_STRING);
  v = builder_new (ctx, yajl_t_number);
  if (v == NULL)
    return 0;
  /* Only the text is kept: parse_integer() converts it per field.  */
  v->u.number.r = xstrndup (s, len);
  return 1;
}

static int
on_string (void *ctx, const unsigned char *s, size_t len)
{
  yajl_val v;

  if (!builder_check_string (ctx, s, len))
    return 0;
  v = builder_new (ctx, yajl_t_string);
  if (v == NULL)
    return 0;
  v->u.string = xstrndup ((const char *) s, len);
  return 1;
}

static int
on_map_key (void *ctx, const unsigned char *s, size_t len)
{
  struct builder *b = ctx;

  if (!builder_check_string (b, s, len))
    return 0;
  b->stack[b->depth - 1].pending_key = xstrndup ((const char *) s, len);
  return 1;
}

static int
on_open (struct builder *b, yajl_type type)
{
  yajl_val v;

  if (b->depth == SPEC_MAX_DEPTH)
    return builder_fail (b, "nested deeper than %u levels", SPEC_MAX_DEPTH);
  v = builder_new (b, type);
  if (v == NULL)
    return 0;
  b->stack[b->depth++] = (struct frame) { v, 0, NULL };
  return 1;
}

static int
on_start_map (void *ctx)
{
  return on_open (ctx, yajl_t_object);
}

static int
on_start_array (void *ctx)
{
  return on_open (ctx, yajl_t_array);
}

static int
on_close (void *ctx)
{
  struct builder *b = ctx;

  b->depth--;
  return 1;
}

static const yajl_callbacks builder_callbacks = {
  .yajl_null = on_null,
  .yajl_boolean = on_boolean,
  .yajl_number = on_number,
  .yajl_string = on_string,
  .yajl_start_map = on_start_map,
  .yajl_map_key = on_map_key,
  .yajl_end_map = on_close,
  .yajl_start_array = on_start_array,
  .yajl_end_array = on_close,
};

/* yajl's message is "parse error: premature EOF\n" (with verbose = 0):
   keep the first line only.  */
static int
yajl_failure (mc_error_t *err, const char *what, yajl_handle h,
              const char *json, size_t len)
{
  unsigned char *msg = yajl_get_error (h, 0, (const unsigned char *) json, len);
  size_t n = msg ? strcspn ((char *) msg, "\n") : 0;
  int ret = mc_error_make (err, 0, "%s: invalid JSON: %.*s", what, (int) n,
                           msg ? (char *) msg : "");

  if (msg)
    yajl_free_error (h, msg);
  return ret;
}

static int
build_tree (const char *json, size_t len, const char *what, yajl_val *out,
            mc_error_t *err)
{
  struct builder *b = xzalloc (sizeof (*b));
  yajl_handle h = yajl_alloc (&builder_callbacks, NULL, b);
  yajl_status st;
  int ret = 0;

  if (h == NULL)
    xoom ();
  st = yajl_parse (h, (const unsigned char *) json, len);
  if (st == yajl_status_ok)
    st = yajl_complete_parse (h);
  if (st == yajl_status_client_canceled)
    ret = mc_error_make (err, 0, "%s: %s (at byte %zu)", what, b->failure,
                         yajl_get_bytes_consumed (h));
  else if (st != yajl_status_ok)
    ret = yajl_failure (err, what, h, json, len);
  yajl_free (h);

  /* Keys read before an error but never given a value.  */
  for (size_t i = 0; i < b->depth; i++)
    free (b->stack[i].pending_key);
  if (ret < 0)
    {
      if (b->root)
        yajl_tree_free (b->root);
    }
  else
    *out = b->root;
  free (b);
  return ret;
}

/* ---- Walk of the tree.  */

struct parse_ctx
{
  const char *what;
  spec_path_t path;
  mc_error_t *err;
};

static int fail (struct parse_ctx *ctx, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

static int
fail (struct parse_ctx *ctx, const char *fmt, ...)
{
  cleanup_free char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (&msg, fmt, ap) < 0)
    xoom ();
  va_end (ap);
  if (ctx->path.len == 0)
    return mc_error_make (ctx->err, 0, "%s: %s", ctx->what, msg);
  return mc_error_make (ctx->err, 0, "%s: %s: %s", ctx->what, ctx->path.buf, msg);
}

static const char *
json_type_name (yajl_val v)
{
  switch (v->type)
    {
    case yajl_t_string:
      return "a string";
    case yajl_t_number:
      return "a number";
    case yajl_t_object:
      return "an object";
    case yajl_t_array:
      return "an array";
    case yajl_t_true:
    case yajl_t_false:
      return "a boolean";
    case yajl_t_null:
      return "null";
    case yajl_t_any:
      break;
    }
  return "an unknown value";
}

static int
expect (struct parse_ctx *ctx, yajl_val v, yajl_type type, const char *name)
{
  if (v->type == type)
    return 0;
  return fail (ctx, "expected %s, got %s", name, json_type_name (v));
}

static int
compare_keys (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static int
check_duplicate_keys (struct parse_ctx *ctx, yajl_val obj)
{
  size_t n = obj->u.object.len;
  cleanup_free const char **keys = NULL;

  if (n < 2)
    return 0;
  keys = xcalloc (n, sizeof (*keys));
  memcpy (keys, obj->u.object.keys, n * sizeof (*keys));
  qsort (keys, n, sizeof (*keys), compare_keys);
  for (size_t i = 1; i < n; i++)
    if (strcmp (keys[i - 1], keys[i]) == 0)
      {
        cleanup_free char *quoted = spec_quote (keys[i], SPEC_SHOWN_BYTES);
        return fail (ctx, "duplicate key %s", quoted);
      }
  return 0;
}

static yajl_val
object_get (yajl_val obj, const char *key)
{
  for (size_t i = 0; i < obj->u.object.len; i++)
    if (strcmp (obj->u.object.keys[i], key) == 0)
      return obj->u.object.values[i];
  return NULL;
}

static const char *
integer_kind_name (enum spec_kind kind)
{
  switch (kind)
    {
    case SPEC_I32:
      return "a 32-bit integer";
    case SPEC_U16:
      return "an unsigned 16-bit integer";
    case SPEC_U32:
    case SPEC_U32V:
      return "an unsigned 32-bit integer";
    case SPEC_I64:
      return "a 64-bit integer";
    default:
      return "an unsigned 64-bit integer";
    }
}

/* Convert the number's raw text: yajl_tree's own `i` member is a long long,
   which cannot hold the upper half of uint64_t.  */
static int
parse_integer (struct parse_ctx *ctx, yajl_val v, enum spec_kind kind,
               void *dst)
{
  const char *raw;
  bool is_signed = kind == SPEC_I32 || kind == SPEC_I64;
  bool negative;
  char *end;

  if (v->type != yajl_t_number)
    return fail (ctx, "expected an integer, got %s", json_type_name (v));
  raw = v->u.number.r;
  /* Numbers are plain ASCII, so a message needs no quoting, only a cut.  */
  if (strpbrk (raw, ".eE") != NULL)
    return fail (ctx, "expected an integer, got %.*s%s", SPEC_SHOWN_BYTES, raw,
                 strlen (raw) > SPEC_SHOWN_BYTES ? "..." : "");
  /* "-0" is a valid zero; any other minus sign is out of range for
     unsigned kinds.  */
  negative = raw[0] == '-' && raw[1 + strspn (raw + 1, "0")] != '\0';
  errno = 0;
  if (is_signed)
    {
      long long n = strtoll (raw, &end, 10);
      long long min = kind == SPEC_I32 ? INT32_MIN : INT64_MIN;
      long long max = kind == SPEC_I32 ? INT32_MAX : INT64_MAX;

      if (errno == 0 && *end == '\0' && n >= min && n <= max)
        {
          if (kind == SPEC_I32)
            *(int32_t *) dst = (int32_t) n;
          else
            *(int64_t *) dst = n;
          return 0;
        }
    }
  else if (!negative)
    {
      unsigned long long n = strtoull (raw, &end, 10);
      unsigned long long max = kind == SPEC_U16 ? UINT16_MAX
                               : kind == SPEC_U64 ? UINT64_MAX
                                                  : UINT32_MAX;

      if (errno == 0 && *end == '\0' && n <= max)
        {
          if (kind == SPEC_U16)
            *(uint16_t *) dst = (uint16_t) n;
          else if (kind == SPEC_U64)
            *(uint64_t *) dst = n;
          else
            *(uint32_t *) dst = (uint32_t) n;
          return 0;
        }
    }
  return fail (ctx, "expected %s, got %.*s%s", integer_kind_name (kind),
               SPEC_SHOWN_BYTES, raw,
               strlen (raw) > SPEC_SHOWN_BYTES ? "..." : "");
}

static int parse_struct (struct parse_ctx *ctx, const spec_type_t *type,
                         yajl_val v, void *dst);

static int
parse_strv (struct parse_ctx *ctx, yajl_val v, char ***dst, size_t *len)
{
  size_t n;

  if (expect (ctx, v, yajl_t_array, "an array") < 0)
    return -1;
  n = v->u.array.len;
  /* One more for the NULL terminator (execve-ready).  */
  *dst = xcalloc (n + 1, sizeof (char *));
  *len = n;
  for (size_t i = 0; i < n; i++)
    {
      yajl_val elem = v->u.array.values[i];
      size_t mark = ctx->path.len;

      spec_path_push_index (&ctx->path, i);
      if (expect (ctx, elem, yajl_t_string, "a string") < 0)
        return -1;
      spec_path_truncate (&ctx->path, mark);
      (*dst)[i] = xstrdup (elem->u.string);
    }
  return 0;
}

static int
parse_u32v (struct parse_ctx *ctx, yajl_val v, uint32_t **dst, size_t *len)
{
  size_t n;

  if (expect (ctx, v, yajl_t_array, "an array") < 0)
    return -1;
  n = v->u.array.len;
  *dst = xcalloc (n, sizeof (uint32_t));
  *len = n;
  for (size_t i = 0; i < n; i++)
    {
      size_t mark = ctx->path.len;

      spec_path_push_index (&ctx->path, i);
      if (parse_integer (ctx, v->u.array.values[i], SPEC_U32V, &(*dst)[i]) < 0)
        return -1;
      spec_path_truncate (&ctx->path, mark);
    }
  return 0;
}

/* {"80/tcp": {}, ...}: the keys matter; values are empty objects (Go's
   map[string]struct{}), and null is tolerated as Go does.  */
static int
parse_keyset (struct parse_ctx *ctx, yajl_val v, char ***dst, size_t *len)
{
  size_t n;

  if (expect (ctx, v, yajl_t_object, "an object") < 0
      || check_duplicate_keys (ctx, v) < 0)
    return -1;
  n = v->u.object.len;
  *dst = xcalloc (n + 1, sizeof (char *));
  *len = n;
  for (size_t i = 0; i < n; i++)
    {
      yajl_val value = v->u.object.values[i];
      size_t mark = ctx->path.len;

      spec_path_push_map_key (&ctx->path, v->u.object.keys[i]);
      if (value->type != yajl_t_null
          && expect (ctx, value, yajl_t_object, "an object") < 0)
        return -1;
      spec_path_truncate (&ctx->path, mark);
      (*dst)[i] = xstrdup (v->u.object.keys[i]);
    }
  return 0;
}

static int
parse_kv (struct parse_ctx *ctx, yajl_val v, spec_kv_t **dst, size_t *len)
{
  size_t n;

  if (expect (ctx, v, yajl_t_object, "an object") < 0
      || check_duplicate_keys (ctx, v) < 0)
    return -1;
  n = v->u.object.len;
  *dst = xcalloc (n, sizeof (spec_kv_t));
  *len = n;
  for (size_t i = 0; i < n; i++)
    {
      yajl_val value = v->u.object.values[i];
      size_t mark = ctx->path.len;

      spec_path_push_map_key (&ctx->path, v->u.object.keys[i]);
      if (expect (ctx, value, yajl_t_string, "a string") < 0)
        return -1;
      spec_path_truncate (&ctx->path, mark);
      (*dst)[i].key = xstrdup (v->u.object.keys[i]);
      (*dst)[i].value = xstrdup (value->u.string);
    }
  return 0;
}

static int
parse_array (struct parse_ctx *ctx, const spec_field_t *field, yajl_val v,
             void **dst, size_t *len)
{
  const spec_type_t *type = field->type;
  bool is_map = field->kind == SPEC_MAP;
  size_t n;
  char *elems;

  if (is_map)
    {
      if (expect (ctx, v, yajl_t_object, "an object") < 0
          || check_duplicate_keys (ctx, v) < 0)
        return -1;
      n = v->u.object.len;
    }
  else
    {
      if (expect (ctx, v, yajl_t_array, "an array") < 0)
        return -1;
      n = v->u.array.len;
    }
  /* Stored before filling, so that spec_free() can release a partial
     result: zeroed elements free cleanly.  */
  elems = xcalloc (n, type->size);
  *dst = elems;
  *len = n;
  for (size_t i = 0; i < n; i++)
    {
      char *elem = elems + i * type->size;
      size_t mark = ctx->path.len;
      yajl_val value;

      if (is_map)
        {
          spec_path_push_map_key (&ctx->path, v->u.object.keys[i]);
          *(char **) elem = xstrdup (v->u.object.keys[i]);
          value = v->u.object.values[i];
        }
      else
        {
          spec_path_push_index (&ctx->path, i);
          value = v->u.array.values[i];
        }
      if (parse_struct (ctx, type, value, elem) < 0)
        return -1;
      spec_path_truncate (&ctx->path, mark);
    }
  return 0;
}

static int
parse_field (struct parse_ctx *ctx, const spec_field_t *field, yajl_val v,
             void *obj)
{
  void *member = spec_member (obj, field->offset);

  switch (field->kind)
    {
    case SPEC_BOOL:
      if (v->type != yajl_t_true && v->type != yajl_t_false)
        return fail (ctx, "expected a boolean, got %s", json_type_name (v));
      *(bool *) member = v->type == yajl_t_true;
      break;

    case SPEC_I32:
    case SPEC_U16:
    case SPEC_U32:
    case SPEC_I64:
    case SPEC_U64:
      if (parse_integer (ctx, v, field->kind, member) < 0)
        return -1;
      break;

    case SPEC_STRING:
      if (expect (ctx, v, yajl_t_string, "a string") < 0)
        return -1;
      *(char **) member = xstrdup (v->u.string);
      return 0;

    case SPEC_STRV:
      return parse_strv (ctx, v, member, spec_array_len (field, obj));

    case SPEC_U32V:
      return parse_u32v (ctx, v, member, spec_array_len (field, obj));

    case SPEC_KEYSET:
      return parse_keyset (ctx, v, member, spec_array_len (field, obj));

    case SPEC_KV:
      return parse_kv (ctx, v, member, spec_array_len (field, obj));

    case SPEC_OBJECT:
      *(void **) member = xzalloc (field->type->size);
      return parse_struct (ctx, field->type, v, *(void **) member);

    case SPEC_INLINE:
      return parse_struct (ctx, field->type, v, member);

    case SPEC_ARRAY:
    case SPEC_MAP:
      return parse_array (ctx, field, v, member, spec_array_len (field, obj));
    }

  /* A scalar was set: an optional one records its presence.  */
  if (field->has_aux)
    *(bool *) spec_member (obj, field->aux_offset) = true;
  return 0;
}

static int
parse_struct (struct parse_ctx *ctx, const spec_type_t *type, yajl_val v,
              void *dst)
{
  if (expect (ctx, v, yajl_t_object, "an object") < 0
      || check_duplicate_keys (ctx, v) < 0)
    return -1;
  for (size_t i = 0; i < type->n_fields; i++)
    {
      const spec_field_t *field = &type->fields[i];
      yajl_val value = object_get (v, field->json);
      size_t mark = ctx->path.len;

      /* null is the same as absent, as Go's encoding/json treats it.  */
      if (value == NULL || value->type == yajl_t_null)
        {
          if (field->required)
            return fail (ctx, "missing required field \"%s\"", field->json);
          continue;
        }
      spec_path_push_key (&ctx->path, field->json);
      if (parse_field (ctx, field, value, dst) < 0)
        return -1;
      spec_path_truncate (&ctx->path, mark);
    }
  return 0;
}

static bool
only_whitespace (const char *s, size_t len)
{
  for (size_t i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
      return false;
  return true;
}

static void
cleanup_yajl_valp (yajl_val *v)
{
  if (*v)
    yajl_tree_free (*v);
}

int
spec_parse (const spec_type_t *type, const char *json, size_t len,
            const char *what, void **out, mc_error_t *err)
{
  __attribute__ ((cleanup (cleanup_yajl_valp))) yajl_val tree = NULL;
  struct parse_ctx ctx = { what ? what : "JSON document", { NULL, 0, 0 }, err };
  void *obj;
  int ret;

  *out = NULL;
  if (len > SPEC_MAX_DOCUMENT_SIZE)
    return mc_error_make (err, 0, "%s: document too large (%zu bytes, limit %u)",
                          ctx.what, len, SPEC_MAX_DOCUMENT_SIZE);
  if (json == NULL || only_whitespace (json, len))
    return mc_error_make (err, 0, "%s: empty document", ctx.what);
  if (build_tree (json, len, ctx.what, &tree, err) < 0)
    return -1;

  obj = xzalloc (type->size);
  ret = parse_struct (&ctx, type, tree, obj);
  spec_path_release (&ctx.path);
  if (ret < 0)
    {
      spec_free (type, obj);
      return ret;
    }
  *out = obj;
  return 0;
}
