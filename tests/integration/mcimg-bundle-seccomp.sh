#!/bin/sh
# mcimg bundle's seccomp and --security-opt: a bundle gets docker's default
# profile for its capabilities, runs under minirun and runc with the filter
# loaded (Seccomp: 2), a syscall outside the profile fails with EPERM,
# --cap-add SYS_ADMIN brings mount(2) and unshare(2) back,
# seccomp=unconfined drops the filter, seccomp=FILE is used as given, and
# every bad option fails with one line and leaves nothing behind.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq sha256sum gzip
[ "$(id -u)" = 0 ] || reg_skip_all "needs root (overlay mounts, containers)"
. "$abs_top_srcdir/tests/integration/mcimg-lib.sh"
minirun=$abs_top_builddir/minirun

# The containers end before each check; the overlays are unmounted before
# lib.sh removes $work.
seccomp_cleanup() {
  for id in $(ls "$work/minirun" 2>/dev/null); do
    "$minirun" --root "$work/minirun" delete -f "$id" >/dev/null 2>&1
  done
  for id in $(ls "$work/runc" 2>/dev/null); do
    runc --root "$work/runc" delete -f "$id" >/dev/null 2>&1
  done
  grep " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null; done
  reg_cleanup
}
trap seccomp_cleanup EXIT

# busybox alone.
layout=$work/layout
l1=$work/l1
mkdir -p "$l1/bin" "$l1/etc" "$l1/mnt" "$l1/tmp"
cp "${BUSYBOX:-/bin/busybox}" "$l1/bin/busybox"
for t in sh cat echo grep mkdir mount unshare true; do ln -s busybox "$l1/bin/$t"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$l1/etc/passwd"
echo 'root:x:0:' >"$l1/etc/group"
mk_image "$layout" bb "$l1"
reg_start http || reg_skip_all "registry did not start"
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$layout:bb" \
  "docker://$host/bb:v1" || reg_skip_all "skopeo push failed"
reg_ok "pull busybox" M pull --tls-verify=false "$host/bb:v1"
img=$host/bb:v1
case $(uname -m) in
  x86_64) archs='["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"]' ;;
  aarch64) archs='["SCMP_ARCH_AARCH64","SCMP_ARCH_ARM"]' ;;
  *) archs= ;;
esac

# What each container prints: its filter mode, whether it may create a user
# namespace and mount a tmpfs (the error text when not).
probe='grep "^Seccomp:" /proc/1/status; grep "^NoNewPrivs:" /proc/1/status
unshare -U true 2>&1; echo unshare=$?
mount -t tmpfs t /mnt 2>&1; echo mount=$?'
bundle() { dir=$1; shift; M bundle "$@" "$img" "$work/$dir" -- /bin/sh -c "$probe"; }
# run RUNTIME DIR ID: its output in $work/$ID.out
run() {
  case $1 in
    minirun) "$minirun" --root "$work/minirun" run -b "$work/$2" "$3" ;;
    runc) runc --root "$work/runc" run -b "$work/$2" "$3" ;;
  esac >"$work/$3.out" 2>&1 </dev/null
  rc=$?
  case $1 in
    minirun) "$minirun" --root "$work/minirun" delete -f "$3" >/dev/null 2>&1 ;;
    runc) runc --root "$work/runc" delete -f "$3" >/dev/null 2>&1 ;;
  esac
  sed 's/^/# /' "$work/$3.out"
  return $rc
}
has() { grep -qx -- "$2" "$work/$1.out"; }
runtimes=minirun
host_userns=no
"${BUSYBOX:-/bin/busybox}" unshare -U true 2>/dev/null && host_userns=yes
command -v runc >/dev/null 2>&1 && runtimes="minirun runc"

# ---- the default profile ----
reg_ok "bundle with the default profile" bundle dflt
cfg=$work/dflt/config.json
reg_check "defaultAction ERRNO, defaultErrnoRet EPERM" [ "$(jq -c '.linux.seccomp | [.defaultAction, .defaultErrnoRet]' "$cfg")" = '["SCMP_ACT_ERRNO",1]' ]
[ -n "$archs" ] && reg_check "architectures of $(uname -m)" [ "$(jq -c .linux.seccomp.architectures "$cfg")" = "$archs" ]
reg_check "read allowed, mount/unshare/reboot not" jq -e '[.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and (.args // [] | length) == 0) | .names[]] as $a | ($a | index("read")) and ($a | index("mount") | not) and ($a | index("unshare") | not) and ($a | index("reboot") | not)' "$cfg"
reg_check "clone3 -> ENOSYS, clone without CLONE_NEW*" jq -e '(.linux.seccomp.syscalls | map(select(.names == ["clone3"] and .action == "SCMP_ACT_ERRNO" and .errnoRet == 38)) | length == 1) and (.linux.seccomp.syscalls | map(select(.names == ["clone"] and .args[0].op == "SCMP_CMP_MASKED_EQ" and .args[0].value == 2114060288)) | length == 1)' "$cfg"
reg_check "noNewPrivileges false, no labels" jq -e '(.process.noNewPrivileges // false) == false and .process.apparmorProfile == null and .process.selinuxLabel == null' "$cfg"
for rt in $runtimes; do
  reg_ok "$rt runs it" run $rt dflt "$rt-dflt"
  reg_check "$rt: filter loaded in pid 1 (Seccomp: 2)" has "$rt-dflt" "Seccomp:	2"
  reg_check "$rt: unshare(CLONE_NEWUSER) fails with EPERM" sh -c "grep -q 'Operation not permitted' '$work/$rt-dflt.out' && grep -qx unshare=1 '$work/$rt-dflt.out'"
  reg_check "$rt: mount(2) fails" has "$rt-dflt" "mount=[1-9][0-9]*"
done
reg_ok "echo ok under the default profile" M bundle "$img" "$work/ok" -- /bin/sh -c 'echo ok'
for rt in $runtimes; do
  reg_ok "$rt: sh -c 'echo ok'" run $rt ok "$rt-ok"
  reg_check "$rt: prints ok" [ "$(cat "$work/$rt-ok.out")" = ok ]
done

# ---- --cap-add SYS_ADMIN: the rules it brings appear ----
reg_ok "bundle --cap-add SYS_ADMIN" bundle admin --cap-add SYS_ADMIN
reg_check "mount, unshare, clone3 allowed; no clone filter" jq -e '[.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and (.args // [] | length) == 0) | .names[]] as $a | ($a | index("mount")) and ($a | index("unshare")) and ($a | index("clone3")) and (.linux.seccomp.syscalls | map(select(.names == ["clone"] and .args != null)) | length == 0)' "$work/admin/config.json"
reg_ok "minirun runs it" run minirun admin m-admin
reg_check "mount works" has m-admin mount=0
[ "$host_userns" = yes ] && reg_check "unshare -U works" has m-admin unshare=0
# Syscalls allowed by two groups (bpf, perf_event_open, syslog, ptrace).
reg_ok "bundle with SYS_ADMIN, BPF, PERFMON, SYSLOG, SYS_PTRACE" M bundle \
  --cap-add SYS_ADMIN --cap-add BPF --cap-add PERFMON --cap-add SYSLOG \
  --cap-add SYS_PTRACE "$img" "$work/all" -- /bin/sh -c 'echo ok'
for rt in $runtimes; do
  reg_ok "$rt runs it" run $rt all "$rt-all"
  reg_check "$rt: prints ok" [ "$(cat "$work/$rt-all.out")" = ok ]
done
reg_ok "bundle --cap-drop SYS_CHROOT" M bundle --cap-drop SYS_CHROOT "$img" "$work/nochroot" -- /bin/true
reg_check "chroot leaves the profile with the capability" jq -e '[.linux.seccomp.syscalls[].names[]] | index("chroot") | not' "$work/nochroot/config.json"

# ---- seccomp=unconfined ----
reg_ok "bundle --security-opt seccomp=unconfined" bundle unconf --security-opt seccomp=unconfined
reg_check "no linux.seccomp" jq -e '.linux.seccomp == null' "$work/unconf/config.json"
for rt in $runtimes; do
  reg_ok "$rt runs it" run $rt unconf "$rt-unconf"
  reg_check "$rt: no filter (Seccomp: 0)" has "$rt-unconf" "Seccomp:	0"
  # (unless the host itself forbids user namespaces)
  [ "$host_userns" = yes ] && reg_check "$rt: unshare -U works" has "$rt-unconf" unshare=0
  reg_check "$rt: mount still refused (no CAP_SYS_ADMIN)" has "$rt-unconf" "mount=[1-9][0-9]*"
done

# ---- seccomp=FILE, no-new-privileges ----
cat >"$work/profile.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["unshare"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
EOF
# FILE relative to the working directory (mcimg changes it while mounting).
reg_ok "bundle --security-opt seccomp=FILE no-new-privileges" env -C "$work" \
  "$mcimg" --root "$store" bundle --security-opt seccomp=profile.json \
  --security-opt no-new-privileges "$img" "$work/file" -- /bin/sh -c "$probe"
reg_check "the file's profile, noNewPrivileges" jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ALLOW" and .linux.seccomp.syscalls[0].errnoRet == 13 and .process.noNewPrivileges == true' "$work/file/config.json"
reg_ok "minirun runs it" run minirun file m-file
reg_check "NoNewPrivs: 1, Seccomp: 2" sh -c "grep -qx 'NoNewPrivs:	1' '$work/m-file.out' && grep -qx 'Seccomp:	2' '$work/m-file.out'"
reg_check "unshare fails with the file's EACCES" sh -c "grep -q 'Permission denied' '$work/m-file.out' && grep -qx unshare=1 '$work/m-file.out'"

# ---- bad options: one line, non-zero, nothing left ----
nothing_left() { [ ! -e "$work/bad" ] && ! grep -q " $work/bad" /proc/self/mountinfo && [ "$(M bundles | grep -c "^$work/bad	")" = 0 ]; }
bad() {
  name=$1 pattern=$2; shift 2
  reg_fails "$name" "$pattern" M bundle "$@" "$img" "$work/bad"
  reg_check "$name: one line, nothing left" sh -c "[ \$(wc -l <'$work/err') = 1 ]" && nothing_left
  [ -e "$work/bad" ] && { umount "$work/bad/rootfs" 2>/dev/null; rm -rf "$work/bad"; }
}
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALOW"}]}' >"$work/typo.json"
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": "read", "action": "SCMP_ACT_ALLOW"}]}' >"$work/type.json"
printf '{"defaultAction": ' >"$work/cut.json"
bad "unknown --security-opt" "unknown --security-opt \`selinux=on\`" --security-opt selinux=on
bad "no-new-privileges=maybe" "expected no-new-privileges, =true or =false" --security-opt no-new-privileges=maybe
bad "label=nested" "label=nested\`: not supported" --security-opt label=nested
bad "partial label" "give all of user:, role:, type: and level:" --security-opt label=type:svirt_lxc_net_t
bad "seccomp=FILE missing" "open \`$work/none.json\`" --security-opt "seccomp=$work/none.json"
bad "seccomp=FILE unknown action" "$work/typo.json: .syscalls[0].action: unknown action \`SCMP_ACT_ALOW\`" --security-opt "seccomp=$work/typo.json"
bad "seccomp=FILE wrong type" "$work/type.json: .syscalls[0].names: expected an array" --security-opt "seccomp=$work/type.json"
bad "seccomp=FILE cut short" "$work/cut.json: " --security-opt "seccomp=$work/cut.json"
sed 's/^/# /' "$work/err"
reg_done
