#!/bin/sh
# linux.sysctl and process.oomScoreAdj: applied inside the container's own
# namespaces, refused where they would change the host.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root
plan 15
host_panic=$(cat /proc/sys/kernel/panic)

b=$TEST_TMP/bundle
make_bundle "$b"
host_shmmni=$(cat /proc/sys/kernel/shmmni)
host_forward=$(cat /proc/sys/net/ipv4/ip_forward)
new_shmmni=$((host_shmmni - 7))
new_forward=$((1 - host_forward))

edit_config "$b" '.linux.sysctl = {"kernel.shmmni": $s, "net.ipv4.ip_forward": $f}
                  | .process.oomScoreAdj = 537' \
  --arg s "$new_shmmni" --arg f "$new_forward"
set_args "$b" sh -c 'cat /proc/sys/kernel/shmmni /proc/sys/net/ipv4/ip_forward /proc/self/oom_score_adj'
run_ct c1 -b "$b"
is "the container runs" "$RC:$ERR" "0:"
is "an IPC sysctl is set in the container" "$(echo "$OUT" | sed -n 1p)" "$new_shmmni"
is "a network sysctl is set in the container" "$(echo "$OUT" | sed -n 2p)" "$new_forward"
is "process.oomScoreAdj is set" "$(echo "$OUT" | sed -n 3p)" 537
is "the host's kernel.shmmni is unchanged" "$(cat /proc/sys/kernel/shmmni)" "$host_shmmni"
is "the host's net.ipv4.ip_forward is unchanged" "$(cat /proc/sys/net/ipv4/ip_forward)" "$host_forward"

# refused CONFIG-FILTER MESSAGE-PART DESCRIPTION
refused ()
{
  reset_config "$b"
  edit_config "$b" "$1"
  set_args "$b" true
  run_ct c2 -b "$b"
  case $RC:$ERR in
    1:"minirun: run c2: "*"$2"*) ok "$3" ;;
    *) not_ok "$3" "status $RC" "stderr: $ERR" ;;
  esac
  is "$3: nothing left" "$(ls "$STATE_ROOT" 2>/dev/null)" ""
}
refused '.linux.sysctl = {"net.ipv4.ip_forward": "1"}
         | .linux.namespaces |= map(select(.type != "network"))' \
  "linux.sysctl \`net.ipv4.ip_forward\`: needs a network namespace" \
  "a network sysctl without a network namespace is refused"
refused '.linux.sysctl = {"kernel.panic": "5"}' \
  "linux.sysctl \`kernel.panic\`: not a sysctl of a namespace" \
  "a host-wide sysctl is refused"
refused '.linux.sysctl = {"net/../../kernel/panic": "5"}' \
  "linux.sysctl \`net/../../kernel/panic\`: not a sysctl name" \
  "a key that climbs out of /proc/sys is refused"
refused '.process.oomScoreAdj = 1001' \
  "process.oomScoreAdj 1001: not in -1000..1000" \
  "an oomScoreAdj out of range is refused"
is "the host's kernel.panic is unchanged" "$(cat /proc/sys/kernel/panic)" "$host_panic"
