#!/bin/sh
# The JSON of `state` has the fields runc's has, in each status: pid while
# created or running and 0 once stopped, owner "", annotations when the
# config has any.  When runc is installed, its output is the reference.
. "$abs_top_srcdir/tests/integration/lib.sh"
. "$abs_top_srcdir/tests/integration/lifecycle-lib.sh"
require_root

plan 8

b=$TEST_TMP/bundle
make_bundle "$b"
set_args "$b" sleep 1000
edit_config "$b" '.annotations = {"org.example.a": "b"}'
keys () { jq -c 'keys_unsorted'; }
all='["ociVersion","id","pid","status","bundle","rootfs","created","annotations","owner"]'

ct_create s1 || bail "cannot create s1: $(cat "$TEST_TMP/s1.err")"
mr state s1 > "$TEST_TMP/created.json"
is "created: the fields, in runc's order" "$(keys < "$TEST_TMP/created.json")" "$all"
is "created: pid is init's, owner \"\"" \
  "$(jq -r '"\(.pid) [\(.owner)]"' "$TEST_TMP/created.json")" "$(cat "$TEST_TMP/s1.pid") []"
mr start s1
mr state s1 > "$TEST_TMP/running.json"
is "running: the same fields" "$(keys < "$TEST_TMP/running.json")" "$all"
mr kill s1 KILL
wait_status s1 stopped
mr state s1 > "$TEST_TMP/stopped.json"
is "stopped: the same fields" "$(keys < "$TEST_TMP/stopped.json")" "$all"
is "stopped: pid 0" "$(jq -r .pid "$TEST_TMP/stopped.json")" 0
mr delete s1

# runc on the same bundle: the same keys in each status.
if command -v runc > /dev/null 2>&1; then
  runc_root=$TEST_TMP/runc
  rc_state () { runc --root "$runc_root" state r1 | keys; }
  runc --root "$runc_root" create -b "$b" r1 < /dev/null > /dev/null 2>&1 \
    || bail "runc create failed"
  track_pid "$(runc --root "$runc_root" state r1 | jq -r .pid)"
  a=$(rc_state)
  runc --root "$runc_root" start r1
  r=$(rc_state)
  runc --root "$runc_root" kill r1 KILL
  _i=0
  while [ "$(runc --root "$runc_root" state r1 | jq -r .status)" != stopped ] && [ $_i -lt 50 ]; do
    _i=$((_i + 1)); sleep 0.1
  done
  s=$(rc_state)
  runc --root "$runc_root" delete -f r1
  is "runc's created/running/stopped keys are ours" "$a $r $s" "$all $all $all"
else
  skip "runc is not installed"
fi

reset_config "$b"
set_args "$b" sleep 1000
ct_create s2 || bail "cannot create s2"
is "no annotations: the field is absent, as with runc" \
  "$(mr state s2 | keys)" '["ociVersion","id","pid","status","bundle","rootfs","created","owner"]'
mr delete -f s2
check_no_leftovers "nothing left behind" s2 "$b"
finish
