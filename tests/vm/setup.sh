#!/usr/bin/env bash
# Prepare the throw-away cgroup-v2 test VM used by run-in-vm.sh:
#   1. make sure the Debian packages it needs are installed (apt-get, only
#      when something is missing, so it is quick on a machine that has them);
#   2. build the initramfs into a cache dir, unless an up-to-date one is
#      already there (the cache key covers the kernel, busybox and the files
#      that define the initramfs, so a kernel upgrade triggers a rebuild).
#
# Usage: setup.sh [--print] [--quiet] [--force] [--no-install]
#   --print       print KERNEL=<path> and INITRD=<path> lines on stdout
#   --quiet       no progress messages on stderr
#   --force       rebuild the initramfs even if the cached one is current
#   --no-install  never call apt-get; fail if something is missing
#
# Environment:
#   MINIRUN_VM_CACHE   cache dir (default /var/cache/minirun-vm when writable,
#                      else ${XDG_CACHE_HOME:-~/.cache}/minirun-vm)
#   MINIRUN_VM_KERNEL  guest kernel image (default: newest /boot/vmlinuz-*
#                      that has a matching /lib/modules/<version>)
#
# Writes only to the cache dir (and to the system through apt-get).
set -euo pipefail

readonly PROG=setup.sh
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly HERE

# Packages the harness needs.  The first three are the real dependencies;
# cpio/kmod/xz-utils are "important" in Debian but may be missing from minimal
# CI images.
readonly PACKAGES=(qemu-system-x86 linux-image-amd64 busybox-static cpio kmod xz-utils)

# Modules the initramfs loads, in this order, together with their dependencies
# (resolved with modprobe --show-depends): the virtio PCI transport, 9p over
# virtio (to mount the host's root and the transfer dir) and overlayfs (to
# make the read-only host root writable inside the VM).
readonly MODULES=(virtio_pci 9pnet_virtio 9p overlay)

quiet=0
print=0
force=0
install=1

log() { [[ $quiet == 1 ]] || printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

usage() { sed -n '/^# Usage:/,/^# Writes only/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# ---------------------------------------------------------------------------
# 1. packages

ensure_packages() {
  local missing=() pkg status
  local -A installed=()
  # One dpkg-query for all (it is slow to start); it complains on stderr
  # about packages it has never heard of, which are then missing.
  while read -r status pkg; do
    [[ $status == ii ]] && installed[${pkg%%:*}]=1   # drop any :arch
  done < <(dpkg-query -W -f='${db:Status-Abbrev} ${binary:Package}\n' "${PACKAGES[@]}" 2>/dev/null || true)
  for pkg in "${PACKAGES[@]}"; do
    [[ -n ${installed[$pkg]:-} ]] || missing+=("$pkg")
  done
  [[ ${#missing[@]} == 0 ]] && return 0

  [[ $install == 1 ]] || die "missing packages: ${missing[*]} (and --no-install given)"
  [[ $(id -u) == 0 ]] || die "missing packages: ${missing[*]}; run as root or: apt-get install -y --no-install-recommends ${missing[*]}"
  log "installing ${missing[*]}"
  # A fresh CI machine may have no package lists yet, so update first.
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
}

# ---------------------------------------------------------------------------
# 2. kernel, cache dir, initramfs

# Sets KERNEL and KVER.  The guest kernel is one of Debian's in /boot, not the
# host's running kernel (which may be a custom one without modules on disk).
pick_kernel() {
  local k ver
  if [[ -n ${MINIRUN_VM_KERNEL:-} ]]; then
    KERNEL=$MINIRUN_VM_KERNEL
    ver=${KERNEL##*/vmlinuz-}
  else
    KERNEL=
    while IFS= read -r k; do
      ver=${k#/boot/vmlinuz-}
      if [[ -f /lib/modules/$ver/modules.dep ]]; then KERNEL=$k; fi
    done < <(compgen -G '/boot/vmlinuz-*' | sort -V)
    [[ -n $KERNEL ]] || die "no /boot/vmlinuz-* with matching /lib/modules/<version> (is linux-image-amd64 installed?)"
    ver=${KERNEL#/boot/vmlinuz-}
  fi
  [[ -f $KERNEL ]] || die "no kernel image $KERNEL"
  [[ -r $KERNEL ]] || die "cannot read kernel image $KERNEL (Debian makes it root-only: run as root)"
  [[ -f /lib/modules/$ver/modules.dep ]] || die "no modules for kernel $ver in /lib/modules/$ver"
  KVER=$ver
}

# Sets CACHE_DIR (created if needed).
pick_cache_dir() {
  if [[ -n ${MINIRUN_VM_CACHE:-} ]]; then
    CACHE_DIR=$MINIRUN_VM_CACHE
  elif [[ -w /var/cache ]]; then
    CACHE_DIR=/var/cache/minirun-vm
  else
    CACHE_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/minirun-vm
  fi
  mkdir -p "$CACHE_DIR"
}

# Prints the cache key: anything whose change must trigger a rebuild.
cache_key() {
  {
    printf '%s\n' "$KVER" "${MODULES[*]}"
    stat -L -c '%n %s %Y' "$KERNEL" "/lib/modules/$KVER/modules.dep" /bin/busybox
    cat "$HERE/setup.sh" "$HERE/initramfs-init.sh"
  } | sha256sum | cut -c1-16
}

# Prints the module files needed for MODULES, dependencies first, each once.
# modprobe prints "insmod /path/mod.ko[.xz] [params]" per module to load and
# "builtin NAME" for those built into the kernel (nothing to load then).
module_files() {
  local mod
  for mod in "${MODULES[@]}"; do
    modprobe -S "$KVER" --show-depends "$mod" ||
      die "modprobe cannot resolve module $mod for kernel $KVER"
  done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }'
}

# Copies one module into DIR, decompressed: busybox insmod cannot load
# compressed modules.
copy_module() {
  local src=$1 dst=$2
  case $src in
    *.ko.xz)  xz -dc -- "$src" > "$dst" ;;
    *.ko.zst) command -v zstd >/dev/null || die "$src is zstd-compressed: apt-get install zstd"
              zstd -qdc -- "$src" > "$dst" ;;
    *.ko.gz)  gzip -dc -- "$src" > "$dst" ;;
    *.ko)     cp -- "$src" "$dst" ;;
    *)        die "unexpected module file name: $src" ;;
  esac
}

# build_initramfs OUT: writes the gzipped newc cpio archive to OUT.
build_initramfs() {
  local out=$1 stage n=0 f name
  stage=$(mktemp -d "$CACHE_DIR/build.XXXXXX")
  # Removed by the EXIT trap even if the build fails half-way.
  BUILD_DIR=$stage

  mkdir -p "$stage"/{bin,dev,proc,sys,modules,mnt/lower,mnt/rw,mnt/root}
  cp /bin/busybox "$stage/bin/busybox"
  install -m 0755 "$HERE/initramfs-init.sh" "$stage/init"
  # The kernel opens /dev/console for init before anything is mounted; the
  # init script copes without it (it mounts devtmpfs first), but with the node
  # early messages are not lost.  mknod needs root; skip it otherwise.
  mknod -m 0600 "$stage/dev/console" c 5 1 2>/dev/null || true

  while IFS= read -r f; do
    n=$((n + 1))
    name=$(printf '%02d-%s' "$n" "${f##*/}")
    name=${name%.xz}; name=${name%.zst}; name=${name%.gz}
    copy_module "$f" "$stage/modules/$name"
    printf '%s\n' "$name" >> "$stage/modules/order"
  done < <(module_files)
  touch "$stage/modules/order"   # all built in: still an (empty) list
  log "initramfs for $KVER: $n modules"

  (cd "$stage" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
     cpio --null --create --format=newc --owner=0:0 --quiet) | gzip -1 > "$out"
  rm -rf "$stage"
  BUILD_DIR=
}

ensure_initramfs() {
  local key lock
  key=$(cache_key)
  INITRD=$CACHE_DIR/initramfs-$KVER-$key.cpio.gz
  [[ $force == 0 && -s $INITRD ]] && return 0

  # Several harness runs may start at once: one builds, the others wait.
  lock=$CACHE_DIR/lock
  exec {lock_fd}>"$lock"
  flock "$lock_fd"
  if [[ $force == 1 || ! -s $INITRD ]]; then
    log "building $INITRD"
    TMP_OUT=$INITRD.tmp
    build_initramfs "$TMP_OUT"
    mv -f "$TMP_OUT" "$INITRD"   # atomic: readers never see a partial file
    TMP_OUT=
    # Drop images for other kernels/keys so the cache does not grow forever.
    find "$CACHE_DIR" -maxdepth 1 -name 'initramfs-*.cpio.gz' ! -path "$INITRD" -delete
  fi
  exec {lock_fd}>&-
}

# ---------------------------------------------------------------------------

main() {
  while [[ $# -gt 0 ]]; do
    case $1 in
      --print) print=1 ;;
      --quiet) quiet=1 ;;
      --force) force=1 ;;
      --no-install) install=0 ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument: $1" ;;
    esac
    shift
  done

  # Set only while this process owns them (the build runs under the lock).
  BUILD_DIR='' TMP_OUT=''
  trap '[[ -z $BUILD_DIR ]] || rm -rf "$BUILD_DIR"; [[ -z $TMP_OUT ]] || rm -f "$TMP_OUT"' EXIT

  ensure_packages
  pick_kernel
  pick_cache_dir
  ensure_initramfs
  log "kernel $KERNEL, initramfs $INITRD"
  if [[ $print == 1 ]]; then
    printf 'KERNEL=%s\nINITRD=%s\n' "$KERNEL" "$INITRD"
  fi
}

main "$@"
