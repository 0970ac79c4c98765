#include "common/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
xoom (void)
{
  static const char msg[] = "out of memory\n";
  (void) !write (2, msg, sizeof (msg) - 1);
  abort ();
}

void *
xmalloc (size_t size)
{
  void *p = malloc (size ? size : 1);
  if (p == NULL)
    xoom ();
  return p;
}

void *
xzalloc (size_t size)
{
  return xcalloc (1, size ? size : 1);
}

void *
xcalloc (size_t nmemb, size_t size)
{
  void *p = calloc (nmemb ? nmemb : 1, size ? size : 1);
  if (p == NULL)
    xoom ();
  return p;
}

void *
xrealloc (void *ptr, size_t size)
{
  void *p = realloc (ptr, size ? size : 1);
  if (p == NULL)
    xoom ();
  return p;
}

void *
xgrow (void *ptr, size_t nmemb, size_t size)
{
  size_t total;

  if (__builtin_mul_overflow (nmemb + 1, size, &total))
    xoom ();
  return xrealloc (ptr, total);
}

char *
xstrdup (const char *s)
{
  char *p = strdup (s ? s : "");
  if (p == NULL)
    xoom ();
  return p;
}

char *
xstrndup (const char *s, size_t n)
{
  char *p = strndup (s, n);
  if (p == NULL)
    xoom ();
  return p;
}

char *
xasprintf (const char *fmt, ...)
{
  va_list ap;
  char *s;

  va_start (ap, fmt);
  if (vasprintf (&s, fmt, ap) < 0)
    xoom ();
  va_end (ap);
  return s;
}
