/* A command-line driver of the registry client for the integration tests
 * (tests/integration/registry-*.sh), until the mcimg CLI exists.
 *
 *   registry-fetch-test [OPTIONS] manifest REF
 *       prints "DIGEST MEDIA_TYPE LENGTH"; --out FILE gets the body
 *   registry-fetch-test [OPTIONS] blob REF DIGEST
 *       streams the blob into --out FILE (appending from --offset N, whose
 *       first N bytes seed the digest check); prints "DIGEST BYTES"
 *   registry-fetch-test [OPTIONS] pull REF
 *       manifest (an index is resolved for --platform, default the host),
 *       then config and layers on --jobs N threads sharing one handle,
 *       each verified; prints "index D", "platform P", "manifest D",
 *       "config D", "layer D SIZE"; --out DIR gets the blobs
 *   registry-fetch-test [OPTIONS] login REGISTRY USER   (password on stdin)
 *   registry-fetch-test [OPTIONS] logout REGISTRY
 *
 * OPTIONS: --insecure --cert-dir DIR --auth-file FILE --anonymous
 *          --retries N --retry-base-ms N --platform P --jobs N --out PATH
 *          --offset N --size N
 * Credentials "user:pass" come from $MCIMG_TEST_USERPASS, never argv.  */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/auth-file.h"
#include "imagetool/lib/platform.h"
#include "imagetool/lib/reference.h"
#include "imagetool/lib/registry.h"

static mcimg_registry_opts_t opts;
static const char *opt_platform, *opt_out;
static long long opt_offset, opt_size = -1;
static int opt_jobs = 1;

static int
write_fd (void *data, const void *buf, size_t len, mc_error_t *err)
{
  int fd = *(int *) data;
  if (fd >= 0 && mc_write_all (fd, buf, len) < 0)
    return mc_error_make (err, errno, "write");
  return 0;
}

static int
open_registry (const mcimg_reference_t *ref, mcimg_registry_t **reg,
               mc_error_t *err)
{
  return mcimg_registry_new (ref->domain, &opts, reg, err);
}

static int
cmd_manifest (const char *s, mc_error_t *err)
{
  cleanup_reference mcimg_reference_t *ref = NULL;
  mcimg_registry_t *reg = NULL;
  mcimg_manifest_t m = { 0 };
  int ret;

  if (mcimg_reference_parse (s, &ref, err) < 0 || open_registry (ref, &reg, err) < 0)
    return -1;
  ret = mcimg_registry_get_manifest (reg, ref->path, mcimg_reference_object (ref),
                                     NULL, &m, err);
  if (ret == 0)
    {
      printf ("%s %s %zu\n", m.digest, m.media_type, m.len);
      if (opt_out)
        ret = mc_write_file_atomic_at (AT_FDCWD, opt_out, m.body, m.len, 0644,
                                       0, err);
    }
  mcimg_manifest_clear (&m);
  mcimg_registry_free (reg);
  return ret;
}

static int
cmd_blob (const char *s, const char *digest, mc_error_t *err)
{
  cleanup_reference mcimg_reference_t *ref = NULL;
  cleanup_close int fd = -1;
  mcimg_registry_t *reg = NULL;
  int ret;

  if (mcimg_reference_parse (s, &ref, err) < 0 || open_registry (ref, &reg, err) < 0)
    return -1;
  if (opt_out)
    {
      fd = open (opt_out, O_RDWR | O_CREAT | (opt_offset ? 0 : O_TRUNC), 0644);
      if (fd < 0 || lseek (fd, opt_offset, SEEK_SET) < 0)
        {
          mcimg_registry_free (reg);
          return mc_error_make (err, errno, "open `%s`", opt_out);
        }
    }
  mcimg_blob_fetch_t f = { .digest = digest, .size = opt_size,
                           .write = write_fd, .data = &fd,
                           .offset = opt_offset, .prefix_fd = fd };
  ret = mcimg_registry_get_blob (reg, ref->path, &f, err);
  if (ret == 0)
    printf ("%s %lld\n", digest,
            fd >= 0 ? (long long) lseek (fd, 0, SEEK_CUR) : -1LL);
  mcimg_registry_free (reg);
  return ret;
}

/* ---- pull ------------------------------------------------------------ */

struct job
{
  char *digest;
  int64_t size;
  const char *kind;
};

struct pull
{
  mcimg_registry_t *reg;
  const char *repo;
  struct job *jobs;
  size_t n_jobs, next;
  pthread_mutex_t lock;
  mc_error_t err; /* the first failure */
};

static const char *
json_str (yajl_val v, const char *key)
{
  const char *path[] = { key, NULL };
  yajl_val s = yajl_tree_get (v, path, yajl_t_string);
  return s ? YAJL_GET_STRING (s) : NULL;
}

static int64_t
json_int (yajl_val v, const char *key)
{
  const char *path[] = { key, NULL };
  yajl_val n = yajl_tree_get (v, path, yajl_t_number);
  return n && YAJL_IS_INTEGER (n) ? YAJL_GET_INTEGER (n) : -1;
}

static yajl_val
json_get (yajl_val v, const char *key, yajl_type t)
{
  const char *path[] = { key, NULL };
  return yajl_tree_get (v, path, t);
}

static void *
pull_worker (void *p)
{
  struct pull *pl = p;

  for (;;)
    {
      mc_error_t err = NULL;
      cleanup_close int fd = -1;
      struct job *j;

      pthread_mutex_lock (&pl->lock);
      j = pl->next < pl->n_jobs && pl->err == NULL ? &pl->jobs[pl->next++]
                                                   : NULL;
      pthread_mutex_unlock (&pl->lock);
      if (j == NULL)
        return NULL;
      if (opt_out)
        {
          cleanup_free char *path = xasprintf ("%s/%s", opt_out, j->digest);
          fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        }
      mcimg_blob_fetch_t f = { .digest = j->digest, .size = j->size,
                               .write = write_fd, .data = &fd, .prefix_fd = -1 };
      if (mcimg_registry_get_blob (pl->reg, pl->repo, &f, &err) < 0)
        {
          pthread_mutex_lock (&pl->lock);
          if (pl->err == NULL)
            pl->err = err;
          else
            mc_error_release (&err);
          pthread_mutex_unlock (&pl->lock);
        }
    }
}

/* An index: pick the platform's manifest digest.  */
static int
choose_from_index (yajl_val root, char **digest, mc_error_t *err)
{
  yajl_val list = json_get (root, "manifests", yajl_t_array);
  size_t n = list ? list->u.array.len : 0;
  mcimg_platform_t want = { 0 };
  mcimg_platform_t *cands = xcalloc (n + 1, sizeof (*cands));
  int i;

  if (opt_platform ? mcimg_platform_parse (opt_platform, &want, err)
                   : mcimg_platform_host (&want, err))
    {
      free (cands);
      return -1;
    }
  for (size_t k = 0; k < n; k++)
    {
      yajl_val pf = json_get (list->u.array.values[k], "platform", yajl_t_object);
      const char *os = pf ? json_str (pf, "os") : NULL;
      const char *arch = pf ? json_str (pf, "architecture") : NULL;
      const char *var = pf ? json_str (pf, "variant") : NULL;
      cands[k].os = os ? xstrdup (os) : NULL;
      cands[k].architecture = arch ? xstrdup (arch) : NULL;
      cands[k].variant = var ? xstrdup (var) : NULL;
    }
  i = mcimg_platform_choose (&want, cands, n, err);
  if (i >= 0)
    {
      cleanup_free char *p = mcimg_platform_string (&cands[i]);
      printf ("platform %s\n", p);
      *digest = xstrdup (json_str (list->u.array.values[i], "digest"));
    }
  for (size_t k = 0; k < n; k++)
    mcimg_platform_clear (&cands[k]);
  free (cands);
  mcimg_platform_clear (&want);
  return i < 0 ? -1 : 0;
}

/* The image manifest for REF: an index is resolved for the platform.  */
static int
resolve_manifest (mcimg_registry_t *reg, const mcimg_reference_t *ref,
                  mcimg_manifest_t *m, mc_error_t *err)
{
  cleanup_free char *digest = NULL;
  char errbuf[128];
  yajl_val root;
  int ret;

  if (mcimg_registry_get_manifest (reg, ref->path, mcimg_reference_object (ref),
                                   NULL, m, err) < 0)
    return -1;
  if (strcmp (m->media_type, MCIMG_MEDIA_OCI_INDEX) != 0
      && strcmp (m->media_type, MCIMG_MEDIA_DOCKER_LIST) != 0)
    return 0;
  printf ("index %s\n", m->digest);
  root = yajl_tree_parse (m->body, errbuf, sizeof errbuf);
  if (root == NULL)
    return mc_error_make (err, 0, "index %s is not JSON", m->digest);
  ret = choose_from_index (root, &digest, err);
  yajl_tree_free (root);
  mcimg_manifest_clear (m);
  if (ret < 0)
    return ret;
  return mcimg_registry_get_manifest (reg, ref->path, digest, NULL, m, err);
}

/* Config and layers of manifest `m`, on opt_jobs threads.  */
static int
fetch_blobs (mcimg_registry_t *reg, const char *repo,
             const mcimg_manifest_t *m, mc_error_t *err)
{
  struct pull pl = { .reg = reg, .repo = repo };
  pthread_t th[16];
  int n = opt_jobs < 1 ? 1 : opt_jobs > 16 ? 16 : opt_jobs;
  char errbuf[128];
  yajl_val root = yajl_tree_parse (m->body, errbuf, sizeof errbuf);
  yajl_val config = root ? json_get (root, "config", yajl_t_object) : NULL;
  yajl_val layers = root ? json_get (root, "layers", yajl_t_array) : NULL;

  if (config == NULL || layers == NULL)
    {
      yajl_tree_free (root);
      return mc_error_make (err, 0, "manifest %s has no config or layers",
                            m->digest);
    }
  pl.n_jobs = 1 + layers->u.array.len;
  pl.jobs = xcalloc (pl.n_jobs, sizeof (*pl.jobs));
  pl.jobs[0] = (struct job) { xstrdup (json_str (config, "digest")),
                              json_int (config, "size"), "config" };
  for (size_t k = 0; k < layers->u.array.len; k++)
    pl.jobs[k + 1] = (struct job) {
      xstrdup (json_str (layers->u.array.values[k], "digest")),
      json_int (layers->u.array.values[k], "size"), "layer" };
  yajl_tree_free (root);

  pthread_mutex_init (&pl.lock, NULL);
  for (int t = 0; t < n; t++)
    pthread_create (&th[t], NULL, pull_worker, &pl);
  for (int t = 0; t < n; t++)
    pthread_join (th[t], NULL);
  pthread_mutex_destroy (&pl.lock);

  for (size_t k = 0; k < pl.n_jobs && pl.err == NULL; k++)
    if (strcmp (pl.jobs[k].kind, "config") == 0)
      printf ("config %s\n", pl.jobs[k].digest);
    else
      printf ("layer %s %lld\n", pl.jobs[k].digest,
              (long long) pl.jobs[k].size);
  for (size_t k = 0; k < pl.n_jobs; k++)
    free (pl.jobs[k].digest);
  free (pl.jobs);
  if (pl.err)
    {
      mc_error_release (err);
      *err = pl.err;
      return -1;
    }
  return 0;
}

static int
cmd_pull (const char *s, mc_error_t *err)
{
  cleanup_reference mcimg_reference_t *ref = NULL;
  mcimg_registry_t *reg = NULL;
  mcimg_manifest_t m = { 0 };
  int ret;

  if (mcimg_reference_parse (s, &ref, err) < 0 || open_registry (ref, &reg, err) < 0)
    return -1;
  if (opt_out && mc_mkdir_p (opt_out, 0755, err) < 0)
    ret = -1;
  else
    ret = resolve_manifest (reg, ref, &m, err);
  if (ret == 0)
    {
      printf ("manifest %s\n", m.digest);
      ret = fetch_blobs (reg, ref->path, &m, err);
    }
  mcimg_manifest_clear (&m);
  mcimg_registry_free (reg);
  return ret;
}

static int
cmd_login (const char *registry, const char *user, mc_error_t *err)
{
  char buf[512];
  size_t n = fread (buf, 1, sizeof buf - 1, stdin);
  mcimg_credentials_t c;
  int ret;

  buf[n] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  c.username = (char *) user;
  c.password = buf;
  ret = mcimg_login (opts.auth_file, registry, &c, err);
  explicit_bzero (buf, sizeof buf);
  return ret;
}

int
main (int argc, char **argv)
{
  static const struct option longopts[] = {
    { "insecure", no_argument, NULL, 'k' },
    { "cert-dir", required_argument, NULL, 'c' },
    { "auth-file", required_argument, NULL, 'a' },
    { "anonymous", no_argument, NULL, 'A' },
    { "retries", required_argument, NULL, 'r' },
    { "retry-base-ms", required_argument, NULL, 'b' },
    { "platform", required_argument, NULL, 'p' },
    { "jobs", required_argument, NULL, 'j' },
    { "out", required_argument, NULL, 'o' },
    { "offset", required_argument, NULL, 'O' },
    { "size", required_argument, NULL, 's' },
    { NULL, 0, NULL, 0 },
  };
  mc_error_t err = NULL;
  const char *what;
  int c, ret;

  mc_progname = "registry-fetch-test";
  while ((c = getopt_long (argc, argv, "", longopts, NULL)) != -1)
    switch (c)
      {
      case 'k': opts.insecure = true; break;
      case 'c': opts.cert_dir = optarg; break;
      case 'a': opts.auth_file = optarg; break;
      case 'A': opts.anonymous = true; break;
      case 'r': opts.retries = atoi (optarg); break;
      case 'b': opts.retry_base_ms = atoi (optarg); break;
      case 'p': opt_platform = optarg; break;
      case 'j': opt_jobs = atoi (optarg); break;
      case 'o': opt_out = optarg; break;
      case 'O': opt_offset = atoll (optarg); break;
      case 's': opt_size = atoll (optarg); break;
      default: return 2;
      }
  opts.userpass = getenv ("MCIMG_TEST_USERPASS");
  if (opts.userpass && *opts.userpass == '\0')
    opts.userpass = NULL;
  if (optind + 2 > argc)
    {
      fprintf (stderr, "usage: %s [OPTIONS] manifest|blob|pull|login|logout ARG...\n",
               argv[0]);
      return 2;
    }
  what = argv[optind];
  if (strcmp (what, "manifest") == 0)
    ret = cmd_manifest (argv[optind + 1], &err);
  else if (strcmp (what, "blob") == 0 && optind + 3 <= argc)
    ret = cmd_blob (argv[optind + 1], argv[optind + 2], &err);
  else if (strcmp (what, "pull") == 0)
    ret = cmd_pull (argv[optind + 1], &err);
  else if (strcmp (what, "login") == 0 && optind + 3 <= argc)
    ret = cmd_login (argv[optind + 1], argv[optind + 2], &err);
  else if (strcmp (what, "logout") == 0)
    ret = mcimg_logout (opts.auth_file, argv[optind + 1], &err);
  else
    {
      fprintf (stderr, "%s: unknown command %s\n", argv[0], what);
      return 2;
    }
  fflush (stdout);
  if (ret < 0)
    {
      mc_error_prefix (&err, "%s %s", what, argv[optind + 1]);
      mc_error_print (&err, mc_progname, stderr);
      return 1;
    }
  return 0;
}
