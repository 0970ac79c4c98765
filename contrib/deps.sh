#!/bin/sh
# Install what minirun and mcimg need on Debian 12, by package name.
#   contrib/deps.sh [build|demo|test|conformance]   (default: test, which includes build)
# demo: build + what contrib/demo.sh needs for its loopback registry.
# conformance: build + what tests/conformance/run.sh needs (runc to compare
# with; Go and the runtime-tools libraries to build the OCI validation
# programs from a runtime-tools source tree: see docs/conformance.md).
# Idempotent and quick when everything is present: apt is only consulted for
# packages that are missing.
set -eu

build_pkgs="gcc make autoconf automake pkg-config
  libyajl-dev libseccomp-dev libcap-dev libcurl4-openssl-dev libarchive-dev libssl-dev
  libsystemd-dev busybox-static jq"
# libc6-dev: its libc.a links tests/integration/chroot-escape-probe statically.
test_pkgs="libc6-dev libcmocka-dev jq clang libclang-rt-14-dev iproute2 cpio xz-utils kmod time
  docker-registry skopeo apache2-utils python3-jwt python3-cryptography openssl"
demo_pkgs="docker-registry skopeo jq"
conformance_pkgs="runc jq busybox-static coreutils util-linux golang-go
  golang-github-opencontainers-runtime-tools-dev"
# Booting the throw-away cgroup-v2 VM: installed without recommends.
vm_pkgs="qemu-system-x86 linux-image-amd64"

case "${1:-test}" in
  build) want="$build_pkgs" vm="" ;;
  demo) want="$build_pkgs $demo_pkgs" vm="" ;;
  test) want="$build_pkgs $test_pkgs" vm="$vm_pkgs" ;;
  conformance) want="$build_pkgs $conformance_pkgs" vm="" ;;
  *) echo "usage: $0 [build|demo|test|conformance]" >&2; exit 2 ;;
esac

missing() {
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
  done
}

# shellcheck disable=SC2086
need=$(missing $want)
# shellcheck disable=SC2086
need_vm=$(missing $vm)
# The docker-registry package starts its own service on :5000; the tests
# start /usr/bin/docker-registry themselves on free loopback ports.
stop_registry_service() {
  [ "$(id -u)" -eq 0 ] || return 0
  if [ -d /run/systemd/system ]; then
    systemctl disable --now docker-registry.service >/dev/null 2>&1 || true
  elif [ -x /etc/init.d/docker-registry ]; then
    invoke-rc.d docker-registry stop >/dev/null 2>&1 || true
    update-rc.d docker-registry disable >/dev/null 2>&1 || true
  fi
}

if [ -z "$need$need_vm" ]; then
  echo "==> dependencies: all installed"
  stop_registry_service
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing packages:" $need $need_vm "- run as root to install them" >&2
  exit 1
fi
echo "==> dependencies: installing" $need $need_vm
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
[ -z "$need" ] || apt-get install -y -qq $need >/dev/null
# shellcheck disable=SC2086
[ -z "$need_vm" ] || apt-get install -y -qq --no-install-recommends $need_vm >/dev/null
stop_registry_service
echo "==> dependencies: done"
