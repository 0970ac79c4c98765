# Shared helpers for the integration tests (POSIX sh, TAP output).
#
# Every test script sources this file, which gives it:
#   - MINIRUN (the built binary) and a private state root under $TEST_TMP;
#   - a cleanup trap that kills the PIDs the test registered with
#     track_pid and removes $TEST_TMP, whatever happens;
#   - TAP helpers: plan, ok, not_ok, skip, check, bail;
#   - bundle helpers built on tests/fixtures/make-busybox-bundle.sh.
set -u

: "${abs_top_srcdir:?run through make check, or set abs_top_srcdir}"
: "${abs_top_builddir:?run through make check, or set abs_top_builddir}"
MINIRUN=${MINIRUN:-$abs_top_builddir/minirun}
FIXTURES=$abs_top_srcdir/tests/fixtures

TEST_TMP=$(mktemp -d /tmp/minirun-test.XXXXXX) || exit 99
STATE_ROOT=$TEST_TMP/state
_tracked_pids=
_tracked_mounts=
_test_n=0
_test_failed=0

_lib_cleanup ()
{
  for _p in $_tracked_pids; do
    kill -KILL "$_p" 2>/dev/null
  done
  for _p in $_tracked_pids; do
    wait "$_p" 2>/dev/null
  done
  # Newest first; lazily, so that a busy one cannot keep the tree.
  for _m in $_tracked_mounts; do
    umount -l "$_m" 2>/dev/null
  done
  if grep -qF " $TEST_TMP" /proc/self/mountinfo; then
    echo "# refusing to remove $TEST_TMP: still mounted" >&2
  else
    rm -rf "$TEST_TMP"
  fi
}
trap _lib_cleanup EXIT
trap 'exit 130' INT TERM HUP

# Remember a background PID so that cleanup kills it.
track_pid () { _tracked_pids="$_tracked_pids $1"; }

# Remember a mount the test made on the host (a path without spaces below
# $TEST_TMP), so that cleanup unmounts it.
track_mount () { _tracked_mounts="$1 $_tracked_mounts"; }

plan () { echo "1..$1"; }
ok () { _test_n=$((_test_n + 1)); echo "ok $_test_n - $1"; }
not_ok ()
{
  _test_n=$((_test_n + 1))
  _test_failed=$((_test_failed + 1))
  echo "not ok $_test_n - $1"
  shift
  for _l in "$@"; do
    printf '%s\n' "$_l" | sed 's/^/#   /'
  done
}
skip () { _test_n=$((_test_n + 1)); echo "ok $_test_n # SKIP $1"; }
bail () { echo "Bail out! $1"; exit 1; }
# check DESCRIPTION COMMAND...: ok when the command succeeds (its output
# is shown only when it fails, so it never mixes with TAP).
check ()
{
  _desc=$1
  shift
  if "$@" > "$TEST_TMP/check.out" 2>&1; then
    ok "$_desc"
  else
    not_ok "$_desc" "failed: $*" "$(cat "$TEST_TMP/check.out")"
  fi
}
# is DESCRIPTION GOT EXPECTED
is ()
{
  if [ "$2" = "$3" ]; then
    ok "$1"
  else
    not_ok "$1" "got:      $2" "expected: $3"
  fi
}

require_root ()
{
  if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP needs root"
    exit 0
  fi
}

# cgroup_name ID: the leaf of a running container's default cgroup
# (/minirun/NAME), from its state.  With a --root other than the default,
# NAME is "ID-XXXXXXXX": ids are unique per state root, cgroups host-wide.
cgroup_name () { jq -r '.cgroupPaths[0]' "$STATE_ROOT/$1/state.json" | sed 's|.*/||'; }

# Foreground only: in the background, $! would be a subshell's pid.
mr () { "$MINIRUN" --root "$STATE_ROOT" "$@"; }

# make_bundle DIR: a busybox bundle with minirun's default config, terminal
# off; config.json.orig keeps the pristine config for reset_config.
make_bundle ()
{
  MINIRUN=$MINIRUN sh "$FIXTURES/make-busybox-bundle.sh" "$1" >/dev/null \
    || bail "cannot make a bundle in $1"
  jq '.process.terminal = false' "$1/config.json" > "$1/config.json.orig" \
    || bail "jq failed"
  cp "$1/config.json.orig" "$1/config.json"
}
reset_config () { cp "$1/config.json.orig" "$1/config.json"; }

# set_args BUNDLE ARG...: replace process.args (jq's own options never
# swallow the container's, thanks to `--`).
set_args ()
{
  _b=$1
  shift
  jq --args '.process.args = $ARGS.positional' -- "$@" < "$_b/config.json" \
    > "$_b/config.json.new" && mv "$_b/config.json.new" "$_b/config.json"
}

# edit_config BUNDLE JQ-FILTER [JQ-ARGS...]
edit_config ()
{
  _b=$1
  _f=$2
  shift 2
  jq "$@" "$_f" < "$_b/config.json" > "$_b/config.json.new" \
    && mv "$_b/config.json.new" "$_b/config.json"
}

# run_ct ID [RUN-OPTION...]: run a container, capturing stdout in $OUT,
# stderr in $ERR and the exit status in $RC (stdin is /dev/null unless
# the caller redirects).
run_ct ()
{
  mr run "$@" > "$TEST_TMP/out" 2> "$TEST_TMP/err"
  RC=$?
  OUT=$(cat "$TEST_TMP/out")
  ERR=$(cat "$TEST_TMP/err")
}

# wait_for_file FILE [TENTHS]: wait (bounded, 10 s by default) until FILE
# is non-empty.
wait_for_file ()
{
  _i=0
  while [ ! -s "$1" ]; do
    _i=$((_i + 1))
    [ "$_i" -gt "${2:-100}" ] && return 1
    sleep 0.1
  done
  return 0
}

# What a failed or finished `run` must not leave: the state directory, a
# mount whose path is in the bundle, a process whose root is in it.
leftovers ()
{
  _id=$1
  _bundle=$2
  _what=
  [ -e "$STATE_ROOT/$_id" ] && _what="$_what state-dir"
  grep -qF " $_bundle" /proc/self/mountinfo && _what="$_what mount"
  for _r in /proc/[0-9]*/root; do
    case $(readlink "$_r" 2>/dev/null) in
      "$_bundle"*) _what="$_what process(${_r#/proc/})" ;;
    esac
  done
  printf '%s' "$_what"
}
check_no_leftovers ()
{
  _l=$(leftovers "$2" "$3")
  if [ -z "$_l" ]; then ok "$1"; else not_ok "$1" "left behind:$_l"; fi
}

# finish: exit status of the script (the TAP plan decides the rest).
finish () { [ "$_test_failed" -eq 0 ]; exit $?; }

# relay_vm TIMEOUT [run-in-vm.sh OPTIONS] -- CMD...: runs CMD in the
# throw-away VM (cgroup v2 unless --cgroup hybrid) and relays its output (TAP) as it comes, so that
# a run cut short still shows how far it got; exits with CMD's status, or
# bails out with the harness's reason when the VM could not run it.
relay_vm ()
{
  _timeout=$1
  shift
  { "$abs_top_srcdir/tests/vm/run-in-vm.sh" --timeout "$_timeout" "$@" 2>&1
    echo $? > "$TEST_TMP/vm.status"; } | tee "$TEST_TMP/vm.out"
  _rc=$(cat "$TEST_TMP/vm.status")
  [ "$_rc" -ne 125 ] || bail "the VM did not run: $(grep '^run-in-vm:' "$TEST_TMP/vm.out" | head -n 1)"
  exit "$_rc"
}
