#!/bin/sh
# Mounts, masked and read-only paths, rootfs propagation (config.md
# "Mounts", config-linux.md "Masked Paths", "Readonly Paths", "Rootfs Mount
# Propagation"); mirrors the validation programs mounts,
# linux_masked_paths, linux_readonly_paths, linux_rootfs_propagation_*.
. "$(dirname "$0")/../lib.sh"
plan 14

b=$CT_TMP/bundle
make_bundle "$b"
# mp PATH: "PATH FSTYPE ro|rw" of the mount at PATH, from mountinfo.
mp='mp () { awk -v p="$1" '\''$5 == p { split($6, o, ","); for (i = 7; $i != "-"; i++) ; t = $(i + 1); m = o[1] } END { print p, t, m }'\'' /proc/self/mountinfo; }'

inside "default mounts: types and read-only flags" "$b" "$mp;"'
  for p in /proc /dev /dev/pts /dev/shm /dev/mqueue /sys; do mp $p; done' \
"/proc proc rw
/dev tmpfs rw
/dev/pts devpts rw
/dev/shm tmpfs rw
/dev/mqueue mqueue rw
/sys sysfs ro"
inside "/sys/fs/cgroup is mounted read-only" "$b" "$mp;"' mp /sys/fs/cgroup | cut -d" " -f1,3' \
  "/sys/fs/cgroup ro"

mkdir -p "$CT_TMP/host"
echo from-host > "$CT_TMP/host/file"
edit_config "$b" '.mounts += [{ destination: "/mnt", type: "bind", source: $s,
                                options: ["rbind", "ro"] }]' --arg s "$CT_TMP/host"
inside "a bind mount shows the host directory" "$b" 'cat /mnt/file' from-host
inside "a read-only bind mount is read-only" "$b" 'touch /mnt/new 2>/dev/null || echo ro' ro
reset_config "$b"
edit_config "$b" '.mounts += [{ destination: "/scratch", type: "tmpfs", source: "tmpfs",
                                options: ["size=1m", "mode=1777", "nosuid"] }]'
inside "a tmpfs mount with options, its destination created" "$b" \
  "$mp;"' mp /scratch; o=,$(grep " /scratch " /proc/self/mounts | cut -d" " -f4),
  case $o in *,nosuid,*size=1024k,*) echo nosuid,size=1024k ;; *) echo "$o" ;; esac' \
  "/scratch tmpfs rw
nosuid,size=1024k"
reset_config "$b"

# (This kernel has no /proc/kcore nor /proc/sysrq-trigger: other paths of
# the default lists stand in for them.)
inside "masked: /proc/keys reads nothing" "$b" 'wc -c < /proc/keys' 0
inside "masked: /sys/firmware is empty" "$b" 'ls -A /sys/firmware | wc -l' 0
inside "read-only: /proc/sys is read-only" "$b" "$mp;"' mp /proc/sys | cut -d" " -f3' ro
inside "read-only: /proc/sys can't be written" "$b" \
  'echo 1 > /proc/sys/vm/overcommit_memory 2>/dev/null && echo written || echo refused' refused
inside "read-only: /proc/irq is read-only" "$b" "$mp;"' mp /proc/irq | cut -d" " -f3' ro

# rootfsPropagation: the root mount's propagation in mountinfo.  The
# bundle's mount on this host is private, so a slave root has no master:
# "slave" and "private" can only be told from "shared".
prop='awk '\''$5 == "/" { for (i = 7; $i != "-"; i++) o = o " " $i; print o }'\'' /proc/self/mountinfo'
for p in shared slave private; do
  edit_config "$b" '.linux.rootfsPropagation = $p' --arg p "$p"
  case $p in
    shared) want=shared ;;
    slave) want=none ;;
    private) want=none ;;
  esac
  inside "rootfsPropagation $p" "$b" "o=\$($prop); case \"\$o\" in *shared:*) echo shared ;; *master:*) echo master ;; *) echo none ;; esac" "$want"
done
edit_config "$b" '.linux.rootfsPropagation = "unbindable"'
inside "rootfsPropagation unbindable" "$b" "$prop | grep -o unbindable" unbindable

finish
