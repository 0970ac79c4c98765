#!/bin/sh
# Lifecycle hooks (config.md "POSIX-platform Hooks", runtime.md
# "Lifecycle"): which hooks run at create, start and delete, in what order,
# with the state on stdin; what a failing hook does.  Mirrors the
# validation programs hooks, hooks_stdin, prestart, prestart_fail,
# poststart, poststart_fail, poststop and poststop_fail.
. "$(dirname "$0")/../lib.sh"
plan 22

b=$CT_TMP/bundle
make_bundle "$b" sh -c 'trap "exit 0" TERM; while :; do sleep 0.2; done'
log=$b/rootfs/hooklog
edit_config "$b" '.root.readonly = false'

# host_hook NAME: a hook run in the runtime namespace (host paths).
host_hook ()
{
  jq -n --arg n "$1" --arg d "$b/rootfs" \
    '{ path: "/bin/sh", args: ["sh", "-c", "cat > \($d)/\($n).json; echo \($n) >> \($d)/hooklog"] }'
}
# ct_hook NAME: a hook run in the container's namespaces after pivot_root
# (container paths).  createContainer runs before pivot_root, its paths
# those of the runtime namespace: it is a host_hook here.
ct_hook ()
{
  jq -n --arg n "$1" \
    '{ path: "/bin/sh", args: ["sh", "-c", "cat > /\($n).json; echo \($n) >> /hooklog"] }'
}
edit_config "$b" '.hooks = {
    prestart: [$pre], createRuntime: [$cr], createContainer: [$cc],
    startContainer: [$sc], poststart: [$post], poststop: [$stop] }' \
  --argjson pre "$(host_hook prestart)" --argjson cr "$(host_hook createRuntime)" \
  --argjson cc "$(host_hook createContainer)" --argjson sc "$(ct_hook startContainer)" \
  --argjson post "$(host_hook poststart)" --argjson stop "$(host_hook poststop)"

words () { tr '\n' ' ' < "$log" 2>/dev/null | sed 's/ $//'; }
# before A B: hook A ran before hook B.
before ()
{
  _a=$(grep -n "^$1\$" "$log" | cut -d: -f1)
  _b=$(grep -n "^$2\$" "$log" | cut -d: -f1)
  [ -n "$_a" ] && [ -n "$_b" ] && [ "$_a" -lt "$_b" ]
}
has () { grep -qx "$1" "$log" 2>/dev/null; }

id=$(new_id)
truth "create with every kind of hook succeeds" rt create --bundle "$b" "$id"
truth "create ran prestart" has prestart
truth "create ran createRuntime" has createRuntime
truth "create ran createContainer" has createContainer
truth "createRuntime ran before createContainer" before createRuntime createContainer
falsity "create did not run startContainer" has startContainer
falsity "create did not run poststart" has poststart
truth "start succeeds" rt start "$id"
truth "start ran startContainer, then poststart" before startContainer poststart
falsity "start did not run poststop" has poststop
rt kill "$id" TERM
wait_status "$id" stopped
truth "delete succeeds" rt delete "$id"
is "hooks in order: create, start, delete" "$(words)" \
  "prestart createRuntime createContainer startContainer poststart poststop"
for h in prestart createContainer poststart poststop; do
  is "$h got the state on stdin (id)" \
    "$(jq -r .id "$b/rootfs/$h.json" 2>/dev/null)" "$id"
done
is "poststart got the state on stdin (bundle)" \
  "$(jq -r .bundle "$b/rootfs/poststart.json" 2>/dev/null)" "$b"

# A failing prestart hook fails create and leaves no container.
fail='{ "path": "/bin/false" }'
cp "$b/config.json" "$b/config.json.hooks"
edit_config "$b" '.hooks = { prestart: [$f] }' --argjson f "$fail"
id=$(new_id)
falsity "create with a failing prestart hook fails" rt create --bundle "$b" "$id"
falsity "... and leaves no container" rt state "$id"

# A failing poststart hook: the spec (1.0.2): log a warning, the remaining
# hooks and the lifecycle go on as if it had succeeded.
rm -f "$log"
edit_config "$b" '.hooks = { poststart: [$f, $post] }' --argjson f "$fail" \
  --argjson post "$(host_hook poststart)"
id=$(new_id)
rt create --bundle "$b" "$id"
rt start "$id" > /dev/null 2>&1
truth "after a failing poststart hook the next one runs" has poststart
is "after a failing poststart hook the container runs" "$(state_field "$id" .status)" running
rt delete --force "$id" > /dev/null 2>&1

# A failing poststop hook: delete goes on (the spec: log a warning and
# continue) and the container is gone.
rm -f "$log"
edit_config "$b" '.hooks = { poststop: [$f, $stop] }' --argjson f "$fail" \
  --argjson stop "$(host_hook poststop)"
id=$(new_id)
rt create --bundle "$b" "$id" && rt start "$id" && rt kill "$id" KILL
wait_status "$id" stopped
rt delete "$id" > /dev/null 2>&1
falsity "after a failing poststop hook the container is deleted" rt state "$id"

finish
