#!/bin/sh
# OCI hooks: who runs them when, their stdin, failure semantics, timeout.
. "$abs_top_srcdir/tests/integration/lib.sh"
. "$abs_top_srcdir/tests/integration/lifecycle-lib.sh"
require_root

plan 22

b=$TEST_TMP/bundle
make_bundle "$b"
edit_config "$b" '.root.readonly = false'
set_args "$b" sleep 1000
cp "$b/config.json" "$b/config.json.orig"
h=$TEST_TMP/hooks
mkdir -p "$h"

# hook.sh KIND DIR [STATUS]: save stdin as DIR/KIND.json, note KIND in
# DIR/order, exit with STATUS.
cat > "$TEST_TMP/hook.sh" <<'SH'
#!/bin/sh
cat > "$2/$1.json"
echo "$1" >> "$2/order"
exit "${3:-0}"
SH
chmod +x "$TEST_TMP/hook.sh"
cp "$TEST_TMP/hook.sh" "$b/rootfs/hook.sh"

# set_hooks JQ-OBJECT: .hooks = that, with $hook the host script, $dir
# the host directory.
set_hooks ()
{
  reset_config "$b"
  edit_config "$b" ".hooks = $1" --arg hook "$TEST_TMP/hook.sh" --arg dir "$h"
}
hk () { printf '{"path": $hook, "args": ["hook.sh", "%s", $dir%s]%s}' "$1" "${2:+, \"$2\"}" "${3:+, \"timeout\": $3}"; }

set_hooks "{prestart: [$(hk prestart)], createRuntime: [$(hk createRuntime)],
  createContainer: [$(hk createContainer)],
  startContainer: [{path: \"/hook.sh\", args: [\"hook.sh\", \"startContainer\", \"/tmp\"]}],
  poststart: [$(hk poststart)], poststop: [$(hk poststop)]}"
rm -f "$b/rootfs/tmp/order" "$b/rootfs/tmp/startContainer.json"
check "create with every kind of hook" ct_create c1
pid=$(cat "$TEST_TMP/c1.pid")
is "create ran prestart, createRuntime, createContainer in order" \
  "$(cat "$h/order" | tr '\n' ' ')" "prestart createRuntime createContainer "
is "createRuntime's stdin: the state" \
  "$(jq -r '[.ociVersion != null, .id, .status, .pid, .bundle] | map(tostring) | join(" ")' "$h/createRuntime.json")" \
  "true c1 creating $pid $b"
is "createContainer's stdin has the host pid too" "$(jq -r .pid "$h/createContainer.json")" "$pid"
check "startContainer has not run yet" test ! -e "$b/rootfs/tmp/startContainer.json"
check "start" mr start c1
check "startContainer ran in the container" wait_for_file "$b/rootfs/tmp/startContainer.json"
is "startContainer's state" "$(jq -r '.id + " " + .status' "$b/rootfs/tmp/startContainer.json")" "c1 created"
is "poststart ran after start, with status running" \
  "$(tail -n1 "$h/order") $(jq -r .status "$h/poststart.json")" "poststart running"
check "delete -f" mr delete -f c1
is "poststop ran at delete, with status stopped" \
  "$(tail -n1 "$h/order") $(jq -r .status "$h/poststop.json")" "poststop stopped"

# Failures.
rm -f "$h/order"
set_hooks "{createRuntime: [$(hk createRuntime "" ) , $(hk second)]}"
edit_config "$b" '.hooks.createRuntime[0].args += ["3"]'
mr create -b "$b" f1 < /dev/null > /dev/null 2> "$TEST_TMP/err"
is "a failing createRuntime hook fails create" "$?" 1
check "with a message naming it" grep -q "createRuntime hook 0 .*exited with status 3" "$TEST_TMP/err"
is "later hooks do not run" "$(cat "$h/order")" createRuntime
check_no_leftovers "and nothing is left" f1 "$b"

set_hooks "{createContainer: [$(hk createContainer "" ) ]}"
edit_config "$b" '.hooks.createContainer[0].args += ["1"]'
mr create -b "$b" f2 < /dev/null > /dev/null 2> "$TEST_TMP/err"
is "a failing createContainer hook fails create" "$?" 1
check_no_leftovers "and nothing is left" f2 "$b"

set_hooks '{startContainer: [{path: "/hook.sh", args: ["hook.sh", "startContainer", "/tmp", "5"]}]}'
set_args "$b" true
run_ct f3 -b "$b"
is "a failing startContainer hook fails run" "$RC:$(printf '%s' "$ERR" | grep -c 'startContainer hook 0')" "1:1"
check_no_leftovers "and nothing is left" f3 "$b"

set_hooks "{poststart: [$(hk poststart "" )]}"
edit_config "$b" '.hooks.poststart[0].args += ["1"]'
set_args "$b" true
run_ct f4 -b "$b"
is "a failing poststart hook is only a warning" "$RC:$(printf '%s' "$ERR" | grep -c 'warning: poststart hook 0')" "0:1"

set_hooks '{createRuntime: [{path: "/bin/sleep", args: ["sleep", "30"], timeout: 1}]}'
start=$(date +%s)
mr create -b "$b" f5 < /dev/null > /dev/null 2> "$TEST_TMP/err"
rc=$?
is "a hook past its timeout is killed and fails create" \
  "$rc:$(grep -c 'timed out after 1 s' "$TEST_TMP/err"):$(($(date +%s) - start < 5))" "1:1:1"
check_no_leftovers "and nothing is left" f5 "$b"

finish
