#!/bin/sh
# linux.seccomp: actions, errnoRet, argument comparisons, unknown names,
# bad profiles, and SCMP_ACT_NOTIFY with a listener agent.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root

plan 32

b=$TEST_TMP/bundle
make_bundle "$b"
# A fresh writable /tmp for every run (the rootfs is read-only).
edit_config "$b" '.mounts += [{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev"]}]'
cp "$b/config.json" "$b/config.json.orig"
AGENT=$abs_top_builddir/tests/integration/seccomp-agent

# profile ACTION [RULE-JQ]: allow everything but mkdir/mkdirat, which get
# ACTION (RULE-JQ edits that rule further).
profile ()
{
  reset_config "$b"
  edit_config "$b" '.linux.seccomp = {
      defaultAction: "SCMP_ACT_ALLOW",
      architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
      syscalls: [{names: ["mkdir", "mkdirat"], action: $a}]}
    | .linux.seccomp.syscalls[0] |= ('"${2:-.}"')' --arg a "$1"
}
mkdir_args () { set_args "$b" sh -c 'mkdir /tmp/d 2>&1; echo "status $?"; test -d /tmp/d && echo made; true'; }

profile SCMP_ACT_ERRNO '.errnoRet = 38'
mkdir_args
run_ct c1 -b "$b"
check "ERRNO with errnoRet 38: ENOSYS" sh -c "printf '%s' \"\$1\" | grep -q 'Function not implemented'" _ "$OUT"
is "... and nothing was made" "$(printf '%s\n' "$OUT" | grep -c made)" 0

profile SCMP_ACT_ERRNO
mkdir_args
run_ct c1 -b "$b"
check "ERRNO without errnoRet: EPERM" sh -c "printf '%s' \"\$1\" | grep -q 'Operation not permitted'" _ "$OUT"

for a in SCMP_ACT_KILL SCMP_ACT_KILL_THREAD SCMP_ACT_KILL_PROCESS SCMP_ACT_TRAP; do
  profile $a
  set_args "$b" mkdir /tmp/d
  run_ct c1 -b "$b"
  is "$a: the process dies of SIGSYS (159)" "$RC" 159
done

for a in SCMP_ACT_LOG SCMP_ACT_ALLOW; do
  profile $a
  mkdir_args
  run_ct c1 -b "$b"
  is "$a: mkdir works" "$(printf '%s\n' "$OUT" | tail -n 1)" made
done

profile SCMP_ACT_ERRNO '.names += ["no_such_syscall_at_all"] | .errnoRet = 38'
mkdir_args
run_ct c1 -b "$b"
is "an unknown syscall name is skipped: run works" "$RC" 0
check "... and the known ones are still filtered" sh -c "printf '%s' \"\$1\" | grep -q 'Function not implemented'" _ "$OUT"
is "... silently" "$ERR" ""

# Arguments: kill(pid, sig) with the signals 0, 23 (SIGURG) and 28
# (SIGWINCH), which change nothing for the shell that sends them to itself.
rule_for_sig ()
{
  reset_config "$b"
  edit_config "$b" '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
    syscalls: [{names: ["kill"], action: "SCMP_ACT_ERRNO", errnoRet: 38, args: $c}]}' \
    --argjson c "$1"
  set_args "$b" sh -c 'for s in 0 23 28; do kill -$s $$ 2>/dev/null && printf "ok " || printf "denied "; done'
  run_ct c1 -b "$b"
  printf '%s' "$OUT"
}
is "SCMP_CMP_EQ 23" "$(rule_for_sig '[{"index": 1, "op": "SCMP_CMP_EQ", "value": 23}]')" "ok denied ok "
is "SCMP_CMP_NE 23" "$(rule_for_sig '[{"index": 1, "op": "SCMP_CMP_NE", "value": 23}]')" "denied ok denied "
is "SCMP_CMP_GT 23" "$(rule_for_sig '[{"index": 1, "op": "SCMP_CMP_GT", "value": 23}]')" "ok ok denied "
is "SCMP_CMP_GE 23" "$(rule_for_sig '[{"index": 1, "op": "SCMP_CMP_GE", "value": 23}]')" "ok denied denied "
is "SCMP_CMP_LT 23" "$(rule_for_sig '[{"index": 1, "op": "SCMP_CMP_LT", "value": 23}]')" "denied ok ok "
is "SCMP_CMP_LE 23" "$(rule_for_sig '[{"index": 1, "op": "SCMP_CMP_LE", "value": 23}]')" "denied denied ok "
# value is the mask, valueTwo the datum: 23 & 28 == 20, 28 & 28 == 28.
is "SCMP_CMP_MASKED_EQ (mask 28, datum 20)" \
  "$(rule_for_sig '[{"index": 1, "op": "SCMP_CMP_MASKED_EQ", "value": 28, "valueTwo": 20}]')" "ok denied ok "
# Two comparisons of the same argument are alternatives (one rule each).
is "same-argument comparisons: either matches" \
  "$(rule_for_sig '[{"index": 1, "op": "SCMP_CMP_EQ", "value": 0}, {"index": 1, "op": "SCMP_CMP_EQ", "value": 28}]')" \
  "denied ok denied "
# Different arguments are ANDed: pid 1 (the shell) and signal 23.
is "comparisons of different arguments: both must match" \
  "$(rule_for_sig '[{"index": 0, "op": "SCMP_CMP_EQ", "value": 1}, {"index": 1, "op": "SCMP_CMP_EQ", "value": 23}]')" \
  "ok denied ok "

profile SCMP_ACT_ERRNO '.errnoRet = 38'
edit_config "$b" '.process.noNewPrivileges = false'
mkdir_args
run_ct c1 -b "$b"
check "without noNewPrivileges the filter is still loaded" sh -c "printf '%s' \"\$1\" | grep -q 'Function not implemented'" _ "$OUT"

profile SCMP_ACT_ERRNO
edit_config "$b" '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"]'
mkdir_args
run_ct c1 -b "$b"
is "known flags are accepted" "$RC" 0

# A default-deny profile: what busybox sh and mkdir need is allowed, the
# rest (mkdir included) fails with defaultErrnoRet.
allowed='["access","arch_prctl","brk","chdir","close","dup","dup2","dup3",
  "execve","exit","exit_group","fcntl","fstat","newfstatat","futex",
  "getcwd","getdents64","getegid","geteuid","getgid","getpgid","getpgrp",
  "getpid","getppid","getrandom","gettid","getuid","ioctl","lseek","lstat",
  "mmap","mprotect","munmap","open","openat","pipe","pipe2","poll",
  "prlimit64","read","readlink","readlinkat","rseq","rt_sigaction",
  "rt_sigprocmask","rt_sigreturn","set_robust_list","set_tid_address",
  "setpgid","stat","statx","sysinfo","uname","wait4","write","writev",
  "clone","clone3","fork","vfork","umask"]'
reset_config "$b"
edit_config "$b" '.linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO",
  defaultErrnoRet: 38, syscalls: [{names: $n, action: "SCMP_ACT_ALLOW"}]}' \
  --argjson n "$allowed"
mkdir_args
run_ct c1 -b "$b"
check "default-deny with defaultErrnoRet 38: mkdir gets ENOSYS" \
  sh -c "printf '%s' \"\$1\" | grep -q 'Function not implemented'" _ "$OUT"
is "... while the allowed syscalls work" "$(printf '%s\n' "$OUT" | grep -c '^status ')" 1

bad_profile ()
{
  profile SCMP_ACT_ERRNO
  edit_config "$b" "$1"
  mkdir_args
  run_ct c1 -b "$b"
  if [ "$RC" = 1 ] && printf '%s' "$ERR" | grep -q "$2"; then
    ok "$3"
  else
    not_ok "$3" "status $RC" "$ERR"
  fi
}
bad_profile '.linux.seccomp.syscalls[0].action = "SCMP_ACT_BOGUS"' \
  "unknown seccomp action .SCMP_ACT_BOGUS." "an unknown action fails the run"
bad_profile '.linux.seccomp.architectures += ["SCMP_ARCH_Z80"]' \
  "unknown seccomp architecture .SCMP_ARCH_Z80." "an unknown architecture fails the run"
bad_profile '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_BOGUS"]' \
  "unknown seccomp flag" "an unknown flag fails the run"
bad_profile '.linux.seccomp.syscalls[0].args = [{index: 1, op: "SCMP_CMP_ABOUT", value: 1}]' \
  "unknown seccomp operator" "an unknown operator fails the run"

# SCMP_ACT_NOTIFY: the agent gets the state and the listener fd, and
# answers mkdir with EHOSTDOWN.
sock=$TEST_TMP/agent.sock
"$AGENT" "$sock" "$TEST_TMP/agent.state" ehostdown 2> "$TEST_TMP/agent.err" &
track_pid $!
i=0
while [ ! -S "$sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
profile SCMP_ACT_NOTIFY
edit_config "$b" '.linux.seccomp.listenerPath = $p | .linux.seccomp.listenerMetadata = "meta data"' --arg p "$sock"
mkdir_args
run_ct c1 -b "$b"
check "NOTIFY: the agent's answer is the syscall's result" \
  sh -c "printf '%s' \"\$1\" | grep -q 'Host is down'" _ "$OUT$ERR"
wait_for_file "$TEST_TMP/agent.state" 50
check "NOTIFY: the agent got the listener fd" grep -qx fd-received "$TEST_TMP/agent.state"
state=$(head -n 1 "$TEST_TMP/agent.state")
is "NOTIFY: the container process state (fds, metadata, state)" \
  "$(printf '%s' "$state" | jq -c '[.fds, .metadata, .state.status, .state.bundle, (.pid > 1), .ociVersion != null]')" \
  "$(jq -nc --arg b "$b" '[["seccompFd"], "meta data", "creating", $b, true, true]')"

finish
