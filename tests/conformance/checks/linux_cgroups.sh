#!/bin/sh
# linux.resources applied to the container's cgroups, read from the host
# (config-linux.md "Control groups"); mirrors the validation programs
# linux_cgroups_{memory,pids,cpus,blkio} and their _relative_ variants.
# On a v1 or hybrid host the v1 controllers' files are read, on a cgroup2
# host the unified ones (with runc's conversions: cpu.weight from shares,
# io.max from the throttles).
. "$(dirname "$0")/../lib.sh"
plan 12

v2=false
[ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] && v2=true
# A block device of this machine for the blockIO throttles (none in the
# test VM, whose root is a 9p share: the throttles are then left out).
dev=$(cat /sys/block/*/dev 2>/dev/null | head -n 1)

b=$CT_TMP/bundle
make_bundle "$b" sleep 300
# cg PID CONTROLLER: the process's cgroup directory for CONTROLLER.
cg ()
{
  if $v2; then
    echo "/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$1/cgroup")"
    return
  fi
  _p=$(awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$1/cgroup")
  echo "/sys/fs/cgroup/$2$_p"
}
rd () { cat "$(cg "$pid" "$1")/$2" 2>/dev/null; }

id=$(new_id)
edit_config "$b" '.linux.cgroupsPath = $p | .linux.resources += {
    memory: { limit: 67108864, reservation: 33554432 },
    pids: { limit: 64 },
    cpu: { shares: 512, quota: 50000, period: 100000, cpus: "0", mems: "0" } }' \
  --arg p "/conformance/$id"
[ -z "$dev" ] || edit_config "$b" '.linux.resources.blockIO = {
    throttleReadBpsDevice: [{ major: $maj, minor: $min, rate: 1048576 }],
    throttleWriteIOPSDevice: [{ major: $maj, minor: $min, rate: 300 }] }' \
  --argjson maj "${dev%:*}" --argjson min "${dev#*:}"
truth "create with resources succeeds" rt create --bundle "$b" "$id"
pid=$(state_field "$id" .pid)
if $v2; then
  is "cgroupsPath (absolute) is the cgroup" "$(cg "$pid")" \
    "/sys/fs/cgroup/conformance/$id"
  is "memory.limit" "$(rd "" memory.max)" 67108864
  is "memory.reservation" "$(rd "" memory.low)" 33554432
  is "pids.limit" "$(rd "" pids.max)" 64
  # runc: weight = 1 + (shares - 2) * 9999 / 262142
  is "cpu.shares" "$(rd "" cpu.weight)" 20
  is "cpu.quota" "$(rd "" cpu.max | cut -d' ' -f1)" 50000
  is "cpu.period" "$(rd "" cpu.max | cut -d' ' -f2)" 100000
  is "cpu.cpus" "$(rd "" cpuset.cpus)" 0
  io=$(rd "" io.max | grep "^$dev ")
  if [ -n "$dev" ]; then
    is "blockIO.throttleReadBpsDevice" "$(echo "$io" | grep -o 'rbps=[0-9a-z]*')" rbps=1048576
    is "blockIO.throttleWriteIOPSDevice" "$(echo "$io" | grep -o 'wiops=[0-9a-z]*')" wiops=300
  else
    skip "blockIO.throttleReadBpsDevice: no block device"
    skip "blockIO.throttleWriteIOPSDevice: no block device"
  fi
else
  is "cgroupsPath (absolute) is the memory cgroup" "$(cg "$pid" memory)" \
    "/sys/fs/cgroup/memory/conformance/$id"
  is "memory.limit" "$(rd memory memory.limit_in_bytes)" 67108864
  is "memory.reservation" "$(rd memory memory.soft_limit_in_bytes)" 33554432
  is "pids.limit" "$(rd pids pids.max)" 64
  is "cpu.shares" "$(rd cpu cpu.shares)" 512
  is "cpu.quota" "$(rd cpu cpu.cfs_quota_us)" 50000
  is "cpu.period" "$(rd cpu cpu.cfs_period_us)" 100000
  is "cpu.cpus" "$(rd cpuset cpuset.cpus)" 0
  if [ -n "$dev" ]; then
    is "blockIO.throttleReadBpsDevice" "$(rd blkio blkio.throttle.read_bps_device)" "$dev 1048576"
    is "blockIO.throttleWriteIOPSDevice" "$(rd blkio blkio.throttle.write_iops_device)" "$dev 300"
  else
    skip "blockIO.throttleReadBpsDevice: no block device"
    skip "blockIO.throttleWriteIOPSDevice: no block device"
  fi
fi
rt delete --force "$id" >/dev/null 2>&1
rmdir /sys/fs/cgroup/*/conformance /sys/fs/cgroup/conformance 2>/dev/null

# A relative cgroupsPath: runtime-defined, but it must end with the path.
id=$(new_id)
edit_config "$b" '.linux.cgroupsPath = $p' --arg p "conformance-rel/$id"
rt create --bundle "$b" "$id"
pid=$(state_field "$id" .pid)
case $(cg "$pid" pids) in
  */conformance-rel/"$id") ok "a relative cgroupsPath is used" ;;
  *) not_ok "a relative cgroupsPath is used" "got: $(cg "$pid" pids)" ;;
esac
rt delete --force "$id" >/dev/null 2>&1
for d in /sys/fs/cgroup/*/conformance-rel /sys/fs/cgroup/*/*/conformance-rel \
         /sys/fs/cgroup/*/*/*/conformance-rel; do
  [ -d "$d" ] && rmdir "$d" 2>/dev/null
done

finish
