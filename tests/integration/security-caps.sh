#!/bin/sh
# process.capabilities: the five sets as the container's process sees them
# in /proc/1/status, for root and for another user; noNewPrivileges.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root

plan 22

b=$TEST_TMP/bundle
make_bundle "$b"

# caps SET: the hex value of /proc/1/status's Cap$SET in the last run.
caps () { printf '%s\n' "$OUT" | awk -v k="Cap$1:" '$1 == k {print $2}'; }
status_args () { set_args "$b" sh -c 'grep -E "^(Cap|NoNewPrivs)" /proc/1/status'; }
# minirun spec's default: CAP_AUDIT_WRITE (29), CAP_KILL (5),
# CAP_NET_BIND_SERVICE (10).
DEFAULT=0000000020000420
NONE=0000000000000000

status_args
run_ct c1 -b "$b"
is "root: bounding is the config's" "$(caps Bnd)" $DEFAULT
is "root: effective is the config's" "$(caps Eff)" $DEFAULT
is "root: permitted is the config's" "$(caps Prm)" $DEFAULT
is "root: inheritable is empty (not asked)" "$(caps Inh)" $NONE
is "root: ambient is empty (root gets none)" "$(caps Amb)" $NONE
is "noNewPrivileges: true" "$(printf '%s\n' "$OUT" | awk '$1 == "NoNewPrivs:" {print $2}')" 1

edit_config "$b" '.process.user = {uid: 1000, gid: 1000}'
run_ct c1 -b "$b"
is "user 1000, no inheritable: nothing effective after exec" "$(caps Eff)" $NONE
is "user 1000, no inheritable: nothing permitted after exec" "$(caps Prm)" $NONE
is "user 1000: bounding still the config's" "$(caps Bnd)" $DEFAULT
is "user 1000: ambient empty (not inheritable)" "$(caps Amb)" $NONE

edit_config "$b" '.process.capabilities.inheritable = ["CAP_KILL", "CAP_NET_BIND_SERVICE"]
  | .process.capabilities.ambient = ["CAP_KILL", "CAP_NET_BIND_SERVICE"]'
run_ct c1 -b "$b"
is "user 1000 with ambient: ambient raised" "$(caps Amb)" 0000000000000420
is "user 1000 with ambient: inheritable as asked" "$(caps Inh)" 0000000000000420
is "user 1000 with ambient: effective after exec" "$(caps Eff)" 0000000000000420
is "user 1000 with ambient: permitted after exec" "$(caps Prm)" 0000000000000420
is "no warning when ambient is consistent" "$ERR" ""

reset_config "$b"
status_args
edit_config "$b" '.process.capabilities.bounding = ["CAP_KILL"]'
run_ct c1 -b "$b"
is "a narrower bounding set bounds root's permitted set at exec" \
  "$(caps Bnd) $(caps Prm)" "0000000000000020 0000000000000020"

edit_config "$b" 'del(.process.capabilities)'
run_ct c1 -b "$b"
is "no process.capabilities: no capability at all" \
  "$(caps Bnd) $(caps Eff) $(caps Prm) $(caps Inh) $(caps Amb)" \
  "$NONE $NONE $NONE $NONE $NONE"

reset_config "$b"
status_args
# runtime-spec: warn, do not fail, and grant only what can be granted.
edit_config "$b" '.process.capabilities.effective += ["CAP_BOGUS"]'
run_ct c1 -b "$b"
is "unknown capability name: ignored, the rest applied" "$RC $(caps Eff)" "0 $DEFAULT"
check "... with a warning naming the capability and the set" \
  grep -q "warning: process.capabilities.effective: unknown capability .CAP_BOGUS.: ignored" "$TEST_TMP/err"

reset_config "$b"
status_args
edit_config "$b" '.process.capabilities.bounding = ["cap_kill"] | .process.capabilities.effective = ["Cap_Kill"] | .process.capabilities.permitted = ["CAP_KILL"]'
run_ct c1 -b "$b"
is "capability names are case-insensitive" "$(caps Eff)" 0000000000000020

reset_config "$b"
status_args
edit_config "$b" '.process.noNewPrivileges = false'
run_ct c1 -b "$b"
is "noNewPrivileges: false" "$(printf '%s\n' "$OUT" | awk '$1 == "NoNewPrivs:" {print $2}')" 0

# A set that cannot be had: effective beyond permitted.
reset_config "$b"
status_args
edit_config "$b" '.process.capabilities.effective += ["CAP_SYS_ADMIN"]'
run_ct c1 -b "$b"
is "effective not in permitted: run fails" "$RC" 1

finish
