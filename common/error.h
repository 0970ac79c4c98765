/* The project's one error convention.
 *
 * A fallible function takes `mc_error_t *err` as its last argument and returns
 * a negative value on failure, after filling *err with mc_error_make().  Callers
 * add context on the way up with mc_error_prefix(); only main() prints the
 * error, once, with mc_error_print().  Library code never exits.
 *
 *     if (mount (src, dst, type, flags, data) < 0)
 *       return mc_error_make (err, errno, "mount `%s` on `%s`", src, dst);
 *
 * prints, after the caller's context has been added,
 *
 *     minirun: create c1: mount `proc` on `/b/rootfs/proc`: Operation not permitted
 */
#ifndef MC_ERROR_H
#define MC_ERROR_H

#include <stdarg.h>
#include <stdio.h>

struct mc_error_s
{
  int status; /* errno value, or 0 when the cause is not a system error */
  char *msg;
};
typedef struct mc_error_s *mc_error_t;

/* Fill *err (which must be NULL) and return -1 (or -status when status > 0,
   so callers can propagate an errno-like value).  */
int mc_error_make (mc_error_t *err, int status, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));
int mc_error_makev (mc_error_t *err, int status, const char *fmt, va_list ap)
  __attribute__ ((format (printf, 3, 0)));

/* Prepend "CONTEXT: " to the message of *err; returns the same value as
   mc_error_make would have, so it can end a `return` statement.  */
int mc_error_prefix (mc_error_t *err, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

/* The full message: "msg: strerror(status)" (or just msg when status is 0).
   The returned string is owned by the caller.  */
char *mc_error_string (const mc_error_t err);

/* Print "PROG: full message\n" to `out` and release the error.  */
void mc_error_print (mc_error_t *err, const char *prog, FILE *out);

void mc_error_release (mc_error_t *err);

/* Print a warning line "PROG: warning: ..." on stderr (and into the log, when
   one is configured by the CLI through mc_set_warning_sink).  */
void mc_warning (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
typedef void (*mc_warning_sink_t) (const char *msg, void *data);
void mc_set_warning_sink (mc_warning_sink_t sink, void *data);

/* Program name used in messages: set once by main().  */
extern const char *mc_progname;

#define cleanup_error __attribute__ ((cleanup (mc_error_release)))

#endif
