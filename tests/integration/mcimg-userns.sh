#!/bin/sh
# mcimg bundle --userns: the container's root is host uid 100000 (auto) or
# a chosen range; the overlay's layers are idmapped, so the image's files
# are root's inside, what the container writes lands in DIR/upper owned by
# the mapped host ids, and the store is untouched.  --copy shifts the
# owners of a flat copy instead and gives the same inside view.  mount and
# unbundle leave no stray (idmapped) mount; bad values fail with one line.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq sha256sum gzip
[ "$(id -u)" = 0 ] || reg_skip_all "needs root (overlay and idmapped mounts)"
. "$abs_top_srcdir/tests/integration/mcimg-lib.sh"
minirun=$abs_top_builddir/minirun

userns_cleanup() {
  for id in $(ls "$work/minirun" 2>/dev/null); do
    "$minirun" --root "$work/minirun" delete -f "$id" >/dev/null 2>&1
  done
  for id in $(ls "$work/runc" 2>/dev/null); do
    runc --root "$work/runc" delete -f "$id" >/dev/null 2>&1
  done
  grep " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null; done
  reg_cleanup
}
trap userns_cleanup EXIT
# The mapped root must be able to reach DIR (the runtime mounts DIR/hosts
# and friends from inside the user namespace).
chmod 711 "$work"

# busybox, passwd/group, a file of uid 1000 gid 50, a setuid file,
# hardlinks, then a layer that whites one file out.
reg_make_layout || reg_skip_all "cannot build the test image"
l1=$work/l1 l2=$work/l2
mkdir -p "$l1/bin" "$l1/etc" "$l1/home/app" "$l1/tmp"
chmod 1777 "$l1/tmp"
cp "${BUSYBOX:-/bin/busybox}" "$l1/bin/busybox"
ln -s busybox "$l1/bin/sh"
for t in cat echo id ls stat touch; do ln -s busybox "$l1/bin/$t"; done
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n' >"$l1/etc/passwd"
printf 'root:x:0:\nstaff:x:50:\n' >"$l1/etc/group"
echo gone >"$l1/gone"
mkdir -p "$l2/owned" "$l2/keep"
chmod 2750 "$l2/owned"; echo mine >"$l2/owned/f"; chown -R 1000:50 "$l2/owned"
echo suid >"$l2/keep/suid"; chmod 4755 "$l2/keep/suid"
echo hl >"$l2/keep/h1"; ln "$l2/keep/h1" "$l2/keep/h2"
: >"$l2/.wh.gone"
# A file capability (v2, as setcap writes it as host root), when possible.
have_cap=0
if command -v setcap >/dev/null 2>&1 && command -v getcap >/dev/null 2>&1 &&
   echo cap >"$l2/keep/cap" && setcap cap_net_raw+ep "$l2/keep/cap" 2>/dev/null; then
  have_cap=1
fi
tar --sort=name --mtime=@0 --numeric-owner --xattrs --xattrs-include='security.capability' \
  -C "$l2" -cf "$work/l2.tar" .
mk_image "$layout" app "$l1" "$work/l2.tar"
reg_start http || reg_skip_all "registry did not start"
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$layout:app" \
  "docker://$host/app:v1" || reg_skip_all "skopeo push failed"
reg_ok "pull the test image" M pull --tls-verify=false "$host/app:v1"
img=$host/app:v1
layers_sum() { (cd "$store/layers" && find . -printf '%p %m %U %G %s\n' | sort && find . -type f -exec sha256sum {} + | sort) | sha256sum; }
layers_before=$(layers_sum)
idmapped_mounts() { grep -c idmapped /proc/self/mountinfo; }
idmapped_before=$(idmapped_mounts)

# What the container sees: uid, its uid_map, owners of image files.
inside='id -u; cat /proc/self/uid_map; cat /proc/self/gid_map;
stat -c "%u:%g" /bin/busybox /etc/passwd /owned/f /; stat -c %a /keep/suid /owned;
echo hello >/written; stat -c %u:%g /written; [ -e /gone ] && echo gone-visible; true'
want_inside=$(printf '0\n         0     100000      65536\n         0     100000      65536\n0:0\n0:0\n1000:50\n0:0\n4755\n2750\n0:0')

# ---- overlay with idmapped layers ----
b=$work/b1
reg_ok "bundle --userns" M bundle --userns "$img" "$b" -- /bin/sh -c "$inside"
reg_check "rootfs is an overlay" sh -c "grep -q ' $b/rootfs .* - overlay ' /proc/self/mountinfo"
reg_check "config.json has a user namespace" sh -c "jq -e '.linux.namespaces | map(.type) | index(\"user\")' '$b/config.json' >/dev/null"
reg_check "uidMappings and gidMappings" [ "$(jq -c '[.linux.uidMappings, .linux.gidMappings]' "$b/config.json")" = '[[{"containerID":0,"hostID":100000,"size":65536}],[{"containerID":0,"hostID":100000,"size":65536}]]' ]
reg_check "host view: image root files are 100000" [ "$(stat -c %u:%g "$b/rootfs/bin/busybox")" = 100000:100000 ]
reg_check "host view: 1000:50 is 101000:100050" [ "$(stat -c %u:%g "$b/rootfs/owned/f")" = 101000:100050 ]
reg_check "upper owned by the mapped root" [ "$(stat -c %u:%g "$b/upper")" = 100000:100000 ]
reg_check "DIR is 0711 (the mapped root reaches DIR/hosts)" [ "$(stat -c %a "$b")" = 711 ]
reg_check "bundle files owned by the mapped root" [ "$(stat -c %u "$b/hosts")" = 100000 ]
if [ "$have_cap" = 1 ]; then
  reg_check "file capability in the store: v2, no rootid" [ "$(getcap -n "$(find "$store/layers" -path '*/keep/cap')")" = "$(find "$store/layers" -path '*/keep/cap') cap_net_raw=ep" ]
fi
reg_check "no idmapped mount is attached" [ "$(idmapped_mounts)" = "$idmapped_before" ]
reg_check "bundles records it" sh -c "M() { '$mcimg' --root '$store' \"\$@\"; }; M bundles | grep -q '^$b	.*	overlay	mounted\$'"
got=$("$minirun" --root "$work/minirun" run -b "$b" u1 2>"$work/run.err")
"$minirun" --root "$work/minirun" delete -f u1 >/dev/null 2>&1
reg_check "minirun: inside view (uid 0, the map, root-owned files)" [ "$got" = "$want_inside" ]
[ "$got" = "$want_inside" ] || { echo "$got" | sed 's/^/# got: /'; sed 's/^/# /' "$work/run.err"; }
reg_check "the written file is 100000 in DIR/upper" [ "$(stat -c %u:%g "$b/upper/written" 2>&1)" = 100000:100000 ]
reg_check "store layers unchanged" [ "$(layers_sum)" = "$layers_before" ]
reg_check "store files still root's" [ "$(find "$store/layers" -name busybox -printf '%U:%G')" = 0:0 ]

if command -v runc >/dev/null 2>&1; then
  rm -f "$b/upper/written"
  M unbundle "$b" >/dev/null 2>&1 # fresh upper for runc
  reg_ok "bundle --userns=auto for runc" M bundle --userns=auto "$img" "$b" -- /bin/sh -c "$inside"
  got=$(runc --root "$work/runc" run -b "$b" ru1 2>"$work/run.err")
  runc --root "$work/runc" delete -f ru1 >/dev/null 2>&1
  reg_check "runc $(runc --version | sed -n 's/^runc version //p'): same inside view" [ "$got" = "$want_inside" ]
  [ "$got" = "$want_inside" ] || { echo "$got" | sed 's/^/# got: /'; sed 's/^/# /' "$work/run.err"; }
fi

# ---- mount after an unmount, unbundle ----
umount "$b/rootfs"
reg_ok "mount DIR again" M mount "$b"
reg_check "idmapped again: busybox is 100000 on the host" [ "$(stat -c %u "$b/rootfs/bin/busybox")" = 100000 ]
got=$("$minirun" --root "$work/minirun" run -b "$b" u2 2>"$work/run.err")
"$minirun" --root "$work/minirun" delete -f u2 >/dev/null 2>&1
reg_check "after mount: same inside view" [ "$got" = "$want_inside" ]
reg_ok "unbundle" M unbundle "$b"
reg_check "no mount left" sh -c "! grep -q ' $work/b1' /proc/self/mountinfo && [ \"\$(grep -c idmapped /proc/self/mountinfo)\" = '$idmapped_before' ] && [ ! -e '$b' ]"

# ---- a chosen range ----
b=$work/b2
reg_ok "bundle --userns=200000:70000" M bundle --userns=200000:70000 "$img" "$b" -- /bin/sh -c 'cat /proc/self/uid_map; stat -c %u /bin/busybox'
got=$("$minirun" --root "$work/minirun" run -b "$b" u3 2>"$work/run.err")
"$minirun" --root "$work/minirun" delete -f u3 >/dev/null 2>&1
reg_check "the chosen range inside" [ "$got" = "$(printf '         0     200000      70000\n0')" ]
reg_ok "unbundle" M unbundle "$b"

# ---- --copy: a shifted flat copy ----
c=$work/c1
reg_ok "bundle --copy --userns" M bundle --copy --userns "$img" "$c" -- /bin/sh -c "$inside"
reg_check "no mount" sh -c "! grep -q ' $c/' /proc/self/mountinfo"
reg_check "copy: owners shifted" [ "$(stat -c %u:%g "$c/rootfs/bin/busybox" "$c/rootfs/owned/f" "$c/rootfs" | tr '\n' ' ')" = "100000:100000 101000:100050 100000:100000 " ]
reg_check "copy: setuid and setgid kept" [ "$(stat -c %a "$c/rootfs/keep/suid" "$c/rootfs/owned" | tr '\n' ' ')" = "4755 2750 " ]
reg_check "copy: hardlinks shifted once" [ "$(stat -c %u "$c/rootfs/keep/h1")" = 100000 ]
reg_check "copy: symlink itself shifted" [ "$(stat -c %u "$c/rootfs/bin/sh")" = 100000 ]
if [ "$have_cap" = 1 ]; then
  reg_check "copy: file capability kept, rooted at 100000" [ "$(getcap -n "$c/rootfs/keep/cap")" = "$c/rootfs/keep/cap cap_net_raw=ep [rootid=100000]" ]
fi
got=$("$minirun" --root "$work/minirun" run -b "$c" u4 2>"$work/run.err")
"$minirun" --root "$work/minirun" delete -f u4 >/dev/null 2>&1
reg_check "copy: same inside view" [ "$got" = "$want_inside" ]
[ "$got" = "$want_inside" ] || { echo "$got" | sed 's/^/# got: /'; sed 's/^/# /' "$work/run.err"; }
reg_check "copy: the written file is 100000" [ "$(stat -c %u "$c/rootfs/written")" = 100000 ]
reg_ok "unbundle the copy" M unbundle "$c"
reg_check "store layers still unchanged" [ "$(layers_sum)" = "$layers_before" ]

# ---- a store whose filesystem refuses idmapped mounts (ramfs) ----
mkdir -p "$work/ostore"
if mount -t ramfs ramfs "$work/ostore"; then
  O() { "$mcimg" --root "$work/ostore/s" "$@"; }
  M save -o "$work/app.tar" "$img" >/dev/null 2>&1
  reg_ok "load the image into a store on ramfs" O load -i "$work/app.tar"
  reg_fails "--userns there: one line naming the idmap" "idmap layer" O bundle --userns "$img" "$work/bad"
  reg_check "one line" [ "$(wc -l <"$work/err")" = 1 ]
  reg_check "nothing left: no DIR, no mount, no record" sh -c "[ ! -e '$work/bad' ] && ! grep -q ' $work/bad' /proc/self/mountinfo && [ \"\$(grep -c idmapped /proc/self/mountinfo)\" = '$idmapped_before' ] && [ -z \"\$(ls '$work/ostore/s/bundles')\" ]"
  reg_ok "--copy --userns there (the fallback)" O bundle --copy --userns "$img" "$work/c2" -- /bin/sh -c "$inside"
  got=$("$minirun" --root "$work/minirun" run -b "$work/c2" u5 2>"$work/run.err")
  "$minirun" --root "$work/minirun" delete -f u5 >/dev/null 2>&1
  reg_check "fallback: same inside view" [ "$got" = "$want_inside" ]
  reg_ok "unbundle it" O unbundle "$work/c2"
  umount "$work/ostore"
fi

# ---- bad values: one line, nothing left ----
nothing_left() { [ ! -e "$work/bad" ] && ! grep -q " $work/bad" /proc/self/mountinfo && [ "$(M bundles | wc -l)" = 1 ]; }
for v in bogus 0:65536 100000:0 100000 100000:x 4294967000:65536 -1:5 ""; do
  reg_fails "--userns=$v" "invalid --userns" M bundle "--userns=$v" "$img" "$work/bad"
  reg_check "--userns=$v: one line" [ "$(wc -l <"$work/err")" = 1 ]
  reg_check "--userns=$v: nothing left" nothing_left
done
reg_ok "--userns=host: no user namespace" M bundle --userns=host "$img" "$work/h"
reg_check "no user namespace in config.json" sh -c "! jq -e '.linux.namespaces | map(.type) | index(\"user\")' '$work/h/config.json' >/dev/null && [ \"\$(stat -c %u '$work/h/rootfs/bin/busybox')\" = 0 ]"
reg_ok "unbundle" M unbundle "$work/h"
reg_done
