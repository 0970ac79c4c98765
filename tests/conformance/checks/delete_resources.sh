#!/bin/sh
# delete MUST delete the resources that were created during create
# (runtime.md "Delete"); mirrors delete_resources and
# delete_only_create_resources.
. "$(dirname "$0")/../lib.sh"
plan 8

# gone PID: the process has exited (a zombie waiting for a reaper that is
# not ours counts as exited).
gone ()
{
  [ ! -e "/proc/$1/stat" ] || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

b=$CT_TMP/bundle
make_bundle "$b" sleep 300

# A created (never started) container.
id=$(new_id)
rt create --bundle "$b" "$id" || exit 1
pid=$(state_field "$id" .pid)
mem=$(awk -F: '$2 == "memory" { print $3 }' "/proc/$pid/cgroup")
truth "the created container has its own memory cgroup" \
  test -n "$mem" -a "$mem" != / -a -d "/sys/fs/cgroup/memory$mem"
truth "kill KILL of a created container succeeds" rt kill "$id" KILL
truth "it stops" wait_status "$id" stopped
truth "delete succeeds" rt delete "$id"
falsity "its memory cgroup is gone" test -d "/sys/fs/cgroup/memory$mem"
truth "its init process is gone" gone "$pid"

# delete --force of a running container.
id=$(new_id)
rt create --bundle "$b" "$id" && rt start "$id" || exit 1
pid=$(state_field "$id" .pid)
truth "delete --force of a running container succeeds" rt delete --force "$id"
i=0
while ! gone "$pid" && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
truth "its process is gone" gone "$pid"

finish
