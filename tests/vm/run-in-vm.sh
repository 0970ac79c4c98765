#!/usr/bin/env bash
# Run a command in a throw-away QEMU VM whose kernel has a pure cgroup-v2
# hierarchy, and exit with the command's exit status.
#
# Usage: run-in-vm.sh [OPTIONS] [--] CMD...
#   One CMD argument is a shell command string; several are an argv, run as
#   given.  Either way it runs with `sh -c` as root in the VM, in the caller's
#   current directory, stdin from /dev/null.  The VM sees the host's / through
#   an overlay: every host file is readable, and writes land in guest RAM and
#   vanish with the VM; /scratch is an extra, plain tmpfs.
#
# Options:
#   -t, --timeout SECS   give up after SECS (default 300), boot included
#                        (VMs run one at a time; waiting for another's
#                        turn does not count)
#   -e, --env NAME[=VAL] export NAME to the command (VAL, or the value here)
#   -m, --mem MIB        guest memory (default 2048)
#       --cpus N         guest CPUs (default 2)
#       --cgroup MODE    v2 (the default: pure cgroup v2, cgroup_no_v1=all)
#                        or hybrid (v1 controllers, cgroup2 at
#                        /sys/fs/cgroup/unified, as on many older hosts;
#                        with systemd as PID 1 it is systemd's hybrid mode)
#   -v, --verbose        show the VM console on stderr and timings
#   -h, --help           this text
#
# Output: the command's stdout and stderr, combined, streamed to stdout.
# Exit status: the command's, or 125 when the VM could not run it (setup,
# boot failure, crash or timeout) with the reason on stderr.
#
# Environment: MINIRUN_VM_ACCEL (tcg, the default; nested KVM hangs on our
# machines), MINIRUN_VM_KEEP=1 keeps the temp dir, and setup.sh's variables.
# Writes only to its temp dir (under $TMPDIR) and setup.sh's cache dir.
set -euo pipefail

readonly PROG=run-in-vm
readonly EXIT_VM_FAILURE=125
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly HERE

timeout=300
mem=2048
cpus=2
cgroup=v2
verbose=0
envs=()
cmd=()

# State for cleanup(), which the EXIT trap runs however we leave.
tmp=
qemu_pid=
streamer_pids=()

usage() { sed -n '/^# Usage:/,/^# Writes only/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# Harness-level failure: one clear line on stderr, status 125.
fail() {
  printf '%s: %s\n' "$PROG" "$*" >&2
  exit "$EXIT_VM_FAILURE"
}

note() { [[ $verbose == 0 ]] || printf '%s: %s\n' "$PROG" "$*" >&2; }

# Quotes a string for a POSIX shell (the guest's /bin/sh is dash, so bash's
# printf %q, which may produce $'...', will not do).
shquote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# QEMU option values use ',' as separator; a literal comma is written ',,'.
qemu_escape() { printf '%s' "${1//,/,,}"; }

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

parse_args() {
  while [[ $# -gt 0 ]]; do
    case $1 in
      -t|--timeout) [[ $# -ge 2 ]] || fail "$1 needs a value"; timeout=$2; shift ;;
      --timeout=*)  timeout=${1#*=} ;;
      -e|--env)     [[ $# -ge 2 ]] || fail "$1 needs a value"; envs+=("$2"); shift ;;
      --env=*)      envs+=("${1#*=}") ;;
      -m|--mem)     [[ $# -ge 2 ]] || fail "$1 needs a value"; mem=$2; shift ;;
      --mem=*)      mem=${1#*=} ;;
      --cpus)       [[ $# -ge 2 ]] || fail "$1 needs a value"; cpus=$2; shift ;;
      --cpus=*)     cpus=${1#*=} ;;
      --cgroup)     [[ $# -ge 2 ]] || fail "$1 needs a value"; cgroup=$2; shift ;;
      --cgroup=*)   cgroup=${1#*=} ;;
      -v|--verbose) verbose=1 ;;
      -h|--help)    usage; exit 0 ;;
      --)           shift; break ;;
      -*)           fail "unknown option: $1 (see --help)" ;;
      *)            break ;;
    esac
    shift
  done
  [[ $# -gt 0 ]] || fail "no command given (see --help)"
  cmd=("$@")
  if ! is_uint "$timeout" || [[ $timeout == 0 ]]; then fail "bad --timeout: $timeout"; fi
  is_uint "$mem" || fail "bad --mem: $mem"
  is_uint "$cpus" || fail "bad --cpus: $cpus"
  [[ $cgroup == v2 || $cgroup == hybrid ]] || fail "bad --cgroup: $cgroup (v2 or hybrid)"
}

# Writes job.sh, which guest-init.sh sources: the directory, the command
# string and the exported variables.
write_job() {
  local job=$1 cmdline e name value arg
  if [[ ${#cmd[@]} == 1 ]]; then
    cmdline=${cmd[0]}
  else
    cmdline=
    for arg in "${cmd[@]}"; do cmdline+="${cmdline:+ }$(shquote "$arg")"; done
  fi
  {
    printf 'job_cwd=%s\n' "$(shquote "$PWD")"
    printf 'job_cmd=%s\n' "$(shquote "$cmdline")"
    printf 'job_cgroup=%s\n' "$cgroup"
    for e in "${envs[@]}"; do
      name=${e%%=*}
      [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || fail "bad --env name: $name"
      if [[ $e == *=* ]]; then
        value=${e#*=}
      elif [[ -v $name ]]; then
        value=${!name}
      else
        continue   # like `env`: an unset variable is not passed
      fi
      printf 'export %s=%s\n' "$name" "$(shquote "$value")"
    done
  } > "$job"
}

# Asks the qemu we started to quit, forces it after 5 s.  Only ever by its PID.
stop_qemu() {
  local i
  [[ -n $qemu_pid ]] && kill -0 "$qemu_pid" 2>/dev/null || return 0
  kill -TERM "$qemu_pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$qemu_pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$qemu_pid" 2>/dev/null || true
}

# Stops whatever we started, only by the PIDs we recorded.
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
  local status=$? pid
  trap - EXIT INT TERM HUP
  stop_qemu
  [[ -z $qemu_pid ]] || wait "$qemu_pid" 2>/dev/null || true
  for pid in "${streamer_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n $tmp ]]; then
    if [[ ${MINIRUN_VM_KEEP:-0} == 1 ]]; then
      printf '%s: kept %s\n' "$PROG" "$tmp" >&2
    else
      rm -rf -- "$tmp"
    fi
  fi
  exit "$status"
}

# shellcheck disable=SC2317  # called from the signal traps
on_signal() {
  printf '%s: interrupted (%s), stopping the VM\n' "$PROG" "$1" >&2
  exit "$2"
}

# Prints the reason a VM failed, then what qemu said (unless we stopped it
# ourselves) and the end of the console log, for debugging.
report_vm_failure() {
  local reason=$1 show_qemu_log=${2:-1}
  printf '%s: VM failed: %s\n' "$PROG" "$reason" >&2
  if [[ $show_qemu_log == 1 && -s $tmp/qemu.log ]]; then
    printf '%s: --- qemu messages ---\n' "$PROG" >&2
    tail -n 20 "$tmp/qemu.log" >&2
  fi
  if [[ -s $tmp/console.log ]]; then
    printf '%s: --- last 40 lines of the VM console ---\n' "$PROG" >&2
    tail -n 40 "$tmp/console.log" | tr -d '\r' >&2
  fi
  exit "$EXIT_VM_FAILURE"
}

start_qemu() {
  local kernel=$1 initrd=$2 accel cpu cgroup_args=cgroup_no_v1=all
  [[ $cgroup == v2 ]] || cgroup_args=systemd.unified_cgroup_hierarchy=0
  accel=${MINIRUN_VM_ACCEL:-tcg}
  case $accel in
    tcg) cpu=max ;;
    kvm) cpu=host ;;
    *) fail "MINIRUN_VM_ACCEL must be tcg or kvm, not $accel" ;;
  esac
  # - no NIC, no display, no monitor (-nodefaults): the only ways in and out
  #   are the two 9p shares and the serial console, which goes to a file;
  # - the host's / is exported read-only (readonly=on) and mounted read-only;
  #   multidevs=remap keeps inode numbers unique across host mounts;
  # - quiet kernel; cgroup_no_v1=all makes the hierarchy pure cgroup v2
  #   (hybrid: the guest mounts both kinds, or systemd does, told by
  #   systemd.unified_cgroup_hierarchy=0);
  #   panic=-1 + -no-reboot turn a guest crash into a prompt qemu exit;
  #   mitigations=off: nothing to protect in here and TCG is slow enough.
  qemu-system-x86_64 \
    -accel "$accel" -cpu "$cpu" -m "$mem" -smp "$cpus" \
    -nodefaults -display none -no-reboot -no-user-config \
    -chardev "file,id=console,path=$(qemu_escape "$tmp/console.log")" \
    -serial chardev:console \
    -kernel "$kernel" -initrd "$initrd" \
    -append "console=ttyS0 quiet loglevel=3 panic=-1 $cgroup_args mitigations=off" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$(qemu_escape "$tmp/xfer"),mount_tag=xfer,security_model=none,multidevs=remap" \
    < /dev/null > "$tmp/qemu.log" 2>&1 &
  qemu_pid=$!
}

# Copies FILE to stdout (or stderr) as it grows until qemu is gone.  GNU tail
# does one last read after the PID dies, so no output is lost.
stream() {
  local file=$1 fd=$2
  tail -c +1 -s 0.2 --pid="$qemu_pid" -f -- "$file" >&"$fd" &
  streamer_pids+=($!)
}

main() {
  local setup_out kernel='' initrd='' line deadline timed_out=0 qemu_status=0
  local started status setup_args run_lock_fd
  parse_args "$@"
  started=$SECONDS

  trap cleanup EXIT
  trap 'on_signal SIGINT 130' INT
  trap 'on_signal SIGTERM 143' TERM
  trap 'on_signal SIGHUP 129' HUP

  setup_args=(--print)
  [[ $verbose == 1 ]] || setup_args+=(--quiet)
  setup_out=$("$HERE/setup.sh" "${setup_args[@]}") ||
    fail "VM setup failed (see setup.sh messages above)"
  while IFS= read -r line; do
    case $line in
      KERNEL=*) kernel=${line#KERNEL=} ;;
      INITRD=*) initrd=${line#INITRD=} ;;
    esac
  done <<< "$setup_out"
  [[ -n $kernel && -n $initrd ]] || fail "setup.sh did not report a kernel and initramfs"

  # One VM at a time: TCG guests share the host's cores, and on a 2-core
  # machine two of them at once each run slower than their timeouts allow.
  # The lock is the cache dir's; the timeout counts from when we hold it.
  exec {run_lock_fd}>"${initrd%/*}/run.lock"
  note "waiting for the VM lock"
  flock "$run_lock_fd"
  started=$SECONDS

  tmp=$(mktemp -d "${TMPDIR:-/tmp}/minirun-vm.XXXXXX")
  mkdir "$tmp/xfer"
  cp "$HERE/guest-init.sh" "$tmp/xfer/guest-init.sh"
  write_job "$tmp/xfer/job.sh"
  : > "$tmp/xfer/output"
  : > "$tmp/console.log"

  note "booting ${kernel##*/} ($mem MiB, $cpus CPUs, timeout ${timeout}s)"
  start_qemu "$kernel" "$initrd"
  stream "$tmp/xfer/output" 1
  [[ $verbose == 0 ]] || stream "$tmp/console.log" 2

  # Poll rather than `wait`, which cannot time out.  bash reaps qemu as soon
  # as it exits, so kill -0 fails then.
  deadline=$((SECONDS + timeout))
  while kill -0 "$qemu_pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      timed_out=1
      stop_qemu
      break
    fi
    sleep 0.2
  done
  wait "$qemu_pid" || qemu_status=$?
  qemu_pid=
  # The streamers end by themselves once qemu is gone, after a last read.
  for line in "${streamer_pids[@]}"; do wait "$line" || true; done
  streamer_pids=()
  note "VM finished after $((SECONDS - started))s"

  status=$(cat "$tmp/xfer/status" 2>/dev/null || true)
  if is_uint "$status"; then
    exit "$status"
  elif [[ -s $tmp/xfer/guest-error ]]; then
    report_vm_failure "guest setup: $(head -n 1 "$tmp/xfer/guest-error")"
  elif [[ $timed_out == 1 ]]; then
    report_vm_failure "timed out after ${timeout}s (command not finished)" 0
  else
    report_vm_failure "qemu exited (status $qemu_status) before the command finished"
  fi
}

main "$@"
