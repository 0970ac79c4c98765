# Shared helpers for the conformance checks (POSIX sh, TAP output).
#
# Each check script under checks/ mirrors one runtime-tools validation
# program: it drives the runtime named by $RUNTIME through the runc command
# line (create, start, state, kill, delete, run) and prints TAP.  run.sh runs
# every script once with RUNTIME=runc and once with RUNTIME=minirun.
#
# Given to each script by run.sh:
#   RUNTIME   the runtime binary
#   ROOTFS    a busybox root filesystem to copy into bundles
#   BASE_CONFIG  the default config.json (from `runc spec`, terminal off)
set -u

: "${RUNTIME:?set RUNTIME}"
: "${ROOTFS:?set ROOTFS}"
: "${BASE_CONFIG:?set BASE_CONFIG}"

CT_TMP=$(mktemp -d "${CONFORMANCE_TMPDIR:-/tmp}/conformance.XXXXXX") || exit 99
CT_ROOT=$CT_TMP/state
_pids=
_n=0
_failed=0

_cleanup ()
{
  for _i in $(cat "$CT_TMP/ids" 2>/dev/null); do
    rt kill "$_i" KILL >/dev/null 2>&1
    rt delete --force "$_i" >/dev/null 2>&1
  done
  for _p in $_pids; do
    kill -KILL "$_p" 2>/dev/null
  done
  if grep -qF " $CT_TMP" /proc/self/mountinfo; then
    echo "# refusing to remove $CT_TMP: still mounted" >&2
  else
    rm -rf "$CT_TMP"
  fi
}
trap _cleanup EXIT
trap 'exit 130' INT TERM HUP

# Every container lives under a private state root.
rt () { "$RUNTIME" --root "$CT_ROOT" "$@"; }

# new_id: a fresh container id, remembered for cleanup (in a file: new_id
# runs in a command substitution's subshell).
new_id ()
{
  _id=conf-$$-$_n-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
  echo "$_id" >> "$CT_TMP/ids"
  echo "$_id"
}
track_pid () { _pids="$_pids $1"; }

plan () { echo "1..$1"; }
ok () { _n=$((_n + 1)); echo "ok $_n - $1"; }
not_ok ()
{
  _n=$((_n + 1))
  _failed=$((_failed + 1))
  echo "not ok $_n - $1"
  shift
  for _l in "$@"; do
    printf '%s\n' "$_l" | sed 's/^/#   /'
  done
}
skip () { _n=$((_n + 1)); echo "ok $_n # SKIP $1"; }
# is DESCRIPTION GOT EXPECTED
is ()
{
  if [ "$2" = "$3" ]; then
    ok "$1"
  else
    not_ok "$1" "got:      $2" "expected: $3"
  fi
}
# truth DESCRIPTION COMMAND...: ok when the command succeeds.
truth ()
{
  _d=$1
  shift
  if "$@" > "$CT_TMP/truth.out" 2>&1; then
    ok "$_d"
  else
    not_ok "$_d" "failed: $*" "$(cat "$CT_TMP/truth.out")"
  fi
}
# falsity DESCRIPTION COMMAND...: ok when the command fails.
falsity ()
{
  _d=$1
  shift
  if "$@" > "$CT_TMP/truth.out" 2>&1; then
    not_ok "$_d" "succeeded, expected a failure: $*"
  else
    ok "$_d"
  fi
}
finish () { [ "$_failed" -eq 0 ]; exit $?; }

# make_bundle DIR [ARG...]: a bundle with the default config, process.args
# replaced by ARG... when given.
make_bundle ()
{
  mkdir -p "$1"
  cp -a "$ROOTFS" "$1/rootfs"
  cp "$BASE_CONFIG" "$1/config.json"
  _b=$1
  shift
  [ $# -eq 0 ] || set_args "$_b" "$@"
}
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

# state_field ID FILTER: one field of `state ID`, empty when state fails.
state_field () { rt state "$1" 2>/dev/null | jq -r "$2" 2>/dev/null; }

# wait_status ID STATUS: wait (up to 10 s) until the container has STATUS.
wait_status ()
{
  _i=0
  while [ "$(state_field "$1" .status)" != "$2" ]; do
    _i=$((_i + 1))
    [ "$_i" -gt 100 ] && return 1
    sleep 0.1
  done
  return 0
}

# run_ct ID BUNDLE: `run` the container in the foreground, stdout in $OUT,
# stderr in $ERR, exit status in $RC.
run_ct ()
{
  rt run --bundle "$2" "$1" < /dev/null > "$CT_TMP/out" 2> "$CT_TMP/err"
  RC=$?
  OUT=$(cat "$CT_TMP/out")
  ERR=$(cat "$CT_TMP/err")
}

# inside DESCRIPTION BUNDLE SCRIPT EXPECTED: run `sh -c SCRIPT` in a
# container of BUNDLE and compare its output with EXPECTED.
inside ()
{
  _id=$(new_id)
  set_args "$2" sh -c "$3"
  run_ct "$_id" "$2"
  if [ "$RC" -ne 0 ]; then
    not_ok "$1" "run exited $RC" "$ERR" "$OUT"
  else
    is "$1" "$OUT" "$4"
  fi
}

# reset_config BUNDLE: back to the default config.
reset_config () { cp "$BASE_CONFIG" "$1/config.json"; }
