#!/bin/sh
# The whole test suite, from a fresh Debian 12 machine, as root:
#   contrib/test.sh
# installs the dependencies, builds twice (a -Werror build and an
# ASan/UBSan build), runs `make check` in both, the fuzzers for a bounded
# time and `make distcheck`, then prints one line: "N passed, N failed".
# Idempotent: builds live under build/ in the source tree and are reused.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
jobs=$(nproc 2>/dev/null || echo 2)
status=0

step() { printf '==> %s\n' "$*"; }

step "install dependencies"
contrib/deps.sh test

step "generate the build system"
./autogen.sh >build-autogen.log 2>&1 || { cat build-autogen.log; exit 1; }
rm -f build-autogen.log

# build DIR CONFIGURE-ARGS...: configure (once) and build out of tree.
build() {
  dir=$1; shift
  mkdir -p "$dir"
  (cd "$dir" && { [ -f Makefile ] || "$src/configure" "$@" >configure.log 2>&1 ||
                  { cat configure.log; exit 1; }; } &&
     make -j"$jobs" >make.log 2>&1 || { tail -40 make.log; exit 1; })
}

step "build (-Werror)"
build build/ci --enable-werror
step "make check (-Werror build)"
(cd build/ci && make -j"$jobs" check) || status=1

step "build (ASan + UBSan)"
sanitize='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined'
build build/asan --enable-werror --disable-vm-tests --disable-fuzzing \
  CFLAGS="$sanitize" LDFLAGS="-fsanitize=address,undefined"
step "make check (sanitizers: unit and integration tests)"
# The instrumented binaries run the same tests (but for the VM and the
# fuzzers, which the -Werror build runs); a leak fails the process.
(cd build/asan && ASAN_OPTIONS=detect_leaks=1 make -j"$jobs" check) || status=1

step "make distcheck"
if (cd build/ci && make -j"$jobs" distcheck >distcheck.log 2>&1); then
  echo "ok - make distcheck"; EXTRA_PASSED=1 EXTRA_FAILED=0
else
  tail -40 build/ci/distcheck.log; echo "not ok - make distcheck"; EXTRA_PASSED=0 EXTRA_FAILED=1
fi
export EXTRA_PASSED EXTRA_FAILED

step "summary"
for log in $(find build/ci build/asan -name '*.log' -path '*tests*' 2>/dev/null | sort); do
  grep -l '^not ok' "$log" >/dev/null 2>&1 && { echo "--- $log"; grep -E '^(not ok|#)' "$log" | head -30; }
done
tests/summarize.sh build/ci/tests build/asan/tests || status=1
exit $status
