#!/bin/sh
# The main job, from a fresh Debian 12 machine, as root and with no network:
#   contrib/demo.sh [IMAGE]
# installs the dependencies, builds and installs minirun and mcimg (PREFIX,
# default /usr/local), starts a throw-away docker-registry on loopback,
# pushes a busybox image into it and pulls it with mcimg into the store
# $DEMO_DIR/store (DEMO_DIR defaults to /var/tmp/minirun-demo), then makes a
# busybox-static bundle and runs a container in it that prints what proves
# its isolation.  With IMAGE (`contrib/demo.sh alpine`), mcimg pulls IMAGE
# from Docker Hub instead of the loopback registry (needs the network).
# Idempotent: run it again and it rebuilds what changed, pulls again (the
# layers already in the store are not fetched twice) and runs a fresh
# container.  It leaves no registry running: the registry and its temporary
# directory are removed on exit, even on failure.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PREFIX:-/usr/local}
work=${DEMO_DIR:-/var/tmp/minirun-demo}
jobs=$(nproc 2>/dev/null || echo 2)
image=${1:-}
cd "$src"

step() { printf '==> %s\n' "$*"; }

regdir=
cleanup() {
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
         "(the message above says why); going on without it" >&2
  fi
fi

step "mcimg --root $store images"
"$mcimg" --root "$store" images

# The container still runs from the busybox-static fixture bundle: making a
# bundle from the pulled image (`mcimg bundle`) comes with the next issue.
step "make a busybox bundle in $work/bundle"
rm -rf "$work/bundle"
MINIRUN=$minirun tests/fixtures/make-busybox-bundle.sh "$work/bundle" /bin/sh -c '
  echo "hostname:        $(hostname)"
  echo "id:              $(id)"
  echo "processes:"; ps -o pid,user,args | sed "s/^/  /"
  echo "/proc/self/cgroup:"; sed "s/^/  /" /proc/self/cgroup
  echo "mounts:"; sed "s/^/  /" /proc/self/mounts'

step "minirun run -b $work/bundle minirun-demo"
"$minirun" run -b "$work/bundle" minirun-demo
step "done: the container ran, and minirun removed it when it exited"
