/* Scope-bound resources: a variable declared with one of these attributes is
   released when it goes out of scope.  Ownership leaves the variable by
   resetting it (`fd = -1`, `p = NULL`), usually through steal_fd()/steal_ptr(). */
#ifndef MC_CLEANUP_H
#define MC_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void
cleanup_freep (void *p)
{
  void **pp = (void **) p;
  free (*pp);
}

static inline void
cleanup_closep (int *fd)
{
  if (*fd >= 0)
    {
      int saved_errno = errno;
      close (*fd);
      errno = saved_errno;
    }
}

static inline void
cleanup_fclosep (FILE **f)
{
  if (*f)
    fclose (*f);
}

static inline void
cleanup_closedirp (DIR **d)
{
  if (*d)
    closedir (*d);
}

/* A NULL-terminated array of strings.  */
static inline void
cleanup_strvp (char ***pv)
{
  if (*pv)
    {
      for (char **s = *pv; *s; s++)
        free (*s);
      free (*pv);
    }
}

#define cleanup_free __attribute__ ((cleanup (cleanup_freep)))
#define cleanup_close __attribute__ ((cleanup (cleanup_closep)))
#define cleanup_file __attribute__ ((cleanup (cleanup_fclosep)))
#define cleanup_dir __attribute__ ((cleanup (cleanup_closedirp)))
#define cleanup_strv __attribute__ ((cleanup (cleanup_strvp)))

static inline int
steal_fd (int *fd)
{
  int r = *fd;
  *fd = -1;
  return r;
}

#define steal_ptr(pp) \
  ({                            \
    __typeof__ (*(pp)) _p = *(pp); \
    *(pp) = NULL;               \
    _p;                         \
  })

#endif
