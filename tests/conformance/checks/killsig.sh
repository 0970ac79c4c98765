#!/bin/sh
# kill delivers the named signal to the container process (runtime.md
# "Kill"); mirrors killsig.  Signal forms: name, SIG-name, number.
. "$(dirname "$0")/../lib.sh"

b=$CT_TMP/bundle
make_bundle "$b"
sigs="TERM SIGUSR1 12 HUP INT default"
plan 6
for s in $sigs; do
  id=$(new_id)
  rm -f "$b/rootfs/tmp/got"
  # The trap writes the signal it saw and exits.
  set_args "$b" sh -c "for x in TERM USR1 USR2 HUP INT; do trap \"echo \$x > /tmp/got; exit 0\" \$x; done; echo ready > /tmp/ready; while :; do sleep 0.1; done"
  edit_config "$b" '.root.readonly = false'
  rm -f "$b/rootfs/tmp/ready"
  rt create --bundle "$b" "$id" && rt start "$id" || { not_ok "kill $s" "cannot start"; continue; }
  i=0
  while [ ! -s "$b/rootfs/tmp/ready" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
  if [ "$s" = default ]; then rt kill "$id"; else rt kill "$id" "$s"; fi
  wait_status "$id" stopped
  want=$(echo "$s" | sed 's/^SIG//; s/^12$/USR2/; s/^default$/TERM/')
  is "kill $s reaches the process" "$(cat "$b/rootfs/tmp/got" 2>/dev/null)" "$want"
  rt delete --force "$id" >/dev/null 2>&1
done
finish
