#!/bin/sh
# Changing config.json after create must not affect the container
# (runtime.md "Create": "Any updates to config.json after this operation
# MUST NOT have an effect on the container"); mirrors
# config_updates_without_affect.
. "$(dirname "$0")/../lib.sh"
plan 2

b=$CT_TMP/bundle
make_bundle "$b" sh -c 'echo "$0" > /out/said' first
mkdir -p "$CT_TMP/out"
edit_config "$b" '.mounts += [{ destination: "/out", type: "bind", source: $s,
                                options: ["rbind", "rw"] }]' --arg s "$CT_TMP/out"
id=$(new_id)
rt create --bundle "$b" "$id" || exit 1
set_args "$b" sh -c 'echo "$0" > /out/said' second
edit_config "$b" '.hostname = "changed"'
truth "start after config.json changed succeeds" rt start "$id"
i=0
while [ ! -s "$CT_TMP/out/said" ] && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
is "the container runs the config it was created with" "$(cat "$CT_TMP/out/said" 2>/dev/null)" first

finish
