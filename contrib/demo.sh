#!/bin/sh
# The main job, from a fresh Debian 12 machine, as root and with no network:
#   contrib/demo.sh [IMAGE]
# installs the dependencies, builds and installs minirun and mcimg (PREFIX,
# default /usr/local), starts a throw-away docker-registry on loopback,
# pushes a busybox image into it, pulls it with mcimg into the store
# $DEMO_DIR/store (DEMO_DIR defaults to /var/tmp/minirun-demo), makes a
# bundle of it with `mcimg bundle --memory 64m --pids-limit 32`, runs it with
# `minirun run` (the container prints its hostname, that it is PID 1, its
# memory and pids limits and its network interfaces: lo only), then removes
# the bundle (`mcimg unbundle`), stops the registry and checks that no
# mount, cgroup, process or container state is left.  With IMAGE
# (`contrib/demo.sh alpine`), mcimg pulls IMAGE from Docker Hub instead of
# the loopback registry (needs the network).
# Idempotent: run it again and it rebuilds what changed, pulls again (the
# layers already in the store are not fetched twice) and runs a fresh
# container.  Even on failure it leaves no registry, bundle or container.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PREFIX:-/usr/local}
work=${DEMO_DIR:-/var/tmp/minirun-demo}
jobs=$(nproc 2>/dev/null || echo 2)
image=${1:-}
cd "$src"

step() { printf '==> %s\n' "$*"; }

regdir=
bundle=
id='minirun-demo'
cleanup() {
  if [ -n "$bundle" ] && [ -e "$bundle" ]; then
    "$minirun" delete -f "$id" >/dev/null 2>&1 || true
    "$mcimg" --root "$store" unbundle "$bundle" || true
  fi
  if [ -n "$regdir" ]; then
    tests/registry/stop.sh "$regdir/reg"
    rm -rf "$regdir"
  fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

step "install dependencies"
contrib/deps.sh demo

step "build and install minirun into $prefix"
./autogen.sh >/dev/null 2>&1
mkdir -p build/demo
(cd build/demo && { [ -f Makefile ] || "$src/configure" --prefix="$prefix" >configure.log 2>&1 ||
                   { cat configure.log; exit 1; }; } &&
   make -j"$jobs" >make.log 2>&1 && make install >install.log 2>&1) ||
  { echo "demo: build failed, see $src/build/demo/*.log" >&2; exit 1; }
minirun=$prefix/sbin/minirun
"$minirun" --version
mcimg=$prefix/bin/mcimg
store=$work/store
mkdir -p "$work"

if [ -z "$image" ]; then
  step "start a throw-away docker-registry on loopback"
  regdir=$(mktemp -d "$work/registry.XXXXXX")
  host=$(tests/registry/start.sh http "$regdir/reg")
  echo "registry: http://$host (stopped when the demo exits)"

  step "build a busybox image and push it to $host/demo/busybox:latest"
  # No random layer content: the image is the same on every run, so a second
  # run finds its layers already in the store.
  MAKE_IMAGE_RANDOM_KIB=0 tests/registry/make-image.sh "$regdir/layout" latest amd64 >/dev/null
  skopeo copy --quiet --insecure-policy --dest-tls-verify=false \
    "oci:$regdir/layout:latest" "docker://$host/demo/busybox:latest"
  ref=$host/demo/busybox:latest
  # The registry's port changes from run to run: forget the names earlier
  # runs gave the image (its blobs and layers stay in the store).
  if [ -f "$store/index.json" ]; then
    "$mcimg" --root "$store" images --format json |
      jq -r '.[].name | select(test("^127\\.0\\.0\\.1:[0-9]+/demo/busybox:latest$"))' |
      while read -r old; do "$mcimg" --root "$store" rmi "$old"; done
  fi
  step "mcimg --root $store pull $ref"
  "$mcimg" --root "$store" pull --tls-verify=false "$ref"
else
  step "mcimg --root $store pull $image (from Docker Hub)"
  if ! "$mcimg" --root "$store" pull "$image"; then
    echo "demo: could not pull $image from Docker Hub: this machine may be offline" \
         "(the message above says why); run contrib/demo.sh without IMAGE" >&2
    exit 1
  fi
  ref=$image
fi

step "mcimg --root $store images"
"$mcimg" --root "$store" images

step "mcimg --root $store bundle --memory 64m --pids-limit 32 --network none $ref $work/bundle -- /bin/sh -c ..."
# What the container prints: applets through busybox when the image has no
# links for them (the loopback image has /bin/busybox and /bin/sh only).
# The limits are read from the container's own /sys/fs/cgroup (cgroup v1
# controllers, or cgroup2).
"$mcimg" --root "$store" unbundle "$work/bundle" >/dev/null 2>&1 || rm -rf "$work/bundle"
bundle=$work/bundle
"$mcimg" --root "$store" bundle --memory 64m --pids-limit 32 --network none \
  "$ref" "$bundle" -- /bin/sh -c '
  b() { if command -v "$1" >/dev/null 2>&1; then "$@"; else busybox "$@"; fi; }
  c=/sys/fs/cgroup
  echo "hostname:        $(b hostname)"
  echo "my pid:          $$"
  echo "id:              $(b id)"
  echo "memory limit:    $(b cat $c/memory/memory.limit_in_bytes 2>/dev/null || b cat $c/memory.max) bytes"
  echo "pids limit:      $(b cat $c/pids/pids.max 2>/dev/null || b cat $c/pids.max)"
  echo "processes:"; b ps -o pid,comm | b sed "s/^/  /"
  echo "network interfaces:"; b ip -o link | b sed "s/^/  /"
  echo "root filesystem: $(b grep " / " /proc/self/mounts | b cut -d" " -f1,3)"'
"$mcimg" --root "$store" bundles

step "minirun run -b $bundle $id"
"$minirun" run -b "$bundle" "$id"

step "mcimg unbundle $bundle; stop the registry"
"$mcimg" --root "$store" unbundle "$bundle"
bundle=
cleanup
regdir=

step "check that nothing is left"
left=
grep -q " $work/bundle" /proc/self/mountinfo && left="$left mount"
[ -n "$(find /sys/fs/cgroup -maxdepth 4 -type d -name "$id*" 2>/dev/null)" ] && left="$left cgroup"
"$minirun" state "$id" >/dev/null 2>&1 && left="$left state"
[ -n "$(ps -eo args | grep -F "$work/registry." | grep -v grep)" ] && left="$left registry-process"
[ -e "$work/bundle" ] && left="$left bundle-dir"
if [ -n "$left" ]; then
  echo "demo: left behind:$left" >&2
  exit 1
fi
echo "no mount, cgroup, container state, bundle or registry process left"
step "done: the container ran with its limits, and everything it used is gone"
