/* Allocation that cannot fail: on OOM the process aborts, which removes a
   whole class of error paths (as in crun).  */
#ifndef MC_XALLOC_H
#define MC_XALLOC_H

#include <stddef.h>

__attribute__ ((noreturn)) void xoom (void);
void *xmalloc (size_t size);
void *xzalloc (size_t size);
void *xcalloc (size_t nmemb, size_t size);
void *xrealloc (void *ptr, size_t size);
/* Grow an array of `nmemb` elements of `size` bytes to `nmemb + 1`.  */
void *xgrow (void *ptr, size_t nmemb, size_t size);
char *xstrdup (const char *s);
char *xstrndup (const char *s, size_t n);
char *xasprintf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

#endif
