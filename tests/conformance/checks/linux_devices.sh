#!/bin/sh
# Default devices and linux.devices (config-linux.md "Devices", "Default
# Devices", "Default File Systems"); mirrors linux_devices and
# the default checks of runtimetest.
. "$(dirname "$0")/../lib.sh"
plan 6

b=$CT_TMP/bundle
make_bundle "$b"
inside "default devices: type, major, minor" "$b" \
  'for d in null zero full random urandom tty; do echo $d $(stat -c "%F %t %T" /dev/$d); done' \
"null character special file 1 3
zero character special file 1 5
full character special file 1 7
random character special file 1 8
urandom character special file 1 9
tty character special file 5 0"
inside "default devices are usable" "$b" \
  'echo x > /dev/null && head -c 4 /dev/zero | wc -c && head -c 4 /dev/urandom | wc -c' "4
4"
inside "default links: /dev/fd, /dev/stdin, /dev/stdout, /dev/stderr, /dev/ptmx" "$b" \
  'for l in fd stdin stdout stderr ptmx; do echo $l $(readlink /dev/$l); done' \
"fd /proc/self/fd
stdin /proc/self/fd/0
stdout /proc/self/fd/1
stderr /proc/self/fd/2
ptmx pts/ptmx"
edit_config "$b" '.linux.devices = [{ path: "/dev/conf-null", type: "c", major: 1, minor: 3,
                                       fileMode: 438, uid: 1, gid: 2 }]
  | .linux.resources.devices += [{ allow: true, type: "c", major: 1, minor: 3, access: "rwm" }]'
inside "linux.devices: node with type, numbers, mode, owner" "$b" \
  'stat -c "%F %t %T %a %u %g" /dev/conf-null' "character special file 1 3 666 1 2"
inside "linux.devices: the node works" "$b" 'echo x > /dev/conf-null && echo written' written
reset_config "$b"
edit_config "$b" '.linux.resources.devices += [{ allow: false, type: "c", major: 1, minor: 3, access: "w" }]'
inside "linux.resources.devices: a denied access is refused" "$b" \
  'echo x > /dev/null 2>/dev/null && echo written || echo refused' refused

finish
