/* One layer of a pull: download once, tee into the partial blob and into
   the unpacker (on its own thread, fed through a socketpair), then commit
   both.  Locks make one process (or thread) at a time work on a blob and
   on an unpacked layer; whoever comes second finds the work done.  */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileutil.h"
#include "common/xalloc.h"
#include "imagetool/lib/pull-internal.h"
#include "imagetool/lib/unpack.h"

struct unpacker
{
  int sock;            /* read end of the socketpair */
  int prefix_fd;       /* the partial blob: bytes of an earlier attempt */
  uint64_t prefix_len;
  uint64_t pos;
  const char *diff_id;
  int layer_dirfd;
  int ret;
  mc_error_t err;
};

/* The unpacker's input: first the bytes already in the partial blob (a
   resumed download), then what the downloader sends.  */
static ssize_t
unpacker_read (void *data, void *buf, size_t len, mc_error_t *err)
{
  struct unpacker *u = data;
  ssize_t n;

  if (u->pos < u->prefix_len)
    {
      size_t want = len;
      if (want > u->prefix_len - u->pos)
        want = (size_t) (u->prefix_len - u->pos);
      n = pread (u->prefix_fd, buf, want, (off_t) u->pos);
      if (n <= 0)
        return mc_error_make (err, n < 0 ? errno : EIO,
                              "read the partial blob");
      u->pos += (uint64_t) n;
      return n;
    }
  do
    n = read (u->sock, buf, len);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return mc_error_make (err, errno, "read the layer stream");
  return n;
}

static mcimg_unpack_options_t
unpack_options (void)
{
  mcimg_unpack_options_t o = { .mode = MCIMG_UNPACK_OVERLAY,
                               .flags = MCIMG_UNPACK_SYNC };
  if (geteuid () != 0)
    o.flags |= MCIMG_UNPACK_NO_CHOWN;
  return o;
}

static void *
unpacker_main (void *data)
{
  struct unpacker *u = data;
  mcimg_unpack_options_t o = unpack_options ();
  char drain[65536];

  u->ret = mcimg_unpack_layer_stream (unpacker_read, u, u->diff_id,
                                      u->layer_dirfd, "diff", &o, NULL, NULL,
                                      &u->err);
  /* Whatever follows the tar (compression trailer, padding) is still the
     blob's: read it so the downloader never sees a broken pipe.  */
  if (u->ret == 0)
    while (read (u->sock, drain, sizeof drain) > 0)
      ;
  shutdown (u->sock, SHUT_RD);
  return NULL;
}

struct sink
{
  mcimg_pull_ctx_t *ctx;
  size_t index;
  int partial_fd;
  int sock; /* -1: no unpacking */
  bool sock_broken;
  uint64_t bytes;
};

static int
sink_write (void *data, const void *buf, size_t len, mc_error_t *err)
{
  struct sink *s = data;
  const char *p = buf;

  if (mc_write_all (s->partial_fd, buf, len) < 0)
    return mc_error_make (err, errno, "write the partial blob");
  for (size_t off = 0; s->sock >= 0 && off < len;)
    {
      /* MSG_NOSIGNAL: an unpacker that gave up is an error, not SIGPIPE. */
      ssize_t n = send (s->sock, p + off, len - off, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          s->sock_broken = true;
          return mc_error_make (err, errno, "feed the unpacker");
        }
      off += (size_t) n;
    }
  s->bytes += len;
  mcimg_progress_layer_bytes (s->ctx->progress, s->index, len);
  return 0;
}

/* Download layer i into tmp/, unpacking it on the way when layer_dirfd >= 0;
   commit the blob when everything succeeded.  */
static int
fetch_layer (mcimg_pull_ctx_t *ctx, size_t i, int layer_dirfd,
             uint64_t *fetched, mc_error_t *err)
{
  const spec_descriptor_t *d = &ctx->layers[i];
  struct unpacker u = { .sock = -1, .diff_id = ctx->diff_ids[i],
                        .layer_dirfd = layer_dirfd };
  struct sink s = { .ctx = ctx, .index = i, .sock = -1 };
  cleanup_close int partial = -1;
  uint64_t have = 0;
  pthread_t th;
  bool unpacker_refused = false;
  int socks[2], ret;

  partial = mcimg_store_open_partial (ctx->store, d->digest, &have, err);
  if (partial < 0)
    return -1;
  if (d->size >= 0 && have > (uint64_t) d->size)
    {
      /* Longer than the blob: not a prefix of it.  */
      if (ftruncate (partial, 0) < 0 || lseek (partial, 0, SEEK_SET) < 0)
        return mc_error_make (err, errno, "truncate the partial blob");
      have = 0;
    }
  s.partial_fd = partial;
  u.prefix_fd = partial;
  u.prefix_len = have;
  if (layer_dirfd >= 0)
    {
      if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, socks) < 0)
        return mc_error_make (err, errno, "socketpair");
      u.sock = socks[0];
      s.sock = socks[1];
      if ((errno = pthread_create (&th, NULL, unpacker_main, &u)) != 0)
        {
          close (socks[0]);
          close (socks[1]);
          return mc_error_make (err, errno, "start the unpacker thread");
        }
    }
  mcimg_progress_layer_start (ctx->progress, i, d->digest, d->size);
  mcimg_progress_layer_bytes (ctx->progress, i, (size_t) have);

  mcimg_blob_fetch_t f = { .digest = d->digest, .size = d->size,
                           .write = sink_write, .data = &s, .offset = have,
                           .prefix_fd = partial };
  ret = mcimg_registry_get_blob (ctx->reg, ctx->repo, &f, err);
  *fetched = s.bytes;
  if (s.sock >= 0)
    {
      close (s.sock); /* EOF for the unpacker */
      pthread_join (th, NULL);
      close (u.sock);
      /* The unpacker failed on its own (bad tar, wrong diff_id), not for
         lack of input after a network failure.  */
      unpacker_refused = u.ret < 0 && (ret == 0 || s.sock_broken);
      if (ret < 0 && s.sock_broken && u.ret < 0)
        {
          /* The unpacker failed first: its error is the cause.  */
          mc_error_release (err);
          *err = steal_ptr (&u.err);
        }
      else if (ret == 0 && u.ret < 0)
        {
          *err = steal_ptr (&u.err);
          ret = -1;
        }
      else if (ret < 0 && u.ret == 0)
        {
          /* A verified tree from an unverified blob: keep neither.  */
          cleanup_error mc_error_t ignored = NULL;
          mc_rm_rf_at (layer_dirfd, "diff", &ignored);
        }
      mc_error_release (&u.err);
    }
  if (ret < 0)
    {
      struct stat st;
      /* Complete yet refused (digest, diff_id, tar): nothing to resume;
         otherwise the next pull continues from what is there.  */
      if (unpacker_refused || (fstat (partial, &st) == 0 && d->size >= 0
                        && st.st_size >= d->size))
        mcimg_store_discard_partial (ctx->store, d->digest);
      return -1;
    }
  return mcimg_store_commit_partial (ctx->store, d->digest, partial, err);
}

/* The blob is in the store: unpack it from there.  */
static int
unpack_from_store (mcimg_pull_ctx_t *ctx, size_t i, int layer_dirfd,
                   mc_error_t *err)
{
  mcimg_unpack_options_t o = unpack_options ();
  cleanup_close int fd = mcimg_store_open_blob (ctx->store,
                                                ctx->layers[i].digest, err);
  if (fd < 0)
    return -1;
  return mcimg_unpack_layer_fd (fd, ctx->diff_ids[i], layer_dirfd, "diff", &o,
                                NULL, err);
}

int
mcimg_pull_layer (mcimg_pull_ctx_t *ctx, size_t i, mc_error_t *err)
{
  const spec_descriptor_t *d = &ctx->layers[i];
  const char *diff_id = ctx->diff_ids[i];
  cleanup_free char *blob_lock_name = xasprintf ("blob-%s", d->digest + 7);
  cleanup_free char *layer_lock_name = xasprintf ("layer-%s", diff_id + 7);
  int blob_lock = -1, layer_lock = -1, layer_dirfd = -1, ret = 0;
  bool need_blob, need_unpack;
  uint64_t fetched = 0;

  /* Both digests were validated by the caller: safe in lock names.  */
  blob_lock = mcimg_store_lock (ctx->store, blob_lock_name, err);
  if (blob_lock < 0)
    return -1;
  if (ctx->unpack)
    {
      layer_lock = mcimg_store_lock (ctx->store, layer_lock_name, err);
      if (layer_lock < 0)
        {
          mcimg_store_unlock (blob_lock);
          return -1;
        }
    }
  need_blob = !mcimg_store_has_blob (ctx->store, d->digest);
  need_unpack = ctx->unpack && !mcimg_store_has_layer (ctx->store, diff_id);
  if (need_unpack)
    layer_dirfd = mcimg_store_layer_dir (ctx->store, diff_id, err);
  if (need_unpack && layer_dirfd < 0)
    ret = -1;
  else if (need_blob)
    ret = fetch_layer (ctx, i, layer_dirfd, &fetched, err);
  else if (need_unpack)
    ret = unpack_from_store (ctx, i, layer_dirfd, err);
  if (ret == 0 && need_unpack)
    ret = mcimg_store_layer_finish (ctx->store, diff_id, err);
  if (layer_dirfd >= 0)
    close (layer_dirfd);
  if (ret < 0 && need_unpack)
    mcimg_store_layer_abandon (ctx->store, diff_id);
  mcimg_store_unlock (layer_lock);
  mcimg_store_unlock (blob_lock);
  if (ret < 0)
    return mc_error_prefix (err, "layer %s", d->digest);

  pthread_mutex_lock (&ctx->lock);
  if (need_blob)
    ctx->fetched++;
  else
    ctx->present++;
  ctx->bytes += fetched;
  pthread_mutex_unlock (&ctx->lock);
  mcimg_progress_layer_done (ctx->progress, i, d->digest,
                             need_blob ? "done"
                             : need_unpack ? "unpacked from the store"
                                           : "already exists");
  return 0;
}
