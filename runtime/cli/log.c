#include "runtime/cli/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "runtime/lib/state-dir.h"
#include "spec/json-desc.h"

typedef struct log_entry
{
  char *level;
  char *msg;
  char *time;
} log_entry_t;

static const spec_field_t log_entry_fields[] = {
  SPEC_F (log_entry_t, level, "level", SPEC_STRING, NULL),
  SPEC_F (log_entry_t, msg, "msg", SPEC_STRING, NULL),
  SPEC_F (log_entry_t, time, "time", SPEC_STRING, NULL),
};
static SPEC_TYPE (log_entry_type, log_entry_t, log_entry_fields);

static int log_fd = -1;
static bool log_json;

static void
warning_sink (const char *msg, void *data)
{
  (void) data;
  cli_log ("warning", msg);
}

int
cli_log_open (const char *path, bool json, mc_error_t *err)
{
  log_fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (log_fd < 0)
    return mc_error_make (err, errno, "open log file `%s`", path);
  log_json = json;
  mc_set_warning_sink (warning_sink, NULL);
  return 0;
}

/* logrus-like text: time="…" level=… msg="…", with " and \ escaped.  */
static char *
text_line (const log_entry_t *e)
{
  size_t n = strlen (e->msg);
  cleanup_free char *quoted = xmalloc (2 * n + 1);
  char *q = quoted;

  for (const char *p = e->msg; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        *q++ = '\\';
      *q++ = *p == '\n' ? ' ' : *p;
    }
  *q = '\0';
  return xasprintf ("time=\"%s\" level=%s msg=\"%s\"\n", e->time, e->level,
                    quoted);
}

void
cli_log (const char *level, const char *msg)
{
  cleanup_free char *time = NULL;
  cleanup_free char *line = NULL;
  log_entry_t e;
  size_t len;

  if (log_fd < 0)
    return;
  time = mc_now_rfc3339 ();
  e = (log_entry_t) { (char *) level, (char *) msg, time };
  if (log_json)
    {
      mc_error_t ignored = NULL;
      char *json;

      if (spec_generate (&log_entry_type, &e, false, &json, &len,
                         &ignored) < 0)
        {
          mc_error_release (&ignored);
          return;
        }
      line = xasprintf ("%s\n", json);
      free (json);
    }
  else
    line = text_line (&e);
  /* One write per line (O_APPEND): lines of concurrent minirun processes
     sharing a log never interleave.  */
  mc_write_all (log_fd, line, strlen (line));
}

void
cli_log_close (void)
{
  if (log_fd >= 0)
    close (log_fd);
  log_fd = -1;
  mc_set_warning_sink (NULL, NULL);
}
