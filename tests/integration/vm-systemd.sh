#!/bin/sh
# The systemd cgroup driver against a real systemd: boots the VM with the
# host's systemd as PID 1 (run-in-vm.sh -e MINIRUN_VM_SYSTEMD=1), with the
# cgroup hierarchy $vm_cgroup (v2 unless a wrapper such as
# vm-systemd-hybrid.sh says otherwise), and runs $guest there
# (systemd-guest.sh by default); its TAP output is relayed as it comes.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root
[ -x /lib/systemd/systemd ] \
  || { echo "1..0 # SKIP systemd is not installed"; exit 0; }
"$MINIRUN" features | jq -e '.linux.cgroup.systemd' > /dev/null \
  || { echo "1..0 # SKIP minirun is built without the systemd driver"; exit 0; }

bundle=$TEST_TMP/bundle
make_bundle "$bundle"
relay_vm 600 --cgroup "${vm_cgroup:-v2}" -e MINIRUN_VM_SYSTEMD=1 \
  -e abs_top_srcdir -e abs_top_builddir -e MINIRUN -e BUNDLE="$bundle" \
  -- sh "$abs_top_srcdir/tests/integration/${guest:-systemd-guest.sh}"
