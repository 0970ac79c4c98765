#!/bin/sh
# Unknown annotations and properties are accepted, invalid values refused
# (config.md "Annotations", "Extensibility", "Valid values"); mirrors the
# validation program misc_props.
. "$(dirname "$0")/../lib.sh"
plan 4

b=$CT_TMP/bundle
make_bundle "$b" true
# lifecycle: create, start, wait until stopped, delete.
lifecycle ()
{
  _id=$(new_id)
  rt create --bundle "$b" "$_id" && rt start "$_id" && wait_status "$_id" stopped \
    && rt delete "$_id"
}
edit_config "$b" '.annotations = { "org.conformance.unknown-key": "" }'
truth "an unknown annotation key is no error" lifecycle
reset_config "$b"
set_args "$b" true
edit_config "$b" '.unknown = "unknown" | .process.unknownToo = 1'
truth "an unknown property is no error" lifecycle
reset_config "$b"
set_args "$b" true
edit_config "$b" '.ociVersion = "invalid"'
falsity "an invalid ociVersion is an error" lifecycle
reset_config "$b"
set_args "$b" true
edit_config "$b" '.process.rlimits = [{ type: "RLIMIT_NO_SUCH_LIMIT", soft: 1, hard: 1 }]'
falsity "an unknown rlimit type is an error" lifecycle

finish
