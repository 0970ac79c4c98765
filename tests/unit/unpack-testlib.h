/* Helpers for the unpacker tests: tarballs built in memory (with
   libarchive's writer, or byte by byte for headers it refuses to write), a
   sandbox with a canary directory next to the extraction root, and a
   listing of a tree to compare against an exact expected string.  */
#ifndef UNPACK_TESTLIB_H
#define UNPACK_TESTLIB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "common/error.h"
#include "imagetool/lib/unpack.h"

/* One entry for tb_add.  Zero fields get defaults: type regular file, mode
   0644 (0755 for directories), mtime 1000000000.  */
typedef struct
{
  const char *path;
  unsigned type;             /* AE_IFREG, AE_IFDIR, ... */
  unsigned mode;
  int64_t uid, gid;
  time_t mtime;
  long mtime_nsec;
  const char *data;          /* file contents (NUL-terminated) */
  const char *symlink;
  const char *hardlink;
  unsigned major, minor;
  const char *xattr[4][2];   /* name, value (NUL-terminated) */
  const char *bin_xattr;     /* one binary-valued xattr: name, */
  const void *bin_value;     /* value */
  size_t bin_size;           /* and size */
  int64_t size;              /* overrides strlen (data), for hardlinks */
} tb_entry_t;

typedef struct tb tb_t;

/* filter: NULL (plain tar), "gzip" or "zstd".  */
tb_t *tb_new (const char *filter);
/* format: "pax", "gnutar" or "ustar".  */
tb_t *tb_new_format (const char *filter, const char *format);
void tb_add (tb_t *tb, const tb_entry_t *e);
/* Ends the archive; returns the malloc'ed bytes and frees tb.  */
void *tb_finish (tb_t *tb, size_t *len);

/* A hand-made ustar stream, for names libarchive's writer would not
   produce.  typeflag '0' file, '5' dir, '2' symlink, '1' hardlink.  */
typedef struct
{
  char *data;
  size_t len;
} rawtar_t;
void rawtar_add (rawtar_t *t, const char *name, char typeflag,
                 const char *linkname, const char *content);
void rawtar_add_pax (rawtar_t *t, const char *records, size_t records_len);
void rawtar_finish (rawtar_t *t);

/* A fresh directory BASE with BASE/root (the extraction root) and
   BASE/canary (a directory with files that hostile tarballs aim at).  */
typedef struct
{
  char *base;
  char *root;
  char *canary;
  int base_fd;
  int root_fd;
  char *canary_before;       /* listing at setup time */
} sandbox_t;

void sandbox_setup (sandbox_t *sb);
void sandbox_teardown (sandbox_t *sb);
/* Fails the test when the canary changed.  */
void sandbox_assert_canary_intact (const sandbox_t *sb);

/* Sorted listing of everything under dirfd, one line per entry:
     d PATH MODE UID:GID
     f PATH MODE UID:GID nLINKS 'CONTENT'
     l PATH -> TARGET
     c PATH MODE UID:GID MAJOR,MINOR   (b for block devices)
     p PATH MODE UID:GID
   MODE in octal with setuid/setgid/sticky.  Malloc'ed.  */
char *tree_listing (int dirfd);

/* Extract an in-memory tar with mcimg_unpack_tar.  */
int unpack_mem (int root_fd, const void *data, size_t len,
                const mcimg_unpack_options_t *opts,
                mcimg_unpack_stats_t *stats, mc_error_t *err);

/* The same through mcimg_unpack_stream (compressed input welcome).  */
int unpack_stream_mem (int root_fd, const void *data, size_t len,
                       const mcimg_unpack_options_t *opts, mc_error_t *err);

/* A read callback over memory, at most `chunk` bytes per call (0: all),
   failing with `fail_msg` once `fail_at` bytes were served (0: never).  */
typedef struct
{
  const char *data;
  size_t len, pos, chunk, fail_at;
} mem_source_t;
ssize_t mem_source_read (void *data, void *buf, size_t len, mc_error_t *err);

/* The message of err (for assertions), "" when none.  Owned by err.  */
const char *error_text (const mc_error_t err);

/* A memfd holding data, positioned at 0.  */
int memfd_with (const void *data, size_t len);

/* sha256:hex of data.  Malloc'ed.  */
char *sha256_digest (const void *data, size_t len);

/* Read an xattr of path (no follow) into a malloc'ed NUL-terminated
   string, NULL when absent.  */
char *xattr_of (const char *path, const char *name);

#endif
