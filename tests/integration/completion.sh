#!/bin/bash
# The bash completions in contrib/completion: they offer every command the
# binaries' --help lists (so they cannot drift from the CLI), every long
# option of each minirun command, and the ids of existing containers.
. "$abs_top_srcdir/tests/integration/lib.sh"

# complete WORD...: run the completion function on the command line
# "WORD..." (the last word is being completed); print the candidates.
complete_line ()
{
  local fn=$1; shift
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  "$fn"
  printf '%s\n' "${COMPREPLY[@]}" | sort -u
}

help_commands ()
{
  "$1" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' | sort -u
}

# The long options a command's --help lists, without --help itself.
help_options ()
{
  "$MINIRUN" "$1" --help | grep -oE -- '--[a-z][a-z-]*' | grep -vx -- --help | sort -u
  return 0
}

# Completion calls the binaries by name.
bin=$TEST_TMP/bin
mkdir -p "$bin"
ln -s "$MINIRUN" "$bin/minirun"
ln -s "$abs_top_builddir/mcimg" "$bin/mcimg"
PATH=$bin:$PATH

. "$abs_top_srcdir/contrib/completion/minirun"
. "$abs_top_srcdir/contrib/completion/mcimg"

cmds=$(help_commands minirun)
plan $((4 + $(echo "$cmds" | wc -l)))

got=$(complete_line _minirun minirun "")
if [ "$got" = "$cmds" ]; then
  ok "minirun: the completion offers exactly the commands of --help"
else
  not_ok "minirun: the completion offers exactly the commands of --help" \
    "$(diff <(echo "$cmds") <(echo "$got"))"
fi

for c in $cmds; do
  [ "$c" = help ] && continue
  want=$(help_options "$c")
  got=$(complete_line _minirun minirun "$c" --)
  missing=$(comm -23 <(echo "$want") <(echo "$got") | grep -v '^$' | tr '\n' ' ')
  if [ -z "$missing" ]; then
    ok "minirun $c: every long option of --help is completed"
  else
    not_ok "minirun $c: every long option of --help is completed" "missing: $missing"
  fi
done

got=$(complete_line _mcimg mcimg "")
want=$(help_commands mcimg)
if [ "$got" = "$want" ]; then
  ok "mcimg: the completion offers exactly the commands of --help"
else
  not_ok "mcimg: the completion offers exactly the commands of --help" \
    "$(diff <(echo "$want") <(echo "$got"))"
fi

make_bundle "$TEST_TMP/b"
set_args "$TEST_TMP/b" sleep 30
mr create -b "$TEST_TMP/b" compl-ct >/dev/null 2>&1
got=$(complete_line _minirun minirun --root "$STATE_ROOT" kill compl)
check "minirun kill: container ids under --root are completed" test "$got" = compl-ct
mr delete -f compl-ct >/dev/null 2>&1

got=$(complete_line _minirun minirun --log-format "")
check "minirun --log-format: text and json" test "$(echo $got)" = "json text"

got=$(complete_line _mcimg mcimg pull --pl)
check "mcimg pull: options come from its --help" test "$got" = --platform
finish
