#!/bin/sh
# create --pid-file writes the container process's pid (runc CLI; mirrors
# the validation program pidfile).
. "$(dirname "$0")/../lib.sh"
plan 3

b=$CT_TMP/bundle
make_bundle "$b" sleep 300
id=$(new_id)
truth "create --pid-file succeeds" rt create --bundle "$b" --pid-file "$CT_TMP/pid" "$id"
is "the pid file holds the state's pid" "$(cat "$CT_TMP/pid" 2>/dev/null)" "$(state_field "$id" .pid)"
id2=$(new_id)
(cd "$CT_TMP" && rt create --bundle "$b" --pid-file rel.pid "$id2")
is "a relative --pid-file is relative to the working directory" \
  "$(cat "$CT_TMP/rel.pid" 2>/dev/null)" "$(state_field "$id2" .pid)"

finish
