#!/bin/sh
# Build the libFuzzer targets of spec/ with clang and run each for a bounded
# time:  tests/fuzz/run-fuzzers.sh [SECONDS_EACH]   (default 20, or
# $FUZZ_SECONDS).  Prints TAP; exits non-zero when a target crashes (the
# reproducer is kept and named in the output).  The targets are compiled
# straight from the sources, outside the gcc build, as libFuzzer needs
# clang's -fsanitize=fuzzer.
set -u

seconds=${1:-${FUZZ_SECONDS:-20}}
srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
CLANG=${CLANG:-clang}
targets="fuzz-runtime-config fuzz-image fuzz-state fuzz-seccomp-profile"
work=${FUZZ_WORKDIR:-$(mktemp -d "${TMPDIR:-/tmp}/minirun-fuzz.XXXXXX")}
mkdir -p "$work"

count=0
for t in $targets; do count=$((count + 1)); done
echo "1..$count"

if ! command -v "$CLANG" >/dev/null 2>&1; then
  echo "Bail out! $CLANG not found (apt-get install clang libclang-rt-14-dev)"
  exit 1
fi
if ! yajl_flags=$(pkg-config --cflags --libs yajl); then
  echo "Bail out! yajl not found by pkg-config (apt-get install libyajl-dev)"
  exit 1
fi

lib_sources="$srcdir/spec/json-desc.c $srcdir/spec/json-parse.c
  $srcdir/spec/json-generate.c $srcdir/spec/runtime-config.c
  $srcdir/spec/state.c $srcdir/spec/image.c $srcdir/spec/image-media.c
  $srcdir/common/error.c $srcdir/common/xalloc.c $srcdir/common/fileutil.c"
cflags="-std=gnu11 -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
  -I$srcdir"

n=0
failed=0
for t in $targets; do
  n=$((n + 1))
  log="$work/$t.log"
  # mcimg bundle's seccomp parsers, and the default profile as a seed.
  extra= seeds=
  if [ "$t" = fuzz-seccomp-profile ]; then
    extra="$srcdir/imagetool/lib/bundle-seccomp.c
      $srcdir/imagetool/lib/bundle-seccomp-file.c"
    seeds=$srcdir/imagetool/data
  fi
  # shellcheck disable=SC2086 # word splitting of the flag lists is wanted
  if ! $CLANG $cflags -o "$work/$t" "$srcdir/tests/fuzz/$t.c" $lib_sources \
       $extra $yajl_flags >"$work/$t.build.log" 2>&1; then
    sed 's/^/# /' "$work/$t.build.log"
    echo "not ok $n - fuzz $t (build failed)"
    failed=1
    continue
  fi
  corpus="$work/corpus-$t"
  mkdir -p "$corpus"
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  "$work/$t" -max_len=65536 -max_total_time="$seconds" -timeout=10 \
    -print_final_stats=1 -dict="$srcdir/tests/fuzz/json.dict" \
    -artifact_prefix="$work/$t-" \
    "$corpus" "$srcdir/tests/fuzz/corpus/$t" $seeds >"$log" 2>&1
  status=$?
  runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
  if [ "$status" -eq 0 ] && [ -n "$runs" ]; then
    echo "ok $n - fuzz $t (${runs} runs)"
  else
    grep -E 'ERROR|SUMMARY|^fuzz |Test unit written|#[0-9]+ +0x' "$log" | head -n 40 | sed 's/^/# /'
    echo "not ok $n - fuzz $t (exit $status, log $log)"
    failed=1
  fi
done

# Keep everything for inspection after a failure; otherwise clean up what
# we created.
if [ "$failed" -eq 0 ] && [ -z "${FUZZ_WORKDIR:-}" ]; then
  rm -rf "$work"
fi
exit "$failed"
