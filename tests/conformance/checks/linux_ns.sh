#!/bin/sh
# Namespaces, user namespace mappings and sysctl (config-linux.md
# "Namespaces", "User namespace mappings", "Sysctl"); mirrors the
# validation programs linux_ns_nopath, linux_ns_path, linux_ns_itype,
# linux_uid_mappings, linux_gid_mappings and linux_sysctl.
. "$(dirname "$0")/../lib.sh"
plan 9

b=$CT_TMP/bundle
make_bundle "$b"
# The namespaces of the default config (runc spec has no cgroup namespace).
nss="pid net ipc uts mnt"
hostns=
for ns in $nss; do hostns="$hostns $ns:$(readlink "/proc/self/ns/$ns")"; done
inside "new pid, net, ipc, uts, mnt namespaces (none is the host's)" "$b" \
  "for e in $hostns; do n=\${e%%:*}; h=\${e#*:}; [ \"\$(readlink /proc/self/ns/\$n)\" = \"\$h\" ] && echo \"\$n is the host's\"; done; echo done" \
  "done"
inside "the container's process is pid 1" "$b" 'echo $$' 1

# A namespace path: the container joins a network and a UTS namespace
# that a process of ours holds.
unshare --net --uts sh -c 'hostname conformance-holder; exec sleep 300' &
holder=$!
track_pid "$holder"
i=0
while [ "$(readlink /proc/$holder/ns/uts)" = "$(readlink /proc/self/ns/uts)" ] && [ $i -lt 50 ]; do
  i=$((i + 1)); sleep 0.1
done
edit_config "$b" '.linux.namespaces |= map(if .type == "network" then .path = $n
    elif .type == "uts" then .path = $u else . end)
  | .hostname = null | del(.hostname)' \
  --arg n "/proc/$holder/ns/net" --arg u "/proc/$holder/ns/uts"
inside "linux.namespaces path: network joined" "$b" 'readlink /proc/self/ns/net' \
  "$(readlink "/proc/$holder/ns/net")"
inside "linux.namespaces path: uts joined" "$b" 'hostname' conformance-holder
edit_config "$b" '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/mnt" else . end)'
id=$(new_id)
set_args "$b" true
run_ct "$id" "$b"
truth "a namespace path of the wrong type fails" test "$RC" -ne 0
kill "$holder" 2>/dev/null
reset_config "$b"

# The mapped root must reach the bundle: no 0700 directory on the way.
chmod 0755 "$CT_TMP" "$b"
edit_config "$b" '.linux.namespaces += [{ type: "user" }]
  | .linux.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }]
  | .linux.gidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }]'
inside "linux.uidMappings" "$b" 'tr -s " " < /proc/self/uid_map' " 0 100000 65536"
inside "linux.gidMappings" "$b" 'tr -s " " < /proc/self/gid_map' " 0 200000 65536"
# Without a cgroup namespace, /sys/fs/cgroup still shows the container's
# own groups.
edit_config "$b" '.linux.resources.memory = { limit: 50331648 }'
inside "user namespace: /sys/fs/cgroup shows the container's memory group" "$b" \
  'cat /sys/fs/cgroup/memory/memory.limit_in_bytes' 50331648
reset_config "$b"
edit_config "$b" '.linux.sysctl = { "net.ipv4.ip_forward": "1", "kernel.shmmni": "1234" }'
inside "linux.sysctl" "$b" 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni' "1
1234"

finish
