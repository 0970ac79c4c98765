#!/bin/sh
# Joining a user namespace by path with a new pid namespace, as in a
# Kubernetes pod with user namespaces: the sandbox container makes the
# user namespace, every other container of the pod joins it (and the
# pod's network and ipc namespaces) and gets its own pid, mount and uts
# namespaces.  The new pid namespace must belong to the joined user
# namespace, or /proc cannot be mounted for it.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root

plan 13

pod=$TEST_TMP/pod
app=$TEST_TMP/app
make_bundle "$pod"
make_bundle "$app"
# The containers' root (host uid 100000) must be able to reach the bundles.
chmod 755 "$TEST_TMP" "$pod" "$app"
maps='.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
  | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'

edit_config "$pod" '.linux.namespaces += [{type: "user"}] | '"$maps"
set_args "$pod" sleep 1000
mr run -d -b "$pod" --pid-file "$TEST_TMP/pod.pid" pod > "$TEST_TMP/pod.out" 2>&1
is "the pod's sandbox runs in a user namespace of its own" "$?:$(cat "$TEST_TMP/pod.out")" 0:
pod_pid=$(cat "$TEST_TMP/pod.pid")
track_pid "$pod_pid"

# Joined by path: user, network, ipc; new: pid, mount, uts (and the maps,
# which must match the joined namespace's, as containerd writes them).
edit_config "$app" '.linux.namespaces = [
    {type: "user", path: ($p + "/user")}, {type: "network", path: ($p + "/net")},
    {type: "ipc", path: ($p + "/ipc")}, {type: "pid"}, {type: "mount"},
    {type: "uts"}] | '"$maps" --arg p "/proc/$pod_pid/ns"
# (The shell counts the processes in /proc itself, before it forks any.)
set_args "$app" sh -c 'set -- /proc/[0-9]*; readlink /proc/self/ns/user; echo "pid $$"; echo $#; id -u; exit 7'
run_ct app1 -b "$app"
is "a container joining it with a new pid namespace runs, /proc mounted" \
  "$RC:$OUT:$ERR" "7:$(readlink "/proc/$pod_pid/ns/user")
pid 1
1
0:"
check_no_leftovers "nothing of it is left" app1 "$app"

# Detached: the whole lifecycle, and exec into it.
set_args "$app" sleep 1000
mr create -b "$app" --pid-file "$TEST_TMP/app.pid" app2 > "$TEST_TMP/create.out" 2>&1
is "create" "$?:$(cat "$TEST_TMP/create.out")" 0:
app_pid=$(cat "$TEST_TMP/app.pid")
track_pid "$app_pid"
is "state: created, with init's PID" \
  "$(mr state app2 | jq -r '"\(.status) \(.pid)"')" "created $app_pid"
is "init is in the joined user and network namespaces" \
  "$(readlink "/proc/$app_pid/ns/user") $(readlink "/proc/$app_pid/ns/net")" \
  "$(readlink "/proc/$pod_pid/ns/user") $(readlink "/proc/$pod_pid/ns/net")"
is "its pid namespace is new" \
  "$([ "$(readlink "/proc/$app_pid/ns/pid")" != "$(readlink "/proc/$pod_pid/ns/pid")" ] && echo new)" new
is "host uid of its root" \
  "$(sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$app_pid/status")" 100000
mr start app2
is "start: running" "$(mr state app2 | jq -r .status)" running
is "exec runs in it as root, in its pid namespace" \
  "$(mr exec app2 sh -c 'set -- /proc/[0-9]*; n=$#; echo "$(id -u) $n"' 2>&1)" "0 2"
mr kill app2 KILL
i=0
while [ "$(mr state app2 2>/dev/null | jq -r .status)" != stopped ] && [ $i -lt 50 ]; do
  sleep 0.1
  i=$((i + 1))
done
is "kill: stopped" "$(mr state app2 | jq -r .status)" stopped
mr delete app2
check_no_leftovers "delete leaves nothing" app2 "$app"

mr delete -f pod
is "the pod's sandbox is gone too" "$(mr list -q)" ""

finish
