#!/usr/bin/env bash
# Self-test of run-in-vm.sh; prints TAP.  Boots the VM five times (about
# 10 s each with TCG).  Needs root, like the harness.
#
# Usage: selftest.sh
#
# The single-quoted commands below are meant to expand in the guest:
# shellcheck disable=SC2016
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
readonly RUN=$HERE/run-in-vm.sh

n=0
failed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/minirun-vm-selftest.XXXXXX")
trap 'rm -rf -- "$work"' EXIT

# ok COND-STATUS DESCRIPTION [DIAGNOSTIC]
ok() {
  n=$((n + 1))
  if [[ $1 == 0 ]]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    failed=$((failed + 1))
    # Diagnostics as TAP comments.
    # shellcheck disable=SC2001
    [[ -z ${3:-} ]] || sed 's/^/#   /' <<< "$3"
  fi
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { local d=$1; shift; if "$@"; then ok 0 "$d"; else ok 1 "$d" "$out"; fi; }

# run_vm ARGS...: runs the harness; sets out (stdout+stderr), rc and secs.
run_vm() {
  local start=$SECONDS
  rc=0
  out=$("$RUN" "$@" 2>&1) || rc=$?
  secs=$((SECONDS - start))
}

echo "1..13"

# --- 1. the cgroup v2 environment and exit status ---------------------------
cd "$work"
echo from-host > file
run_vm -- 'echo "controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
  echo "subtree: $(cat /sys/fs/cgroup/cgroup.subtree_control)"
  echo "fstype: $(stat -fc %T /sys/fs/cgroup)"
  echo "v1 mounts: $(grep -c " cgroup " /proc/mounts)"
  echo "cwd: $(pwd)"
  echo "file: $(cat file)"
  echo from-guest > file; echo new > newfile
  exit 3'
echo "# boot+run+poweroff: ${secs}s"
has_line() { grep -qxF -- "$1" <<< "$out"; }
line_has_words() {   # line_has_words PREFIX WORD...: the PREFIX line lists all WORDs
  local line w
  line=" $(grep -m1 "^$1" <<< "$out" | cut -d: -f2-) "
  for w in "${@:2}"; do [[ $line == *" $w "* ]] || return 1; done
}
host_file_untouched() { [[ $(cat "$work/file") == from-host && ! -e $work/newfile ]]; }
check "exit status 3 propagates" [ "$rc" = 3 ]
check "cgroup.controllers lists memory and pids" line_has_words controllers: memory pids
check "the root delegates memory and pids (subtree_control)" line_has_words subtree: memory pids
check "/sys/fs/cgroup is cgroup2fs" has_line "fstype: cgroup2fs"
check "no cgroup v1 hierarchy is mounted" has_line "v1 mounts: 0"
check "runs in the caller's directory" has_line "cwd: $work"
check "sees the host's files" has_line "file: from-host"
check "guest writes do not reach the host" host_file_untouched

# --- 2. argv mode keeps arguments intact --------------------------------------
run_vm -- printf '<%s>\n' "a b" "it's" '$HOME'
check "argv mode passes arguments verbatim" [ "$out" = $'<a b>\n<it\'s>\n<$HOME>' ]

# --- 2b. the hybrid hierarchy ---------------------------------------------
run_vm --cgroup hybrid -- 'echo "unified: $(stat -fc %T /sys/fs/cgroup/unified)"
  echo "memory: $(stat -fc %T /sys/fs/cgroup/memory)"'
check "--cgroup hybrid: cgroup2 at unified, v1 memory controller" \
  eval 'has_line "unified: cgroup2fs" && has_line "memory: cgroupfs"'

# --- 3. timeout -------------------------------------------------------------
# With TMPDIR inside $work, qemu's command line names $work: that tells our
# qemu from any other on the machine.
mkdir "$work/tmp"
TMPDIR=$work/tmp run_vm --timeout 5 -- 'sleep 600'
timed_out() { [[ $rc == 125 && $out == *"timed out after 5s"* ]]; }
cleaned_up() { ! pgrep -f -- "$work/tmp" >/dev/null && [[ -z $(ls -A "$work/tmp") ]]; }
check "timeout gives status 125 and says why" timed_out
check "no qemu and no temp dir left behind" cleaned_up

# --- 4. a real container with a memory limit (runc) -------------------------
if ! command -v runc >/dev/null || ! command -v jq >/dev/null; then
  skip "runc container with a memory limit" "runc or jq not installed"
else
  bundle=$work/bundle
  mkdir -p "$bundle/rootfs/bin"
  cp /bin/busybox "$bundle/rootfs/bin/busybox"
  # Relative links: `busybox --install -s` would point them at the host path.
  for applet in $(/bin/busybox --list); do
    [[ $applet == busybox ]] || ln -s busybox "$bundle/rootfs/bin/$applet"
  done
  (cd "$bundle" && runc spec)
  # A cgroup namespace, so that the container's own cgroup is its
  # /sys/fs/cgroup (runc 1.1's default spec has none).
  jq '.process.terminal = false
      | .process.args = ["sh", "-c", "echo memory.max=$(cat /sys/fs/cgroup/memory.max)"]
      | .linux.namespaces += [{"type": "cgroup"}]
      | .linux.resources.memory.limit = 67108864' \
    "$bundle/config.json" > "$bundle/config.json.new"
  mv "$bundle/config.json.new" "$bundle/config.json"
  cd "$bundle"
  run_vm -- 'runc run -b . selftest'
  echo "# runc container: boot+run+poweroff: ${secs}s"
  check "runc container sees memory.max = 64 MiB" has_line "memory.max=67108864"
fi

cd /
echo "# $((n - failed)) passed, $failed failed"
[[ $failed == 0 ]]
