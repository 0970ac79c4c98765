#!/bin/sh
# mcimg bundle's options as the container sees them when minirun runs the
# bundle (mcimg-bundle.sh checks config.json): --env-file, --tty,
# --network none/host, --read-only, --tmpfs, --volume H:C:ro, --hostname,
# --workdir, --user, and --memory/--cpus/--pids-limit in the container's
# cgroups (v1 controllers, or cgroup2).  Bad values fail with one line and
# leave no DIR.
. "$abs_top_srcdir/tests/registry/lib.sh"
reg_require docker-registry skopeo jq sha256sum gzip
[ "$(id -u)" = 0 ] || reg_skip_all "needs root (overlay mounts, containers)"
. "$abs_top_srcdir/tests/integration/mcimg-lib.sh"
minirun=$abs_top_builddir/minirun
mr() { "$minirun" --root "$work/minirun" "$@"; }

options_cleanup() {
  for id in $(ls "$work/minirun" 2>/dev/null); do mr delete -f "$id" >/dev/null 2>&1; done
  grep " $work/" /proc/self/mountinfo | awk '{print $5}' | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null; done
  reg_cleanup
}
trap options_cleanup EXIT

# busybox with every applet the checks use, a passwd/group, /tmp.
layout=$work/layout
l=$work/l1
mkdir -p "$l/bin" "$l/etc" "$l/tmp" "$l/home/app"
cp "${BUSYBOX:-/bin/busybox}" "$l/bin/busybox"
for t in sh cat echo env grep hostname id ls pwd readlink seq sleep touch wc; do
  ln -s busybox "$l/bin/$t"
done
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:App:/home/app:/bin/sh\n' >"$l/etc/passwd"
printf 'root:x:0:\napp:x:1000:\nstaff:x:50:\n' >"$l/etc/group"
mk_image "$layout" opts "$l" || reg_skip_all "cannot build the test image"
reg_start http || reg_skip_all "registry did not start"
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$layout:opts" \
  "docker://$host/opts:v1" || reg_skip_all "skopeo push failed"
img=$host/opts:v1
reg_ok "pull the test image" M pull --quiet --tls-verify=false "$img"

# run NAME DIR: run bundle DIR in the foreground under minirun as NAME;
# its output in $work/out.
run() { reg_ok "$1 runs" mr run -b "$2" "$1"; mr delete -f "$1" >/dev/null 2>&1; }
has() { grep -qxF -- "$1" "$work/out"; }

# ---- --env-file ----
cat >"$work/env" <<'ENV'
# a comment
A=1

   B=two words
  # C=3 is commented out
PASSED
EMPTY=
ENV
reg_ok "bundle --env-file" env PASSED=from-host "$mcimg" --root "$store" bundle \
  --env-file "$work/env" -e A=override-later "$img" "$work/e" -- /bin/env
run env "$work/e"
reg_check "--env-file: B with its spaces, EMPTY, no comment, PASSED from the host" \
  sh -c "grep -qx 'B=two words' '$work/out' && grep -qx 'EMPTY=' '$work/out' &&
    ! grep -q '^C=' '$work/out' && ! grep -q '^#' '$work/out' && grep -qx 'PASSED=from-host' '$work/out'"
reg_check "--env-file then -e: the later one wins, once" \
  sh -c "[ \"\$(grep -c '^A=' '$work/out')\" = 1 ] && grep -qx A=override-later '$work/out'"
reg_ok "unbundle" M unbundle "$work/e"

nothing_left() { [ ! -e "$work/bad" ] && ! grep -q " $work/bad" /proc/self/mountinfo && [ "$(M bundles | wc -l)" = 1 ]; }
bad() {
  name=$1 pattern=$2; shift 2
  reg_fails "$name" "$pattern" M bundle "$@"
  reg_check "$name: one line, no DIR left" sh -c "[ \$(wc -l <'$work/err') = 1 ]" && nothing_left
  [ -e "$work/bad" ] && { umount "$work/bad/rootfs" 2>/dev/null; rm -rf "$work/bad"; }
}
bad "--env-file missing" "--env-file" --env-file "$work/nope" "$img" "$work/bad"
printf 'OK=1\n=novar\n' >"$work/env-bad"
bad "--env-file line without a name" "line 2: no variable name" --env-file "$work/env-bad" "$img" "$work/bad"
bad "--memory 10x" "invalid size \`10x\`" --memory 10x "$img" "$work/bad"
bad "--cpus -1" "invalid --cpus \`-1\`" --cpus -1 "$img" "$work/bad"
bad "--pids-limit -5" "invalid --pids-limit" --pids-limit -5 "$img" "$work/bad"
bad "--tmpfs relative" "not an absolute path" --tmpfs scratch "$img" "$work/bad"
bad "--volume of a missing host path" "--volume" -v "$work/missing:/x" "$img" "$work/bad"

# ---- --tty ----
reg_ok "bundle --tty" M bundle --tty "$img" "$work/t"
reg_check "--tty: process.terminal true, TERM set" \
  sh -c "jq -e '.process.terminal == true and (.process.env | map(select(startswith(\"TERM=\"))) | length == 1)' '$work/t/config.json'"
reg_ok "bundle without --tty" M bundle "$img" "$work/nt"
reg_check "without: process.terminal false or absent" [ "$(jq '.process.terminal // false' "$work/nt/config.json")" = false ]
reg_ok "unbundle both" sh -c "'$mcimg' --root '$store' unbundle '$work/t' && '$mcimg' --root '$store' unbundle '$work/nt'"

# ---- --network ----
hostnet=$(readlink /proc/self/ns/net)
reg_ok "bundle --network none" M bundle --network none "$img" "$work/nn" -- \
  /bin/sh -c 'ls /sys/class/net; readlink /proc/self/ns/net'
run netnone "$work/nn"
reg_check "--network none: only lo" [ "$(sed -n 1p "$work/out")" = lo ] && reg_check "--network none: one interface" [ "$(wc -l <"$work/out")" = 2 ]
reg_check "--network none: not the host's namespace" [ "$(sed -n 2p "$work/out")" != "$hostnet" ]
reg_ok "bundle --network host" M bundle --network host "$img" "$work/nh" -- \
  /bin/sh -c 'readlink /proc/self/ns/net'
run nethost "$work/nh"
reg_check "--network host: the host's network namespace" [ "$(cat "$work/out")" = "$hostnet" ]
reg_ok "unbundle both" sh -c "'$mcimg' --root '$store' unbundle '$work/nn' && '$mcimg' --root '$store' unbundle '$work/nh'"

# ---- --read-only, --tmpfs, --volume :ro, --hostname, --workdir ----
mkdir -p "$work/vol" && echo from-host >"$work/vol/in"
script='echo host=$(hostname); echo pwd=$(pwd)
touch /rootfile 2>/dev/null && echo root=rw || echo root=ro
echo s >/scratch/f && echo scratch=rw
grep -q "^tmpfs /scratch tmpfs" /proc/mounts && echo scratch=tmpfs
echo vol=$(cat /vol/in)
echo x >/vol/out 2>/dev/null && echo vol=rw || echo vol=ro'
reg_ok "bundle --read-only --tmpfs --volume :ro --hostname --workdir" M bundle \
  --read-only --tmpfs /scratch -v "$work/vol:/vol:ro" --hostname box1 --workdir /tmp \
  "$img" "$work/ro" -- /bin/sh -c "$script"
run ro "$work/ro"
reg_check "--hostname box1" has host=box1
reg_check "--workdir /tmp" has pwd=/tmp
reg_check "--read-only: the rootfs refuses writes" has root=ro
reg_check "--tmpfs /scratch: a writable tmpfs" sh -c "grep -qx scratch=rw '$work/out' && grep -qx scratch=tmpfs '$work/out'"
reg_check "--volume :ro: readable, not writable" sh -c "grep -qx vol=from-host '$work/out' && grep -qx vol=ro '$work/out' && [ ! -e '$work/vol/out' ]"
# The same without the options: the checks above can fail.
reg_ok "bundle without them" M bundle -v "$work/vol:/vol" "$img" "$work/rw" -- /bin/sh -c "$script"
run rw "$work/rw"
reg_check "without: rootfs and volume writable, hostname mini-XXXXX, cwd /" \
  sh -c "grep -qx root=rw '$work/out' && grep -qx vol=rw '$work/out' && grep -qx pwd=/ '$work/out' && grep -qx 'host=mini-[0-9a-f]\{5\}' '$work/out'"
reg_check "the rootfile went to the upper" [ -f "$work/rw/upper/rootfile" ]
reg_ok "unbundle both" sh -c "'$mcimg' --root '$store' unbundle '$work/ro' && '$mcimg' --root '$store' unbundle '$work/rw'"

# ---- --user ----
reg_ok "bundle --user app:staff" M bundle --user app:staff "$img" "$work/u" -- \
  /bin/sh -c 'echo $(id -u):$(id -g) $HOME'
run user "$work/u"
reg_check "--user app:staff: uid 1000, gid 50, HOME" [ "$(cat "$work/out")" = "1000:50 /home/app" ]
reg_ok "unbundle" M unbundle "$work/u"

# ---- --memory, --cpus, --pids-limit: the container's cgroups ----
# The container forks 40 sleeps in a subshell (which gives up at the first
# refused fork), then becomes a sleep: with the limit, 32 processes in all.
# (Not through `minirun exec`: its process does not join the container's
# v1 cgroups yet.)
reg_ok "bundle --memory 64m --cpus 0.5 --pids-limit 32" M bundle --memory 64m \
  --cpus 0.5 --pids-limit 32 "$img" "$work/lim" -- /bin/sh -c \
  '(for i in $(seq 1 40); do sleep 600 & done) 2>/dev/null; exec sleep 600'
reg_ok "run -d" sh -c "'$minirun' --root '$work/minirun' run -d -b '$work/lim' lim </dev/null >/dev/null 2>&1"
# The container's group in each hierarchy: from /proc/PID/cgroup of its init.
pid=$(jq -r .pid "$work/minirun/lim/state.json")
cg() { # cg CONTROLLER: the container's directory in that v1 hierarchy
  d=$(awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$pid/cgroup")
  [ -n "$d" ] && echo "/sys/fs/cgroup/$1$d"
}
if [ -f "$(cg memory)/memory.limit_in_bytes" ]; then
  memdir=$(cg memory) pidsdir=$(cg pids)
  echo "# cgroup v1: $memdir"
  reg_check "memory.limit_in_bytes = 64 MiB" [ "$(cat "$memdir/memory.limit_in_bytes")" = 67108864 ]
  reg_check "cpu.cfs_quota_us 50000 / cpu.cfs_period_us 100000" \
    [ "$(cat "$(cg cpu)/cpu.cfs_quota_us") $(cat "$(cg cpu)/cpu.cfs_period_us")" = "50000 100000" ]
  reg_check "pids.max = 32" [ "$(cat "$pidsdir/pids.max")" = 32 ]
  reg_check "init is in those groups" sh -c "grep -qx $pid '$memdir/cgroup.procs' && grep -qx $pid '$pidsdir/cgroup.procs'"
else
  memdir=/sys/fs/cgroup$(awk -F: '$1 == 0 {print $3}' "/proc/$pid/cgroup") pidsdir=$memdir
  echo "# cgroup v2: $memdir"
  reg_check "memory.max = 64 MiB" [ "$(cat "$memdir/memory.max")" = 67108864 ]
  reg_check "cpu.max = 50000 100000" [ "$(cat "$memdir/cpu.max")" = "50000 100000" ]
  reg_check "pids.max = 32" [ "$(cat "$pidsdir/pids.max")" = 32 ]
fi
# And the pids limit bites.
for _ in $(seq 1 50); do grep -q '^max [1-9]' "$pidsdir/pids.events" && break; sleep 0.1; done
sleep 0.2
echo "# pids.current $(cat "$pidsdir/pids.current"), $(grep max "$pidsdir/pids.events")"
reg_check "the pids limit holds: at most 32 processes, refused forks counted" \
  sh -c "[ \$(cat '$pidsdir/pids.current') -le 32 ] && [ \$(awk '/^max / {print \$2}' '$pidsdir/pids.events') -ge 1 ]"
reg_ok "kill and delete" mr delete -f lim
reg_check "its cgroups are gone" sh -c "[ ! -d '$memdir' ] && [ ! -d '$pidsdir' ]"
reg_ok "unbundle" M unbundle "$work/lim"
reg_check "no bundle, no mount left" sh -c "[ \"\$('$mcimg' --root '$store' bundles | wc -l)\" = 1 ] && ! grep -q ' $work/' /proc/self/mountinfo"
reg_done
