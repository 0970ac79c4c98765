#!/bin/sh
# mcimg bundle / mount / unbundle / bundles: the overlay and --copy rootfs
# are the tree `umoci unpack` makes (whiteouts, opaque directories,
# hardlinks, xattrs, setuid bits, owners), config.json follows the image
# config and the options, the bundle runs under minirun and runc, bundles
# share the layers without touching them, prune keeps what a bundle uses,
# and every bad input fails with one clear line and leaves nothing behind.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq sha256sum gzip umoci
[ "$(id -u)" = 0 ] || reg_skip_all "needs root (overlay mounts)"
. "$abs_top_srcdir/tests/integration/mcimg-lib.sh"
minirun=$abs_top_builddir/minirun

# Every overlay under $work is unmounted before lib.sh removes $work.
bundle_cleanup() {
  grep " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null; done
  reg_cleanup
}
trap bundle_cleanup EXIT

# The image: busybox, a passwd/group, then a layer with every kind of entry
# (owners, setuid, hardlinks, an xattr, symlinks) and one deleting and
# replacing things (whiteouts, an opaque directory).
reg_make_layout || reg_skip_all "cannot build the test image"
l1=$work/l1 l2=$work/l2 l3=$work/l3
mkdir -p "$l1/bin" "$l1/etc" "$l1/home/app"
cp "${BUSYBOX:-/bin/busybox}" "$l1/bin/busybox"
ln -s busybox "$l1/bin/sh"
for t in cat echo id ls sleep touch wc; do ln -s busybox "$l1/bin/$t"; done
cat >"$l1/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
app:x:1000:1000:App:/home/app:/bin/sh
PW
cat >"$l1/etc/group" <<'GR'
root:x:0:
app:x:1000:
wheel:x:10:app
audio:x:29:app
staff:x:50:
GR
mkdir -p "$l2/dir1" "$l2/opq/sub" "$l2/owned" "$l2/keep"
echo a >"$l2/dir1/a"; echo b >"$l2/dir1/b"
echo old >"$l2/opq/old"; echo deep >"$l2/opq/sub/deep"
echo gone >"$l2/gone"
echo hl >"$l2/keep/h1"; ln "$l2/keep/h1" "$l2/keep/h2"
echo suid >"$l2/keep/suid"; chmod 4755 "$l2/keep/suid"
chmod 2750 "$l2/owned"; echo mine >"$l2/owned/f"; chown -R 1000:50 "$l2/owned"
ln -s ../dir1/b "$l2/keep/link"
echo x >"$l2/keep/xattr"
setfattr -n user.mcimg -v hello "$l2/keep/xattr" 2>/dev/null && have_xattr=1 || have_xattr=0
tar --sort=name --mtime=@0 --numeric-owner --xattrs --xattrs-include='user.*' \
  -C "$l2" -cf "$work/l2.tar" .
mkdir -p "$l3/dir1" "$l3/opq" "$l3/keep"
: >"$l3/.wh.gone"; : >"$l3/dir1/.wh.a"; : >"$l3/opq/.wh..wh..opq"
echo new >"$l3/opq/new"; echo top >"$l3/keep/top"
mk_image "$layout" app "$l1" "$work/l2.tar" "$l3"
umoci config --image "$layout:app" --config.user app --config.env FOO=bar \
  --config.entrypoint /bin/echo --config.cmd hello --config.cmd image \
  --config.workingdir /home/app --config.label com.example.team=infra \
  --config.stopsignal SIGQUIT --config.exposedports 80/tcp \
  --config.volume /data >/dev/null 2>&1 || reg_skip_all "umoci config failed"
reg_start http || reg_skip_all "registry did not start"
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$layout:app" \
  "docker://$host/app:v1" || reg_skip_all "skopeo push failed"
reg_ok "pull the test image" M pull --tls-verify=false "$host/app:v1"
img=$host/app:v1

# umoci's tree, the reference: modes, owners, link targets, sizes, links.
umoci unpack --image "$layout:app" "$work/umoci" >/dev/null 2>&1 || reg_skip_all "umoci unpack failed"
tree() {
  (cd "$1" && find . ! -type d -printf '%p %y %m %U:%G %l %s %n\n' | sort &&
    find . -type d -printf '%p %m %U:%G\n' | sort)
}
tree "$work/umoci/rootfs" >"$work/want.tree"
layers_sum() { (cd "$store/layers" && find . -printf '%p %m %U %G %s\n' | sort && find . -type f -exec sha256sum {} + | sort) | sha256sum; }
layers_before=$(layers_sum)

# ---- overlay bundle ----
b=$work/b1
t0=$(date +%s%N)
reg_ok "bundle IMAGE DIR" M bundle "$img" "$b"
t1=$(date +%s%N)
reg_check "rootfs is an overlay" sh -c "grep -q ' $b/rootfs .* - overlay ' /proc/self/mountinfo"
reg_check "DIR is 0700" [ "$(stat -c %a "$b")" = 700 ]
tree "$b/rootfs" >"$work/got.tree"
reg_check "overlay tree = umoci unpack" cmp "$work/want.tree" "$work/got.tree"
diff "$work/want.tree" "$work/got.tree" | head -20 | sed 's/^/# /'
reg_check "whiteout removed gone and dir1/a" sh -c "[ ! -e '$b/rootfs/gone' ] && [ ! -e '$b/rootfs/dir1/a' ] && [ -f '$b/rootfs/dir1/b' ]"
reg_check "opaque dir hides the lower" sh -c "[ \"\$(ls '$b/rootfs/opq')\" = new ]"
reg_check "hardlinks share an inode" [ "$b/rootfs/keep/h1" -ef "$b/rootfs/keep/h2" ]
reg_check "setuid survives" [ -u "$b/rootfs/keep/suid" ]
reg_check "setgid dir and owner survive" [ "$(stat -c %a:%u:%g "$b/rootfs/owned")" = 2750:1000:50 ]
if [ "$have_xattr" = 1 ]; then
  reg_check "xattr survives" [ "$(getfattr --only-values -n user.mcimg "$b/rootfs/keep/xattr" 2>/dev/null)" = hello ]
fi
cfg=$b/config.json
reg_check "args = Entrypoint + Cmd" [ "$(jq -c .process.args "$cfg")" = '["/bin/echo","hello","image"]' ]
reg_check "env from the image, PATH defaulted, HOME" sh -c "jq -e '.process.env | index(\"FOO=bar\") and (map(select(startswith(\"PATH=\")))|length==1) and index(\"HOME=/home/app\")' '$cfg'"
reg_check "cwd from WorkingDir" [ "$(jq -r .process.cwd "$cfg")" = /home/app ]
reg_check "user app from the image's passwd" [ "$(jq -c '[.process.user.uid,.process.user.gid,.process.user.additionalGids]' "$cfg")" = '[1000,1000,[10,29]]' ]
reg_check "labels, stop signal, ports, volumes as annotations" sh -c "jq -e '.annotations[\"com.example.team\"]==\"infra\" and .annotations[\"org.opencontainers.image.stopSignal\"]==\"SIGQUIT\" and .annotations[\"dev.mcimg.image.exposedPorts\"]==\"80/tcp\" and .annotations[\"dev.mcimg.image.volumes\"]==\"/data\"' '$cfg'"
reg_check "docker's 14 capabilities, none inheritable or ambient" sh -c "jq -e '(.process.capabilities.bounding|length)==14 and .process.capabilities.effective==.process.capabilities.bounding and .process.capabilities.permitted==.process.capabilities.bounding and .process.capabilities.inheritable==null and .process.capabilities.ambient==null' '$cfg'"
reg_check "six namespaces" [ "$(jq -c '[.linux.namespaces[].type]' "$cfg")" = '["pid","network","ipc","uts","mount","cgroup"]' ]
reg_check "default mounts" [ "$(jq -c '[.mounts[].destination]' "$cfg")" = '["/proc","/dev","/dev/pts","/sys","/sys/fs/cgroup","/dev/mqueue","/dev/shm","/etc/hostname","/etc/hosts","/etc/resolv.conf"]' ]
# docker's 1048576; without CAP_SYS_RESOURCE (some sandboxes) our own hard
# limit, which a runtime running as we do can set.
nofile=1048576
[ $(( 0x$(sed -n 's/^CapEff:\t//p' /proc/self/status) >> 24 & 1 )) = 1 ] || nofile=$(ulimit -Hn)
reg_check "RLIMIT_NOFILE $nofile" [ "$(jq -c '.process.rlimits' "$cfg")" = "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":$nofile,\"soft\":$nofile}]" ]
reg_check "masked and read-only paths" sh -c "jq -e '(.linux.maskedPaths|index(\"/proc/kcore\")) and (.linux.readonlyPaths|index(\"/proc/sys\"))' '$cfg'"
reg_check "random hostname in config and DIR/hostname" sh -c "h=\$(jq -r .hostname '$cfg'); echo \"\$h\" | grep -qx 'mini-[0-9a-f]\{5\}' && [ \"\$(cat '$b/hostname')\" = \"\$h\" ] && grep -q \"\$h\" '$b/hosts'"
reg_check "resolv.conf has no loopback nameserver" sh -c "! grep -E '^nameserver[[:space:]]+(127\.|::1)' '$b/resolv.conf'"
reg_ok "bundles lists it" M bundles
reg_check "as a mounted overlay" sh -c "grep -q '^$b	$img	sha256:.*	overlay	mounted$' '$work/out'"

# ---- second bundle: nothing copied ----
t2=$(date +%s%N)
reg_ok "second bundle of the same image" M bundle "$img" "$work/b2"
t3=$(date +%s%N)
t4=$(date +%s%N); M bundles >/dev/null; t5=$(date +%s%N)
echo "# first bundle: $(( (t1 - t0) / 1000000 )) ms, second: $(( (t3 - t2) / 1000000 )) ms" \
  "(an mcimg process that does nothing: $(( (t5 - t4) / 1000000 )) ms), second's upper: $(du -sk "$work/b2/upper" | cut -f1) KiB"
reg_check "second bundle's upper is empty" [ -z "$(ls -A "$work/b2/upper")" ]

# ---- options ----
reg_ok "bundle with options and a -- command" M bundle --memory 256m --cpus 0.5 \
  --pids-limit 64 --hostname box1 -e A=1 --env FOO=override --user app:staff \
  --workdir /tmp --read-only --tmpfs /scratch -v "$work:/host:ro" --cap-drop NET_RAW \
  --cap-add sys_admin --network host "$img" "$work/b3" -- /bin/sh -c 'echo hi'
cfg=$work/b3/config.json
reg_check "--memory/--cpus/--pids-limit" [ "$(jq -c '[.linux.resources.memory.limit,.linux.resources.cpu.quota,.linux.resources.cpu.period,.linux.resources.pids.limit]' "$cfg")" = '[268435456,50000,100000,64]' ]
reg_check "-- replaces Entrypoint + Cmd" [ "$(jq -c .process.args "$cfg")" = '["/bin/sh","-c","echo hi"]' ]
reg_check "-e overrides, adds" sh -c "jq -e '.process.env | index(\"FOO=override\") and index(\"A=1\") and (index(\"FOO=bar\")|not)' '$cfg'"
reg_check "--user app:staff" [ "$(jq -c '[.process.user.uid,.process.user.gid]' "$cfg")" = '[1000,50]' ]
reg_check "--workdir, --read-only, --hostname" [ "$(jq -c '[.process.cwd,.root.readonly,.hostname]' "$cfg")" = '["/tmp",true,"box1"]' ]
reg_check "--tmpfs and --volume ro" sh -c "jq -e '(.mounts[]|select(.destination==\"/scratch\").type==\"tmpfs\") and (.mounts[]|select(.destination==\"/host\").options|index(\"ro\"))' '$cfg'"
reg_check "--cap-drop/--cap-add" sh -c "jq -e '(.process.capabilities.bounding|index(\"CAP_NET_RAW\")|not) and (.process.capabilities.bounding|index(\"CAP_SYS_ADMIN\"))' '$cfg'"
reg_check "--network host drops the network namespace" [ "$(jq -c '[.linux.namespaces[].type]|index("network")' "$cfg")" = null ]
reg_ok "--user 1000 by uid" M bundle --user 1000 "$img" "$work/b4"
reg_check "uid 1000 gets app's gid, groups and HOME" sh -c "jq -e '.process.user.gid==1000 and .process.user.additionalGids==[10,29] and (.process.env|index(\"HOME=/home/app\"))' '$work/b4/config.json'"
reg_ok "unbundle b3, b4" sh -c "'$mcimg' --root '$store' unbundle '$work/b3' && '$mcimg' --root '$store' unbundle '$work/b4'"

# ---- runtimes ----
reg_ok "runs under minirun" "$minirun" --root "$work/minirun" run -b "$b" mb1
reg_check "and prints from the image" [ "$(cat "$work/out")" = "hello image" ]
"$minirun" --root "$work/minirun" delete -f mb1 >/dev/null 2>&1
if command -v runc >/dev/null 2>&1; then
  reg_ok "runs under runc $(runc --version | sed -n 's/^runc version //p')" runc --root "$work/runc" run -b "$b" rb1
  reg_check "and prints from the image" [ "$(cat "$work/out")" = "hello image" ]
  runc --root "$work/runc" delete -f rb1 >/dev/null 2>&1
fi

# ---- mount / unbundle ----
umount "$b/rootfs"
reg_ok "mount DIR after an unmount" M mount "$b"
reg_check "rootfs is mounted again" sh -c "grep -q ' $b/rootfs .* - overlay ' /proc/self/mountinfo && [ -x '$b/rootfs/bin/busybox' ]"
reg_ok "mount DIR when mounted is a no-op" M mount "$b"
reg_check "still one mount" [ "$(grep -c " $b/rootfs " /proc/self/mountinfo)" = 1 ]

# ---- 50 bundles, each with its own upper ----
# Container i writes /mine and /only-i and appends to /etc/passwd; run one
# after the other, each would see the earlier ones' files if they leaked.
mkdir -p "$work/many"
reg_ok "50 bundles" sh -c 'for i in $(seq 1 50); do "$1" --root "$2" bundle --user root "$3" "$4/$i" -- /bin/sh -c "echo $i >/mine; echo $i >/only-$i; echo $i >>/etc/passwd; cat /mine; ls / | grep only-" || exit 1; done' - "$mcimg" "$store" "$img" "$work/many"
ran=0
for i in $(seq 1 50); do
  got=$("$minirun" --root "$work/minirun" run -b "$work/many/$i" "m$i" 2>&1)
  if [ "$got" = "$i
only-$i" ]; then ran=$((ran + 1)); else echo "# m$i: $got" | head -5; fi
  "$minirun" --root "$work/minirun" delete -f "m$i" >/dev/null 2>&1
done
reg_check "50 containers ran, each seeing only its own files (got $ran)" [ "$ran" = 50 ]
reg_check "each wrote only its own upper" sh -c "for i in \$(seq 1 50); do [ \"\$(cat '$work/many/'\$i/upper/mine)\" = \$i ] && [ \"\$(ls '$work/many/'\$i/upper | grep only-)\" = only-\$i ] && [ \"\$(tail -n1 '$work/many/'\$i/rootfs/etc/passwd)\" = \$i ] && [ \$(grep -c . '$work/many/'\$i/rootfs/etc/passwd) = 3 ] || exit 1; done"
reg_check "the first bundle sees none of it" sh -c "[ ! -e '$b/rootfs/mine' ] && [ -z \"\$(ls '$b/rootfs' | grep only-)\" ] && [ \$(grep -c . '$b/rootfs/etc/passwd') = 2 ]"
reg_check "layers unchanged (modes, owners, sizes, sha256 of every file)" [ "$(layers_sum)" = "$layers_before" ]
reg_ok "unbundle 50" sh -c 'for i in $(seq 1 50); do "$1" --root "$2" unbundle "$3/$i" || exit 1; done' - "$mcimg" "$store" "$work/many"
reg_check "gone, and unmounted" sh -c "[ -z \"\$(ls '$work/many')\" ] && ! grep -q ' $work/many/' /proc/self/mountinfo"

# ---- --copy ----
reg_ok "bundle --copy" M bundle --copy "$img" "$work/c1"
reg_check "no mount" sh -c "! grep -q ' $work/c1/' /proc/self/mountinfo"
tree "$work/c1/rootfs" >"$work/got.tree"
reg_check "--copy tree = umoci unpack" cmp "$work/want.tree" "$work/got.tree"
diff "$work/want.tree" "$work/got.tree" | head -20 | sed 's/^/# /'
reg_check "--copy keeps hardlinks, setuid" sh -c "[ '$work/c1/rootfs/keep/h1' -ef '$work/c1/rootfs/keep/h2' ] && [ -u '$work/c1/rootfs/keep/suid' ]"
if [ "$have_xattr" = 1 ]; then
  reg_check "--copy keeps the xattr" [ "$(getfattr --only-values -n user.mcimg "$work/c1/rootfs/keep/xattr" 2>/dev/null)" = hello ]
fi
reg_ok "--copy runs under minirun" "$minirun" --root "$work/minirun" run -b "$work/c1" mc1
reg_check "and prints from the image" [ "$(cat "$work/out")" = "hello image" ]
"$minirun" --root "$work/minirun" delete -f mc1 >/dev/null 2>&1

# ---- prune ----
reg_ok "rmi the image" M rmi "$img"
reg_ok "prune" M prune
reg_check "prune kept the bundled layers" sh -c "[ \"\$(ls '$store/layers' | wc -l)\" = 3 ] && [ -x '$b/rootfs/bin/busybox' ]"
reg_ok "unbundle b1, b2 and the copy" sh -c "'$mcimg' --root '$store' unbundle '$b' && '$mcimg' --root '$store' unbundle '$work/b2' && '$mcimg' --root '$store' unbundle '$work/c1'"
reg_check "no bundle left" [ "$(M bundles | wc -l)" = 1 ]
reg_ok "prune" M prune
reg_check "now the layers are gone" [ -z "$(ls "$store/layers")" ]
reg_ok "pull again" M pull --tls-verify=false "$img"

# ---- bad input: one line, non-zero, nothing left ----
nothing_left() { [ ! -e "$work/bad" ] && ! grep -q " $work/bad" /proc/self/mountinfo && [ "$(M bundles | wc -l)" = 1 ]; }
bad() {
  name=$1 pattern=$2; shift 2
  reg_fails "$name" "$pattern" M bundle "$@"
  reg_check "$name: one line, nothing left" sh -c "[ \$(wc -l <'$work/err') = 1 ]" && nothing_left
  [ -e "$work/bad" ] && { umount "$work/bad/rootfs" 2>/dev/null; rm -rf "$work/bad"; }
}
bad "unknown image" "not in the store" "$host/nope:v1" "$work/bad"
bad "--memory 10x" "invalid size \`10x\`" --memory 10x "$img" "$work/bad"
bad "--cpus -1" "invalid --cpus \`-1\`" --cpus -1 "$img" "$work/bad"
bad "--pids-limit 0" "invalid --pids-limit" --pids-limit 0 "$img" "$work/bad"
bad "--network bridge" "expected none or host" --network bridge "$img" "$work/bad"
bad "unknown user" "no such user in the image's /etc/passwd" --user nobody "$img" "$work/bad"
bad "unknown group" "group \`nogroup\` not found" --user app:nogroup "$img" "$work/bad"
bad "workdir under /proc/self/fd" "refused" --workdir /proc/self/fd/3 "$img" "$work/bad"
bad "relative --volume" "expected /HOST:/CONTAINER" -v rel:/x "$img" "$work/bad"
bad "unknown capability" "unknown capability" --cap-add NOPE "$img" "$work/bad"
mkdir -p "$work/full" && echo x >"$work/full/keep"
reg_fails "DIR not empty" "exists and is not empty (use --force)" M bundle "$img" "$work/full"
reg_check "one line, DIR untouched, no mount" sh -c "[ \$(wc -l <'$work/err') = 1 ] && [ \"\$(ls -A '$work/full')\" = keep ] && [ \"\$(cat '$work/full/keep')\" = x ] && ! grep -q ' $work/full/' /proc/self/mountinfo"
reg_ok "--force" M bundle --force "$img" "$work/full"
reg_check "--force: a bundle made in DIR" sh -c "[ -f '$work/full/config.json' ] && grep -q ' $work/full/rootfs ' /proc/self/mountinfo"
reg_ok "unbundle it" M unbundle "$work/full"
reg_ok "bundle, then remove DIR by hand" sh -c "'$mcimg' --root '$store' bundle --copy '$img' '$work/gone' && rm -rf '$work/gone'"
reg_check "bundles says missing" sh -c "M() { '$mcimg' --root '$store' \"\$@\"; }; M bundles | grep -q '^$work/gone	.*	copy	missing\$'"
reg_ok "unbundle forgets it" M unbundle "$work/gone"
reg_check "no bundle left" [ "$(M bundles | wc -l)" = 1 ]
reg_fails "unbundle of a non-bundle" "is not a bundle" M unbundle "$work"
reg_fails "mount of a non-bundle" "is not a bundle" M mount "$work"

# An image whose layers are not unpacked (loaded with --no-unpack).
M save -o "$work/app.tar" "$img" >/dev/null 2>&1
if M load --help 2>&1 | grep -q -- --no-unpack && rm -rf "$work/store2" &&
   "$mcimg" --root "$work/store2" load --no-unpack -i "$work/app.tar" >/dev/null 2>&1; then
  reg_fails "image not unpacked" "is not unpacked" "$mcimg" --root "$work/store2" bundle "$img" "$work/bad"
  reg_check "nothing left" [ ! -e "$work/bad" ]
  reg_ok "--copy works from the blobs" "$mcimg" --root "$work/store2" bundle --copy "$img" "$work/bad"
  rm -rf "$work/bad"
fi

# Hostile passwd: a symlink to /dev/zero, and one out of the image.
for target in /dev/zero ../../../../etc/shadow; do
  rm -rf "$work/h1" && mkdir -p "$work/h1/etc" "$work/h1/dev" &&
    ln -s "$target" "$work/h1/etc/passwd"
  [ "$target" = /dev/zero ] && mkfifo "$work/h1/dev/zero"
  mk_image "$layout" hostile "$l1" "$work/h1"
  umoci config --image "$layout:hostile" --config.user app >/dev/null 2>&1
  skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$layout:hostile" \
    "docker://$host/hostile:v1" && M pull --tls-verify=false "$host/hostile:v1" >/dev/null 2>&1
  bad "passwd -> $target" "/etc/passwd is" "$host/hostile:v1" "$work/bad"
done
reg_done
