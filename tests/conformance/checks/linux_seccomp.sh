#!/bin/sh
# linux.seccomp (config-linux.md "Seccomp"); mirrors linux_seccomp.
. "$(dirname "$0")/../lib.sh"
plan 3

b=$CT_TMP/bundle
make_bundle "$b"
edit_config "$b" '.mounts += [{ destination: "/tmp", type: "tmpfs", source: "tmpfs" }]'
cp "$b/config.json" "$b/config.json.base"
edit_config "$b" '.linux.seccomp = { defaultAction: "SCMP_ACT_ALLOW",
    architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
    syscalls: [{ names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 1 }] }'
inside "a syscall the filter refuses fails with its errno" "$b" \
  'mkdir /tmp/d 2>&1 | grep -o "Operation not permitted"' "Operation not permitted"
inside "other syscalls work" "$b" 'touch /tmp/f && echo ok' ok
cp "$b/config.json.base" "$b/config.json"
edit_config "$b" '.linux.seccomp = { defaultAction: "SCMP_ACT_ALLOW",
    syscalls: [{ names: ["chmod"], action: "SCMP_ACT_ERRNO", errnoRet: 1,
                 args: [{ index: 1, value: 448, op: "SCMP_CMP_EQ" }] },
               { names: ["fchmodat"], action: "SCMP_ACT_ERRNO", errnoRet: 1,
                 args: [{ index: 2, value: 448, op: "SCMP_CMP_EQ" }] }] }'
inside "a rule with an argument condition: only matching calls fail" "$b" \
  'touch /tmp/f; chmod 755 /tmp/f && echo 755; chmod 700 /tmp/f 2>/dev/null || echo 700 refused' "755
700 refused"

finish
