/* The descriptor engine's shared helpers and spec_free().  Parsing lives in
   spec/json-parse.c and generation in spec/json-generate.c.  */
#include "spec/json-desc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "spec/json-internal.h"
#include "spec/runtime-config.h"

static void
path_append (spec_path_t *path, const char *s, size_t n)
{
  if (path->len + n + 1 > path->cap)
    {
      size_t cap = path->cap ? path->cap : 128;
      while (cap < path->len + n + 1)
        cap *= 2;
      path->buf = xrealloc (path->buf, cap);
      path->cap = cap;
    }
  memcpy (path->buf + path->len, s, n);
  path->len += n;
  path->buf[path->len] = '\0';
}

void
spec_path_push_key (spec_path_t *path, const char *key)
{
  path_append (path, ".", 1);
  path_append (path, key, strlen (key));
}

void
spec_path_push_index (spec_path_t *path, size_t index)
{
  char buf[32];
  int n = snprintf (buf, sizeof (buf), "[%zu]", index);

  path_append (path, buf, (size_t) n);
}

void
spec_path_push_map_key (spec_path_t *path, const char *key)
{
  char *quoted = spec_quote (key, SPEC_SHOWN_BYTES);

  path_append (path, "[", 1);
  path_append (path, quoted, strlen (quoted));
  path_append (path, "]", 1);
  free (quoted);
}

void
spec_path_truncate (spec_path_t *path, size_t len)
{
  if (path->buf && len <= path->len)
    {
      path->len = len;
      path->buf[len] = '\0';
    }
}

void
spec_path_release (spec_path_t *path)
{
  free (path->buf);
  path->buf = NULL;
  path->len = path->cap = 0;
}

char *
spec_quote (const char *s, size_t max_shown)
{
  size_t len = strlen (s), shown = len, i, o = 0;
  char *out;

  if (shown > max_shown)
    {
      shown = max_shown;
      /* Do not cut a UTF-8 sequence in half.  */
      while (shown > 0 && ((unsigned char) s[shown] & 0xC0) == 0x80)
        shown--;
    }
  /* Worst case every byte becomes \u00XX (6 bytes), plus quotes and "...". */
  out = xmalloc (shown * 6 + 6);
  out[o++] = '"';
  for (i = 0; i < shown; i++)
    {
      unsigned char c = (unsigned char) s[i];

      if (c == '"' || c == '\\')
        {
          out[o++] = '\\';
          out[o++] = (char) c;
        }
      else if (c < 0x20 || c == 0x7f)
        o += (size_t) sprintf (out + o, "\\u%04x", c);
      else
        out[o++] = (char) c;
    }
  out[o++] = '"';
  if (shown < len)
    {
      memcpy (out + o, "...", 3);
      o += 3;
    }
  out[o] = '\0';
  return out;
}

size_t *
spec_array_len (const spec_field_t *field, const void *obj)
{
  if (!field->has_aux)
    {
      fprintf (stderr, "spec: field \"%s\" is an array without a _len member\n",
               field->json);
      abort ();
    }
  return spec_member (obj, field->aux_offset);
}

static void free_struct_contents (const spec_type_t *type, void *obj);

static void
free_strv (char **v, size_t len)
{
  if (v == NULL)
    return;
  for (size_t i = 0; i < len; i++)
    free (v[i]);
  free (v);
}

static void
free_field (const spec_field_t *field, void *obj)
{
  void *member = spec_member (obj, field->offset);

  switch (field->kind)
    {
    case SPEC_BOOL:
    case SPEC_I32:
    case SPEC_U16:
    case SPEC_U32:
    case SPEC_I64:
    case SPEC_U64:
      break;

    case SPEC_STRING:
      free (*(char **) member);
      break;

    case SPEC_STRV:
    case SPEC_KEYSET:
      free_strv (*(char ***) member, *spec_array_len (field, obj));
      break;

    case SPEC_U32V:
      free (*(uint32_t **) member);
      break;

    case SPEC_KV:
      {
        spec_kv_t *kv = *(spec_kv_t **) member;
        size_t len = *spec_array_len (field, obj);

        if (kv == NULL)
          break;
        for (size_t i = 0; i < len; i++)
          {
            free (kv[i].key);
            free (kv[i].value);
          }
        free (kv);
        break;
      }

    case SPEC_OBJECT:
      spec_free (field->type, *(void **) member);
      break;

    case SPEC_INLINE:
      free_struct_contents (field->type, member);
      break;

    case SPEC_ARRAY:
    case SPEC_MAP:
      {
        char *elems = *(char **) member;
        size_t len = *spec_array_len (field, obj);

        if (elems == NULL)
          break;
        for (size_t i = 0; i < len; i++)
          {
            char *elem = elems + i * field->type->size;

            /* A map entry's key is its first member, outside the table.  */
            if (field->kind == SPEC_MAP)
              free (*(char **) elem);
            free_struct_contents (field->type, elem);
          }
        free (elems);
        break;
      }
    }
}

static void
free_struct_contents (const spec_type_t *type, void *obj)
{
  for (size_t i = 0; i < type->n_fields; i++)
    free_field (&type->fields[i], obj);
}

void
spec_free (const spec_type_t *type, void *obj)
{
  if (obj == NULL)
    return;
  free_struct_contents (type, obj);
  free (obj);
}
