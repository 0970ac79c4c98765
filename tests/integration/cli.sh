#!/bin/sh
# minirun spec, --version, --help.
. "$abs_top_srcdir/tests/integration/lib.sh"

plan 29

dir=$TEST_TMP/spec
mkdir -p "$dir"
(cd "$dir" && "$MINIRUN" spec) 2>"$TEST_TMP/err"
is "spec exits 0" "$?" 0
check "spec writes config.json" test -s "$dir/config.json"
c=$dir/config.json
check "config.json is valid JSON" jq -e . "$c"
is "terminal is true" "$(jq -c .process.terminal "$c")" true
is "args are [sh]" "$(jq -c .process.args "$c")" '["sh"]'
is "env has PATH and TERM" "$(jq -c .process.env "$c")" \
  '["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","TERM=xterm"]'
is "cwd is /" "$(jq -r .process.cwd "$c")" /
is "root is rootfs, read-only" "$(jq -c .root "$c")" '{"path":"rootfs","readonly":true}'
is "mount destinations" "$(jq -c '[.mounts[].destination]' "$c")" \
  '["/proc","/dev","/dev/pts","/dev/shm","/dev/mqueue","/sys","/sys/fs/cgroup"]'
is "mount types" "$(jq -c '[.mounts[].type]' "$c")" \
  '["proc","tmpfs","devpts","tmpfs","mqueue","sysfs","cgroup"]'
is "/dev options" "$(jq -c '.mounts[1].options' "$c")" \
  '["nosuid","strictatime","mode=755","size=65536k"]'
is "/sys/fs/cgroup is read-only" "$(jq -c '.mounts[6].options | index("ro") != null' "$c")" true
is "namespaces" "$(jq -c '[.linux.namespaces[].type]' "$c")" \
  '["pid","network","ipc","uts","mount","cgroup"]'
is "capabilities" "$(jq -c .process.capabilities.bounding "$c")" \
  '["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]'
is "RLIMIT_NOFILE 1024" "$(jq -c '.process.rlimits[0] | [.type, .soft, .hard]' "$c")" \
  '["RLIMIT_NOFILE",1024,1024]'
is "noNewPrivileges" "$(jq -c .process.noNewPrivileges "$c")" true
check "maskedPaths has /proc/kcore" \
  jq -e '.linux.maskedPaths | index("/proc/kcore") != null' "$c"
check "readonlyPaths has /proc/sys" \
  jq -e '.linux.readonlyPaths | index("/proc/sys") != null' "$c"

cp "$c" "$TEST_TMP/before"
err=$(cd "$dir" && "$MINIRUN" spec 2>&1)
rc=$?
check "spec refuses to overwrite (exit != 0)" test "$rc" -ne 0
is "spec names the existing file" "$err" \
  "minirun: spec: File config.json exists. Remove it first"
check "existing config.json untouched" cmp -s "$c" "$TEST_TMP/before"

mkdir -p "$TEST_TMP/b2"
"$MINIRUN" spec --bundle "$TEST_TMP/b2"
rc1=$?
"$MINIRUN" spec -b "$TEST_TMP/b2" 2>/dev/null
rc2=$?
check "spec --bundle DIR writes DIR/config.json" \
  test "$rc1" -eq 0 -a -s "$TEST_TMP/b2/config.json"
check "spec -b DIR refuses to overwrite" test "$rc2" -ne 0

v=$("$MINIRUN" --version)
version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"/\1/p' "$abs_top_builddir/config.h")
is "--version first line" "$(printf '%s\n' "$v" | sed -n 1p)" "minirun version $version"
check "--version shows commit and spec" \
  sh -c "printf '%s\n' \"\$1\" | grep -q '^commit: ' && printf '%s\n' \"\$1\" | grep -q '^spec: 1\.'" _ "$v"

h1=$("$MINIRUN" help run) && h2=$("$MINIRUN" run --help) && h3=$("$MINIRUN" --help)
check "help for minirun and run" \
  sh -c "[ -n \"\$1\" ] && [ \"\$1\" = \"\$2\" ] && printf '%s' \"\$1\" | grep -q -- --pid-file && printf '%s' \"\$3\" | grep -q '^  run'" _ "$h1" "$h2" "$h3"

err=$("$MINIRUN" frobnicate 2>&1)
rc=$?
check "unknown command fails with one line" \
  sh -c "[ $rc -ne 0 ] && [ \$(printf '%s\n' \"\$1\" | wc -l) -eq 1 ]" _ "$err"
err=$("$MINIRUN" --root "$TEST_TMP/state" run 2>&1)
rc=$?
is "run without an ID: one line, exit 1" "$rc:$err" \
  "1:minirun: run: missing container ID; try \`minirun run --help\`"
err=$("$MINIRUN" --root "$TEST_TMP/state" run -b 2>&1)
rc=$?
is "an option without its argument: one line, exit 1" "$rc:$err" \
  "1:minirun: run: option \`-b\` needs an argument"
finish
