#!/bin/sh
# linux.resources applied to the container's cgroups, read from the host
# (config-linux.md "Control groups"); mirrors the validation programs
# linux_cgroups_{memory,pids,cpus,blkio} and their _relative_ variants.
# This host has cgroup v1 controllers (no net_cls, no hugetlb).
. "$(dirname "$0")/../lib.sh"
plan 12

b=$CT_TMP/bundle
make_bundle "$b" sleep 300
# cg PID CONTROLLER: the process's cgroup directory for CONTROLLER.
cg ()
{
  _p=$(awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$1/cgroup")
  echo "/sys/fs/cgroup/$2$_p"
}
rd () { cat "$(cg "$pid" "$1")/$2" 2>/dev/null; }

id=$(new_id)
edit_config "$b" '.linux.cgroupsPath = $p | .linux.resources += {
    memory: { limit: 67108864, reservation: 33554432 },
    pids: { limit: 64 },
    cpu: { shares: 512, quota: 50000, period: 100000, cpus: "0", mems: "0" },
    blockIO: { throttleReadBpsDevice: [{ major: 254, minor: 0, rate: 1048576 }],
               throttleWriteIOPSDevice: [{ major: 254, minor: 0, rate: 300 }] } }' \
  --arg p "/conformance/$id"
truth "create with resources succeeds" rt create --bundle "$b" "$id"
pid=$(state_field "$id" .pid)
is "cgroupsPath (absolute) is the memory cgroup" "$(cg "$pid" memory)" \
  "/sys/fs/cgroup/memory/conformance/$id"
is "memory.limit" "$(rd memory memory.limit_in_bytes)" 67108864
is "memory.reservation" "$(rd memory memory.soft_limit_in_bytes)" 33554432
is "pids.limit" "$(rd pids pids.max)" 64
is "cpu.shares" "$(rd cpu cpu.shares)" 512
is "cpu.quota" "$(rd cpu cpu.cfs_quota_us)" 50000
is "cpu.period" "$(rd cpu cpu.cfs_period_us)" 100000
is "cpu.cpus" "$(rd cpuset cpuset.cpus)" 0
is "blockIO.throttleReadBpsDevice" "$(rd blkio blkio.throttle.read_bps_device)" "254:0 1048576"
is "blockIO.throttleWriteIOPSDevice" "$(rd blkio blkio.throttle.write_iops_device)" "254:0 300"
rt delete --force "$id" >/dev/null 2>&1
rmdir /sys/fs/cgroup/*/conformance 2>/dev/null

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
