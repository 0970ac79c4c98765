#!/bin/sh
# The process object of config.json, seen from inside the container
# (config.md "Process", "Hostname"); mirrors the validation programs
# process, process_user, process_rlimits, process_capabilities,
# process_capabilities_fail, process_oom_score_adj and hostname.
. "$(dirname "$0")/../lib.sh"
plan 18

b=$CT_TMP/bundle
make_bundle "$b"

inside "args reach the process" "$b" 'echo "$0" "$@"' "sh"
edit_config "$b" '.process.cwd = "/tmp"'
inside "process.cwd is the working directory" "$b" 'pwd' /tmp
reset_config "$b"
edit_config "$b" '.process.env += ["CONF_A=one two", "CONF_B="]'
inside "process.env is the environment" "$b" 'echo "$CONF_A|${CONF_B-unset}"' "one two|"
inside "only process.env is the environment" "$b" \
  'env | grep -v "^CONF_\|^PATH=\|^TERM=\|^HOME=\|^PWD=\|^SHLVL=" | wc -l' 0
reset_config "$b"
edit_config "$b" '.process.user = { uid: 1000, gid: 1001, additionalGids: [5, 6] }'
inside "process.user uid, gid, additionalGids" "$b" 'echo $(id -u) $(id -g) $(id -G)' \
  "1000 1001 1001 5 6"
reset_config "$b"
edit_config "$b" '.process.user.umask = 23'
inside "process.user.umask" "$b" 'umask' 0027
reset_config "$b"
edit_config "$b" '.process.rlimits = [{ type: "RLIMIT_NOFILE", soft: 512, hard: 768 },
                                      { type: "RLIMIT_CORE", soft: 0, hard: 0 }]'
inside "process.rlimits RLIMIT_NOFILE soft" "$b" 'ulimit -n' 512
inside "process.rlimits RLIMIT_NOFILE hard" "$b" 'ulimit -Hn' 768
inside "process.rlimits RLIMIT_CORE" "$b" 'ulimit -c' 0
reset_config "$b"
inside "process.noNewPrivileges" "$b" \
  'sed -n "s/^NoNewPrivs:[[:space:]]*//p" /proc/self/status' 1
# The default capabilities: CAP_AUDIT_WRITE (29), CAP_KILL (5),
# CAP_NET_BIND_SERVICE (10).
edit_config "$b" '.process.capabilities = { bounding: $c, effective: $c, permitted: $c }' \
  --argjson c '["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]'
inside "process.capabilities bounding, effective, permitted" "$b" \
  'grep "^Cap\(Bnd\|Eff\|Prm\)" /proc/self/status | tr -d "\t"' \
  "CapPrm:0000000020000420
CapEff:0000000020000420
CapBnd:0000000020000420"
edit_config "$b" '.process.user = { uid: 1000, gid: 1000 }
  | .process.capabilities = { bounding: $c, effective: $c, permitted: $c,
                              inheritable: $c, ambient: $c }' --argjson c '["CAP_KILL"]'
inside "process.capabilities inheritable and ambient (non-root user)" "$b" \
  'grep "^Cap\(Inh\|Amb\|Eff\)" /proc/self/status | tr -d "\t"' \
  "CapInh:0000000000000020
CapEff:0000000000000020
CapAmb:0000000000000020"
reset_config "$b"
edit_config "$b" '.process.capabilities.bounding += ["CAP_NO_SUCH_CAPABILITY"]'
id=$(new_id)
set_args "$b" true
run_ct "$id" "$b"
truth "an unknown capability fails the container" test "$RC" -ne 0
reset_config "$b"
edit_config "$b" '.process.oomScoreAdj = 100'
inside "process.oomScoreAdj" "$b" 'cat /proc/self/oom_score_adj' 100
reset_config "$b"
edit_config "$b" '.hostname = "conformance-host"'
inside "hostname" "$b" 'hostname' conformance-host
edit_config "$b" '.domainname = "conformance.example"'
inside "domainname" "$b" 'cat /proc/sys/kernel/domainname' conformance.example
reset_config "$b"
edit_config "$b" '.root.readonly = true'
inside "root.readonly: the root is read-only" "$b" 'touch /x 2>/dev/null || echo ro' ro
edit_config "$b" '.root.readonly = false'
inside "root.readonly false: the root is writable" "$b" 'touch /x && echo rw' rw

finish
