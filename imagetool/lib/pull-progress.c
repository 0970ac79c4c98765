/* Progress of a pull on stderr: live lines on a terminal, one line per
   event otherwise, nothing with --quiet.  Layer workers call in from
   several threads, hence the mutex.  */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/xalloc.h"
#include "imagetool/lib/pull-internal.h"

struct layer_line
{
  char digest[32]; /* "sha256:abcdef012345…" */
  int64_t total;
  uint64_t bytes;
  double started;
  const char *state; /* NULL while downloading */
  bool shown;
};

struct mcimg_progress
{
  mcimg_progress_mode_t mode;
  FILE *out;
  pthread_mutex_t lock;
  struct layer_line *layers;
  size_t n_layers;
  size_t lines_drawn; /* tty: lines to move up before redrawing */
  double start, last_draw;
  uint64_t total_bytes;
};

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* "12.3 MB" (decimal units, as registries and docker show sizes).  */
static void
human (char *buf, size_t len, double bytes)
{
  static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
  size_t u = 0;

  while (bytes >= 1000 && u + 1 < sizeof (units) / sizeof (units[0]))
    {
      bytes /= 1000;
      u++;
    }
  snprintf (buf, len, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

static void
short_digest (char out[32], const char *digest)
{
  snprintf (out, 32, "%.19s\u2026", digest); /* "sha256:" + 12 hex */
}

mcimg_progress_t *
mcimg_progress_new (mcimg_progress_mode_t mode, FILE *out, size_t n_layers)
{
  mcimg_progress_t *p = xzalloc (sizeof (*p));

  p->mode = mode;
  p->out = out ? out : stderr;
  pthread_mutex_init (&p->lock, NULL);
  p->layers = xcalloc (n_layers + 1, sizeof (*p->layers));
  p->n_layers = n_layers;
  p->start = now ();
  return p;
}

/* tty: rewrite every shown layer's line in place.  */
static void
redraw (mcimg_progress_t *p, bool force)
{
  double t = now ();

  if (!force && t - p->last_draw < 0.1)
    return;
  p->last_draw = t;
  if (p->lines_drawn)
    fprintf (p->out, "\033[%zuA", p->lines_drawn);
  p->lines_drawn = 0;
  for (size_t i = 0; i < p->n_layers; i++)
    {
      struct layer_line *l = &p->layers[i];
      char done[32], total[32], rate[32];
      if (!l->shown)
        continue;
      human (done, sizeof done, (double) l->bytes);
      human (total, sizeof total, (double) (l->total > 0 ? l->total : 0));
      human (rate, sizeof rate, (double) l->bytes / (t - l->started + 1e-9));
      if (l->state)
        fprintf (p->out, "\033[2K%s %s\n", l->digest, l->state);
      else
        fprintf (p->out, "\033[2K%s %s / %s  %s/s\n", l->digest, done, total,
                 rate);
      p->lines_drawn++;
    }
  fflush (p->out);
}

void
mcimg_progress_layer_start (mcimg_progress_t *p, size_t i, const char *digest,
                            int64_t size)
{
  char sz[32];

  if (p->mode == MCIMG_PROGRESS_QUIET || i >= p->n_layers)
    return;
  pthread_mutex_lock (&p->lock);
  short_digest (p->layers[i].digest, digest);
  p->layers[i].total = size;
  p->layers[i].started = now ();
  p->layers[i].shown = true;
  if (p->mode == MCIMG_PROGRESS_LINES)
    {
      human (sz, sizeof sz, (double) size);
      fprintf (p->out, "pulling layer %s (%s)\n", p->layers[i].digest, sz);
      fflush (p->out);
    }
  else
    redraw (p, true);
  pthread_mutex_unlock (&p->lock);
}

void
mcimg_progress_layer_bytes (mcimg_progress_t *p, size_t i, size_t n)
{
  if (p->mode == MCIMG_PROGRESS_QUIET || i >= p->n_layers)
    return;
  pthread_mutex_lock (&p->lock);
  p->layers[i].bytes += n;
  p->total_bytes += n;
  if (p->mode == MCIMG_PROGRESS_TTY)
    redraw (p, false);
  pthread_mutex_unlock (&p->lock);
}

void
mcimg_progress_layer_done (mcimg_progress_t *p, size_t i, const char *digest,
                           const char *how)
{
  if (p->mode == MCIMG_PROGRESS_QUIET || i >= p->n_layers)
    return;
  pthread_mutex_lock (&p->lock);
  short_digest (p->layers[i].digest, digest);
  p->layers[i].state = how;
  p->layers[i].shown = true;
  if (p->mode == MCIMG_PROGRESS_LINES)
    {
      fprintf (p->out, "layer %s %s\n", p->layers[i].digest, how);
      fflush (p->out);
    }
  else
    redraw (p, true);
  pthread_mutex_unlock (&p->lock);
}

void
mcimg_progress_message (mcimg_progress_t *p, const char *fmt, ...)
{
  va_list ap;

  if (p->mode == MCIMG_PROGRESS_QUIET)
    return;
  pthread_mutex_lock (&p->lock);
  va_start (ap, fmt);
  vfprintf (p->out, fmt, ap);
  va_end (ap);
  fputc ('\n', p->out);
  fflush (p->out);
  pthread_mutex_unlock (&p->lock);
}

void
mcimg_progress_end (mcimg_progress_t *p, bool failed)
{
  if (p == NULL)
    return;
  if (p->mode != MCIMG_PROGRESS_QUIET && !failed)
    {
      double secs = now () - p->start;
      char bytes[32], rate[32];
      human (bytes, sizeof bytes, (double) p->total_bytes);
      human (rate, sizeof rate, (double) p->total_bytes / (secs + 1e-9));
      if (p->mode == MCIMG_PROGRESS_TTY)
        redraw (p, true);
      fprintf (p->out, "fetched %s in %.1fs (%s/s)\n", bytes, secs, rate);
      fflush (p->out);
    }
  pthread_mutex_destroy (&p->lock);
  free (p->layers);
  free (p);
}
