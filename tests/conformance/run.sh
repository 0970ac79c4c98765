#!/bin/sh
# Conformance of minirun, side by side with runc, on this machine.
#   tests/conformance/run.sh [--minirun PATH] [--runc PATH] [--timeout SECS] [NAME...]
#
# Two sets of programs, each run once with RUNTIME=runc and once with
# RUNTIME=minirun, a timeout each:
#   - the OCI runtime-tools validation programs (validation/*/*.go and
#     cmd/runtimetest), when a runtime-tools source tree with them is found:
#     $RUNTIME_TOOLS_SRC, else the Debian package's copy under
#     /usr/share/gocode (which, in bookworm, ships only the libraries: see
#     docs/conformance.md).  They are built offline into the cache: with
#     -mod=vendor when the tree has a vendor/ directory (an upstream
#     checkout), else in GOPATH mode on Debian's golang-*-dev packages;
#   - our own checks, tests/conformance/checks/*.sh, which test the same
#     spec items as the validation programs they are named after.
# NAME... limits the run to those programs (e.g. lifecycle hooks).
# Prints one table row per program (runc pass/fail, minirun pass/fail) and
# a final line naming every test that minirun fails and runc does not.
# Exits 1 when there is such a regression.  Needs root, jq, busybox-static,
# and golang-go for the validation programs (contrib/deps.sh conformance).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
minirun=
runc=$(command -v runc || echo /usr/sbin/runc)
timeout_secs=120
while [ $# -gt 0 ]; do
  case $1 in
    --minirun) minirun=$2; shift 2 ;;
    --runc) runc=$2; shift 2 ;;
    --timeout) timeout_secs=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
only="$*"

# The built minirun: an explicit path, else the usual build directories.
if [ -z "$minirun" ]; then
  for c in "$top/build/werror/minirun" "$top/minirun" ./minirun; do
    [ -x "$c" ] && { minirun=$c; break; }
  done
fi
[ -n "$minirun" ] && [ -x "$minirun" ] \
  || { echo "run.sh: no minirun binary (use --minirun PATH)" >&2; exit 2; }
minirun=$(cd "$(dirname "$minirun")" && pwd)/$(basename "$minirun")
[ "$(id -u)" -eq 0 ] || { echo "run.sh: needs root" >&2; exit 2; }
for t in jq timeout; do
  command -v $t >/dev/null || { echo "run.sh: needs $t (contrib/deps.sh)" >&2; exit 2; }
done

cache=${CONFORMANCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/minirun-conformance}
mkdir -p "$cache"
work=$(mktemp -d /tmp/conformance-run.XXXXXX) || exit 2
# Containers in user namespaces must reach their bundles below it.
chmod 0755 "$work"
cleanup ()
{
  kill_leftovers
  if grep -qF " $work" /proc/self/mountinfo; then
    echo "run.sh: refusing to remove $work: still mounted" >&2
  else
    rm -rf "$work"
  fi
}
# leftovers: the processes whose root or working directory is below
# $work (a container or a runtime a program failed to clean up).
leftovers ()
{
  for d in /proc/[0-9]*; do
    case "$(readlink "$d/root" 2>/dev/null) $(readlink "$d/cwd" 2>/dev/null)" in
      *"$work"/*) echo "${d#/proc/}" ;;
    esac
  done
}
kill_leftovers ()
{
  for p in $(leftovers); do kill -KILL "$p" 2>/dev/null; done
}
# our_cgroups: the cgroups named after the checks' container ids
# (conf-PID-...) or cgroupsPaths (conformance...); other tests may be
# making cgroups of their own on this machine at the same time.
our_cgroups ()
{
  find /sys/fs/cgroup -mindepth 2 -type d \( -name 'conf-*' -o -name 'conformance*' \) \
    2>/dev/null | sort
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The busybox rootfs and default config shared by the checks.
rootfs=$work/rootfs
# (MINIRUN= : the config is runc's, whatever the caller exports.)
MINIRUN= sh "$top/tests/fixtures/make-busybox-bundle.sh" "$work/base" >/dev/null || exit 2
mv "$work/base/rootfs" "$rootfs"
(cd "$work/base" && "$runc" spec) || exit 2
jq '.process.terminal = false' "$work/base/config.json" > "$work/config.json"

# --- The runtime-tools validation programs --------------------------------
rt_src=${RUNTIME_TOOLS_SRC:-/usr/share/gocode/src/github.com/opencontainers/runtime-tools}
suite=
if [ -d "$rt_src/validation" ] && [ -d "$rt_src/cmd/runtimetest" ]; then
  if ! command -v go >/dev/null; then
    echo "run.sh: $rt_src has the validation programs but go is missing (contrib/deps.sh conformance)" >&2
    exit 2
  fi
  bin=$cache/validation
  mkdir -p "$bin"
  export GOCACHE="$cache/gocache" GOPROXY=off GOFLAGS='' CGO_ENABLED=0
  pkg=github.com/opencontainers/runtime-tools
  if [ -f "$rt_src/go.mod" ] && [ -f "$rt_src/vendor/modules.txt" ]; then
    # An upstream checkout: its vendor/ directory has every dependency.
    export GO111MODULE=on GOFLAGS=-mod=vendor
    build () { (cd "$rt_src" && go build -o "$1" "./$2"); }
  else
    # Otherwise GOPATH mode, the dependencies from Debian's golang-*-dev
    # packages: a GOPATH of our own links the tree at its import path.
    gp=$cache/gopath
    mkdir -p "$gp/src/github.com/opencontainers"
    ln -sfn "$rt_src" "$gp/src/$pkg"
    export GO111MODULE=off GOPATH="$gp:/usr/share/gocode"
    build () { (cd "$gp/src/$pkg" && go build -o "$1" "./$2"); }
  fi
  echo "# building runtimetest and the validation programs into $bin" >&2
  if ! build "$bin/runtimetest" cmd/runtimetest 2> "$work/build.err"; then
    cat "$work/build.err" >&2
    echo "run.sh: cannot build runtimetest" >&2
    exit 2
  fi
  for d in "$rt_src"/validation/*/; do
    name=$(basename "$d")
    [ "$name" = util ] && continue
    ls "$d"*.go >/dev/null 2>&1 || continue
    if build "$bin/$name.t" "validation/$name" 2>> "$work/build.err"; then
      suite="$suite $name"
    else
      echo "run.sh: cannot build validation/$name (skipped)" >&2
    fi
  done
  # The programs untar rootfs-<GOARCH>.tar.gz from their working
  # directory and copy ./runtimetest into each bundle.
  cp "$bin/runtimetest" "$rootfs/runtimetest"
  (cd "$rootfs" && tar -czf "$bin/rootfs-$(go env GOARCH).tar.gz" .) || exit 2
  rm -f "$rootfs/runtimetest"
else
  echo "# no runtime-tools validation programs at $rt_src (set RUNTIME_TOOLS_SRC);" \
       "running the checks in tests/conformance/checks only" >&2
fi

wanted ()
{
  [ -z "$only" ] && return 0
  for w in $only; do [ "$w" = "$1" ] && return 0; done
  return 1
}

# run_one KIND NAME RUNTIME-LABEL RUNTIME-PATH: one program, TAP kept in
# $work/tap/LABEL/KIND-NAME; a timeout is a failed test of its own.
run_one ()
{
  mkdir -p "$work/tap/$3"
  out=$work/tap/$3/$1-$2
  case $1 in
    suite) dir=$bin; cmd="./$2.t" ;;
    check) dir=$here; cmd="sh $here/checks/$2.sh" ;;
  esac
  [ -d "$work/tmp" ] || mkdir -m 0755 "$work/tmp"
  our_cgroups > "$work/cgroups.before"
  (cd "$dir" && RUNTIME=$4 ROOTFS=$rootfs BASE_CONFIG=$work/config.json \
     CONFORMANCE_TMPDIR=$work/tmp TMPDIR=$work/tmp \
     exec timeout -k 5 "$timeout_secs" $cmd) > "$out" 2> "$out.err" < /dev/null
  rc=$?
  # The plan must match the tests run (a program that stopped half-way).
  planned=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$out" | head -n 1)
  ran=$(grep -c '^\(not \)\{0,1\}ok' "$out")
  if [ -n "$planned" ] && [ "$planned" -ne "$ran" ]; then
    printf 'not ok - as many tests as planned\n#   planned %s, ran %s\n' "$planned" "$ran" >> "$out"
  fi
  [ $rc -eq 124 ] || [ $rc -eq 137 ] && echo "not ok - timed out" >> "$out"
  # A program that dies before its plan reports no test: count it failed.
  grep -q '^\(not \)\{0,1\}ok' "$out" || printf 'not ok - no test ran\n#   exit status %s\n' "$rc" >> "$out"
  # Nothing may outlive the program: a process left running is a failure
  # (and is killed).
  left=$(leftovers | tr '\n' ' ')
  if [ -n "$left" ]; then
    printf 'not ok - left processes behind\n#   pids: %s\n' "$left" >> "$out"
    kill_leftovers
  fi
  # ... and so is a cgroup left behind (removed, deepest first).
  left=$(our_cgroups | comm -13 "$work/cgroups.before" -)
  if [ -n "$left" ]; then
    printf 'not ok - left cgroups behind\n' >> "$out"
    printf '%s\n' "$left" | sed 's/^/#   /' >> "$out"
    printf '%s\n' "$left" | sort -r | while IFS= read -r d; do rmdir "$d" 2>/dev/null; done
  fi
}

# counts FILE: "PASS/FAIL" from TAP (skips count as passes, marked).
counts ()
{
  p=$(grep -c '^ok' "$1")
  f=$(grep -c '^not ok' "$1")
  s=$(grep -c '^ok.*# *SKIP' "$1")
  if [ "$s" -gt 0 ]; then echo "$p/$f (${s} skip)"; else echo "$p/$f"; fi
}

# The description of each failed test, to match runc's and minirun's
# results by name (the number is dropped).
failed () { sed -n 's/^not ok [0-9]* *-\{0,1\} *//p' "$1" | sort -u; }

programs=
for n in $suite; do wanted "$n" && programs="$programs suite:$n"; done
for f in "$here"/checks/*.sh; do
  n=$(basename "$f" .sh)
  wanted "$n" && programs="$programs check:$n"
done

for w in $only; do
  case " $programs " in
    *":$w "*) ;;
    *) echo "run.sh: no conformance program named $w" >&2; exit 2 ;;
  esac
done

regressions=
printf '%-40s %-14s %-14s\n' program "runc pass/fail" "minirun pass/fail"
for p in $programs; do
  kind=${p%%:*}
  name=${p#*:}
  t0=$(date +%s)
  run_one "$kind" "$name" runc "$runc"
  t1=$(date +%s)
  run_one "$kind" "$name" minirun "$minirun"
  t2=$(date +%s)
  echo "# $name took $((t1 - t0)) s under runc, $((t2 - t1)) s under minirun" >&2
  r=$work/tap/runc/$kind-$name
  m=$work/tap/minirun/$kind-$name
  label=$name
  [ "$kind" = suite ] && label="validation/$name"
  printf '%-40s %-14s %-14s\n' "$label" "$(counts "$r")" "$(counts "$m")"
  # A regression: a test minirun fails and runc does not (runc passed it,
  # or runc did not time out, leave processes behind... where minirun did).
  failed "$r" > "$work/r.fail"
  failed "$m" > "$work/m.fail"
  lost=$(comm -23 "$work/m.fail" "$work/r.fail")
  if [ -n "$lost" ]; then
    while IFS= read -r t; do
      regressions="$regressions
  $label: $t"
    done <<LOST
$lost
LOST
  fi
  if [ -n "${CONFORMANCE_KEEP:-}" ]; then
    mkdir -p "$CONFORMANCE_KEEP/runc" "$CONFORMANCE_KEEP/minirun"
    cp "$r" "$r.err" "$CONFORMANCE_KEEP/runc/"
    cp "$m" "$m.err" "$CONFORMANCE_KEEP/minirun/"
  fi
done

if [ -z "$regressions" ]; then
  echo "regressions (runc passes, minirun fails): none"
  exit 0
fi
echo "regressions (runc passes, minirun fails):$regressions"
exit 1
