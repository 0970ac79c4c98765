#!/bin/sh
# apparmorProfile, selinuxLabel, mountLabel: asked for on a host without
# the module, the run fails with a clear error instead of running the
# container unconfined.
. "$abs_top_srcdir/tests/integration/lib.sh"
require_root

apparmor=no
selinux=no
[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] && apparmor=yes
[ -e /sys/fs/selinux/enforce ] && selinux=yes

plan 7

b=$TEST_TMP/bundle
make_bundle "$b"
set_args "$b" true

# fails_with DESC JQ-EDIT PATTERN
fails_with ()
{
  reset_config "$b"
  edit_config "$b" "$2"
  run_ct c1 -b "$b"
  if [ "$RC" = 1 ] && printf '%s' "$ERR" | grep -q "$3"; then
    ok "$1"
  else
    not_ok "$1" "status $RC" "$ERR"
  fi
}

if [ $apparmor = no ]; then
  fails_with "apparmorProfile without AppArmor: error" \
    '.process.apparmorProfile = "docker-default"' \
    "process.apparmorProfile .docker-default.: AppArmor is not enabled on this host"
  check_no_leftovers "... and nothing left behind" c1 "$b"
else
  skip "AppArmor is enabled on this host"
  skip "AppArmor is enabled on this host"
fi
if [ $selinux = no ]; then
  fails_with "selinuxLabel without SELinux: error" \
    '.process.selinuxLabel = "system_u:system_r:container_t:s0"' \
    "process.selinuxLabel .system_u:system_r:container_t:s0.: SELinux is not enabled on this host"
  fails_with "mountLabel without SELinux: error" \
    '.linux.mountLabel = "system_u:object_r:container_file_t:s0"' \
    "linux.mountLabel .system_u:object_r:container_file_t:s0.: SELinux is not enabled on this host"
  check_no_leftovers "... and nothing left behind" c1 "$b"
else
  skip "SELinux is enabled on this host"
  skip "SELinux is enabled on this host"
  skip "SELinux is enabled on this host"
fi

reset_config "$b"
edit_config "$b" '.process.apparmorProfile = "" | .process.selinuxLabel = ""'
run_ct c1 -b "$b"
is "empty labels mean none: the run works" "$RC" 0
is "... quietly" "$ERR" ""

finish
