/* Layer unpacking: OCI/Docker layer tarballs into a directory.

   The tar stream is read with libarchive as a parser only; every file is
   created by our own fd-relative code (imagetool/lib/unpack-*.c), so that no
   entry can make us write outside the target directory:

   - names are normalised; `..` components, empty names and over-long paths
     are refused with an error naming the entry;
   - parents are resolved with openat2(RESOLVE_IN_ROOT): a symlink planted by
     an earlier entry (`evil -> /etc`, then `evil/passwd`) is followed but
     clamped to the root, exactly as the container will see it, so the file
     lands in ROOT/etc/passwd.  This is the OCI meaning of symlinks in a
     rootfs and what umoci does; refusing would break real images that ship
     e.g. `/lib -> usr/lib` and then files under `lib/`;
   - the final component is never followed (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW,
     O_EXCL creation after unlinking what was there), and metadata is set on
     the fd we created, so a hardlink to a symlink cannot redirect a chmod
     (containerd CVE-2021-32760);
   - an entry for the root itself (`.`, `/`) may only be a directory: a
     symlink there (umoci CVE-2021-29136) is refused.  */
#ifndef MCIMG_UNPACK_H
#define MCIMG_UNPACK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"

struct archive;

typedef enum
{
  /* A layer directory for overlayfs: `.wh.NAME` becomes a 0/0 character
     device NAME, `.wh..wh..opq` the xattr trusted.overlay.opaque=y.  */
  MCIMG_UNPACK_OVERLAY = 0,
  /* Layers applied in order into one directory: whiteouts delete.  */
  MCIMG_UNPACK_FLAT = 1,
} mcimg_unpack_mode_t;

enum
{
  /* syncfs() the extracted layer once before it is renamed into place.  */
  MCIMG_UNPACK_SYNC = 1 << 0,
  /* Do not chown (rootless extraction); files keep our uid/gid.  */
  MCIMG_UNPACK_NO_CHOWN = 1 << 1,
};

typedef struct
{
  mcimg_unpack_mode_t mode;
  unsigned flags;
  /* Limits against hostile input; 0 selects the default.  */
  size_t max_path;          /* bytes of a normalised path (default 4095) */
  size_t max_xattrs;        /* xattrs per entry (default 128) */
  size_t max_xattr_size;    /* bytes of one xattr value (default 65536) */
  uint64_t max_size;        /* bytes of uncompressed tar (default: no limit) */
} mcimg_unpack_options_t;

typedef struct
{
  uint64_t entries;
  uint64_t files;
  uint64_t dirs;
  uint64_t symlinks;
  uint64_t hardlinks;
  uint64_t nodes;           /* char/block devices and FIFOs */
  uint64_t whiteouts;
  uint64_t opaques;
  uint64_t skipped;         /* sockets, aufs `.wh..wh.` metadata */
  uint64_t bytes;           /* regular file data written */
} mcimg_unpack_stats_t;

/* Extract an opened libarchive reader (tar formats) into root_dirfd.
   opts and stats may be NULL.  On failure root_dirfd holds a partial tree:
   callers extract into a directory they can throw away (see below).  */
int mcimg_unpack_tar (struct archive *tar, int root_dirfd,
                      const mcimg_unpack_options_t *opts,
                      mcimg_unpack_stats_t *stats, mc_error_t *err);

/* A source of (possibly compressed) layer bytes: fill buf with up to len
   bytes; return the count, 0 at the end, or a negative value after filling
   *err.  */
typedef ssize_t (*mcimg_unpack_read_fn) (void *data, void *buf, size_t len,
                                         mc_error_t *err);

/* The stream pipeline: decompress (gzip, zstd or none, detected by magic),
   hash the uncompressed tar with sha256, extract into root_dirfd, check the
   digest against expected_diff_id ("sha256:<64 hex>", may be NULL) and
   return it in *diff_id_out (may be NULL; malloc'ed).  Like GNU tar and Go's
   archive/tar, libarchive accepts a stream that ends cleanly between two
   entries without the end-of-archive blocks: only the diff_id catches such
   a truncation, so pass it whenever it is known.  Extracts in place: on
   a digest mismatch the tree is already written, so this is for callers
   that discard root_dirfd on failure (FLAT rootfs building).  */
int mcimg_unpack_stream (mcimg_unpack_read_fn read_fn, void *read_data,
                         const char *expected_diff_id, int root_dirfd,
                         const mcimg_unpack_options_t *opts,
                         mcimg_unpack_stats_t *stats, char **diff_id_out,
                         mc_error_t *err);

/* One layer, all or nothing: extract into parent_dirfd/.tmp-NAME-XXXXXX
   and, only when the stream was complete and the digest matched, rename it
   to parent_dirfd/NAME (which must not exist).  On failure nothing is left
   behind.  The caller checks the compressed blob's own digest.  */
int mcimg_unpack_layer_stream (mcimg_unpack_read_fn read_fn, void *read_data,
                               const char *expected_diff_id, int parent_dirfd,
                               const char *name,
                               const mcimg_unpack_options_t *opts,
                               mcimg_unpack_stats_t *stats, char **diff_id_out,
                               mc_error_t *err);

/* The same, reading a blob file or a pipe.  */
int mcimg_unpack_layer_fd (int blob_fd, const char *expected_diff_id,
                           int parent_dirfd, const char *name,
                           const mcimg_unpack_options_t *opts,
                           char **diff_id_out, mc_error_t *err);

#endif
