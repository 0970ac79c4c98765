# Helpers for the detached-lifecycle tests (sourced after lib.sh).

# ct_create ID [CREATE-OPTION...]: `create` with the bundle $b, the init's
# stdio away from the TAP stream (a waiting init would hold it open), the
# init's pid tracked so that cleanup kills it whatever happens.
ct_create ()
{
  _id=$1
  shift
  mr create -b "$b" --pid-file "$TEST_TMP/$_id.pid" "$@" "$_id" \
    < /dev/null > "$TEST_TMP/$_id.out" 2> "$TEST_TMP/$_id.err"
  _rc=$?
  [ -s "$TEST_TMP/$_id.pid" ] && track_pid "$(cat "$TEST_TMP/$_id.pid")"
  return $_rc
}

# ct_status ID: the status field of `state`, or "none".
ct_status ()
{
  mr state "$1" 2>/dev/null | jq -r .status 2>/dev/null || echo none
}

# wait_status ID STATUS: bounded wait (5 s) for a status.
wait_status ()
{
  _i=0
  while [ "$(ct_status "$1")" != "$2" ]; do
    _i=$((_i + 1))
    [ "$_i" -gt 50 ] && return 1
    sleep 0.1
  done
  return 0
}
