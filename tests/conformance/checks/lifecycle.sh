#!/bin/sh
# The create/start/state/kill/delete operations of the runtime-spec
# (runtime.md, "Operations" and "Lifecycle"); mirrors the validation
# programs create, start, state, kill, delete, kill_no_effect and
# delete_only_create_resources.
. "$(dirname "$0")/../lib.sh"
plan 26

b=$CT_TMP/bundle
# A process 1 ignores signals it has no handler for: this one handles TERM.
make_bundle "$b" sh -c 'trap "exit 0" TERM; while :; do sleep 0.2; done'

falsity "state of an unknown id fails" rt state conf-no-such-container
falsity "delete of an unknown id fails" rt delete conf-no-such-container
falsity "kill of an unknown id fails" rt kill conf-no-such-container TERM
falsity "start of an unknown id fails" rt start conf-no-such-container

mkdir -p "$CT_TMP/empty"
bad=$(new_id)
falsity "create from a bundle without config.json fails" \
  rt create --bundle "$CT_TMP/empty" "$bad"
falsity "... and leaves no container" rt state "$bad"

id=$(new_id)
truth "create succeeds" rt create --bundle "$b" "$id"
is "state after create: status" "$(state_field "$id" .status)" created
is "state: id" "$(state_field "$id" .id)" "$id"
is "state: bundle is the absolute bundle path" "$(state_field "$id" .bundle)" "$b"
truth "state: ociVersion is set" test -n "$(state_field "$id" '.ociVersion // empty')"
pid=$(state_field "$id" .pid)
truth "state: pid is a live process" kill -0 "${pid:-0}"
falsity "create with an id in use fails" rt create --bundle "$b" "$id"
truth "start succeeds" rt start "$id"
is "state after start: status" "$(state_field "$id" .status)" running
falsity "start of a running container fails" rt start "$id"
falsity "delete (no --force) of a running container fails" rt delete "$id"
truth "kill TERM succeeds" rt kill "$id" TERM
truth "the container stops" wait_status "$id" stopped
falsity "kill of a stopped container fails" rt kill "$id" TERM
truth "delete of a stopped container succeeds" rt delete "$id"
falsity "state after delete fails" rt state "$id"

# The state carries the config's annotations (runtime.md "State").
edit_config "$b" '.annotations = { "org.conformance.a": "b" }'
id=$(new_id)
rt create --bundle "$b" "$id"
is "state: annotations" "$(state_field "$id" '.annotations["org.conformance.a"]')" b
falsity "delete (no --force) of a created container fails" rt delete "$id"
is "... and has no effect on it" "$(state_field "$id" .status)" created
rt delete --force "$id" >/dev/null 2>&1

# A process that cannot be run is an error (runtime.md "Create", "Start").
set_args "$b" /no/such/program
id=$(new_id)
if rt create --bundle "$b" "$id" >/dev/null 2>&1; then
  falsity "an args[0] that does not exist fails create or start" rt start "$id"
else
  ok "an args[0] that does not exist fails create or start"
fi

finish
