#!/bin/sh
# The main job, from a fresh Debian 12 machine, as root and with no network:
#   contrib/demo.sh
# installs the dependencies, builds and installs minirun (PREFIX, default
# /usr/local), makes a busybox-static bundle and runs a container in it that
# prints what proves its isolation.  Idempotent: run it again and it rebuilds
# what changed and runs a fresh container.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PREFIX:-/usr/local}
work=${DEMO_DIR:-/var/tmp/minirun-demo}
jobs=$(nproc 2>/dev/null || echo 2)
cd "$src"

step() { printf '==> %s\n' "$*"; }

step "install dependencies"
contrib/deps.sh build

step "build and install minirun into $prefix"
./autogen.sh >/dev/null 2>&1
mkdir -p build/demo
(cd build/demo && { [ -f Makefile ] || "$src/configure" --prefix="$prefix" >configure.log 2>&1 ||
                   { cat configure.log; exit 1; }; } &&
   make -j"$jobs" >make.log 2>&1 && make install >install.log 2>&1) ||
  { echo "demo: build failed, see $src/build/demo/*.log" >&2; exit 1; }
minirun=$prefix/sbin/minirun
"$minirun" --version

step "make a busybox bundle in $work/bundle"
rm -rf "$work/bundle"
mkdir -p "$work"
MINIRUN=$minirun tests/fixtures/make-busybox-bundle.sh "$work/bundle" /bin/sh -c '
  echo "hostname:        $(hostname)"
  echo "id:              $(id)"
  echo "processes:"; ps -o pid,user,args | sed "s/^/  /"
  echo "/proc/self/cgroup:"; sed "s/^/  /" /proc/self/cgroup
  echo "mounts:"; sed "s/^/  /" /proc/self/mounts'

step "minirun run -b $work/bundle minirun-demo"
"$minirun" run -b "$work/bundle" minirun-demo
step "done: the container ran, and minirun removed it when it exited"
