#!/bin/sh
# The systemd cgroup driver on a hybrid host: vm-systemd.sh with systemd in
# its hybrid cgroup mode (v1 controllers, cgroup2 at /sys/fs/cgroup/unified)
# and systemd-hybrid-guest.sh.
vm_cgroup=hybrid
guest=systemd-hybrid-guest.sh
. "$abs_top_srcdir/tests/integration/vm-systemd.sh"
