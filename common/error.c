#include "common/error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

const char *mc_progname = "minirun";
static mc_warning_sink_t warning_sink;
static void *warning_sink_data;

static int
error_return_value (int status)
{
  return status > 0 ? -status : -1;
}

int
mc_error_makev (mc_error_t *err, int status, const char *fmt, va_list ap)
{
  mc_error_t e = xzalloc (sizeof (*e));

  e->status = status;
  if (vasprintf (&e->msg, fmt, ap) < 0)
    xoom ();
  /* Never lose an earlier error silently: the newest one wins, as the
     innermost cause is reported by the code that just failed.  */
  mc_error_release (err);
  *err = e;
  return error_return_value (status);
}

int
mc_error_make (mc_error_t *err, int status, const char *fmt, ...)
{
  va_list ap;
  int ret;

  va_start (ap, fmt);
  ret = mc_error_makev (err, status, fmt, ap);
  va_end (ap);
  return ret;
}

int
mc_error_prefix (mc_error_t *err, const char *fmt, ...)
{
  char *prefix, *msg;
  va_list ap;

  if (*err == NULL)
    return -1;
  va_start (ap, fmt);
  if (vasprintf (&prefix, fmt, ap) < 0)
    xoom ();
  va_end (ap);
  if (asprintf (&msg, "%s: %s", prefix, (*err)->msg) < 0)
    xoom ();
  free (prefix);
  free ((*err)->msg);
  (*err)->msg = msg;
  return error_return_value ((*err)->status);
}

char *
mc_error_string (const mc_error_t err)
{
  char *s;

  if (err == NULL)
    return xstrdup ("unknown error");
  if (err->status == 0)
    return xstrdup (err->msg);
  if (asprintf (&s, "%s: %s", err->msg, strerror (err->status)) < 0)
    xoom ();
  return s;
}

void
mc_error_print (mc_error_t *err, const char *prog, FILE *out)
{
  char *s = mc_error_string (*err);

  fprintf (out, "%s: %s\n", prog, s);
  fflush (out);
  free (s);
  mc_error_release (err);
}

void
mc_error_release (mc_error_t *err)
{
  if (err == NULL || *err == NULL)
    return;
  free ((*err)->msg);
  free (*err);
  *err = NULL;
}

void
mc_set_warning_sink (mc_warning_sink_t sink, void *data)
{
  warning_sink = sink;
  warning_sink_data = data;
}

void
mc_warning (const char *fmt, ...)
{
  char *msg;
  va_list ap;
  int saved_errno = errno;

  va_start (ap, fmt);
  if (vasprintf (&msg, fmt, ap) < 0)
    xoom ();
  va_end (ap);
  if (warning_sink)
    warning_sink (msg, warning_sink_data);
  else
    fprintf (stderr, "%s: warning: %s\n", mc_progname, msg);
  free (msg);
  errno = saved_errno;
}
