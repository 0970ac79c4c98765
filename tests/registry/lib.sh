# Shared by tests/integration/registry-*.sh (sourced, POSIX sh): TAP output,
# a work directory removed on exit, registries stopped on exit, and the
# image layout the tests push.
#
#   . "$abs_top_srcdir/tests/registry/lib.sh"
#   reg_require docker-registry skopeo      # or: 1..0 # SKIP
#   reg_start basic                         # sets $host; $reg_dir: state
#   reg_ok "name" cmd...                    # ok when cmd succeeds
#   reg_fails "name" PATTERN cmd...         # ok when it fails saying PATTERN
#   reg_done                                # plan line, exit status
# The last command's stdout/stderr are in $work/out and $work/err.

set -u
: "${abs_top_srcdir:?run through make check}" "${abs_top_builddir:?run through make check}"
fixtures=$abs_top_srcdir/tests/registry
fetch=$abs_top_builddir/tests/unit/registry-fetch-test
python=${PYTHON:-/usr/bin/python3}
reg_count=0
reg_failed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/mcimg-registry-test.XXXXXX")
reg_dirs=

reg_cleanup() {
  for d in $reg_dirs; do "$fixtures/stop.sh" "$d"; done
  rm -rf "$work"
}
trap reg_cleanup EXIT
trap 'exit 1' INT TERM HUP

reg_skip_all() {
  echo "1..0 # SKIP $*"
  exit 0
}

# Skip the whole script when a tool or Python module is missing.
reg_require() {
  for tool in "$@"; do
    case "$tool" in
      docker-registry) [ -x "${DOCKER_REGISTRY:-/usr/bin/docker-registry}" ] || reg_skip_all "no docker-registry (apt-get install docker-registry)" ;;
      py:*) "$python" -c "import ${tool#py:}" 2>/dev/null || reg_skip_all "no Python module ${tool#py:} for $python" ;;
      *) command -v "$tool" >/dev/null 2>&1 || reg_skip_all "no $tool" ;;
    esac
  done
  [ -x "$fetch" ] || reg_skip_all "no $fetch"
}

# reg_start MODE [START-SCRIPT ARGS]: start a registry in $work/MODE; sets
# reg_dir and host.  Not to be called in a subshell (the cleanup must know).
reg_start() {
  reg_dir=$work/$1
  mkdir -p "$reg_dir"
  reg_dirs="$reg_dirs $reg_dir"
  if [ "$1" = fake ]; then
    host=$("$fixtures/start-fake.sh" "$reg_dir" "$layout")
  else
    host=$("$fixtures/start.sh" "$1" "$reg_dir")
  fi
}

reg_result() {
  reg_count=$((reg_count + 1))
  if [ "$1" = 0 ]; then
    echo "ok $reg_count - $2"
  else
    reg_failed=$((reg_failed + 1))
    echo "not ok $reg_count - $2"
    sed 's/^/# /' "$work/err" "$work/out" 2>/dev/null | head -20
  fi
}

reg_ok() {
  name=$1; shift
  if "$@" >"$work/out" 2>"$work/err"; then reg_result 0 "$name"; else reg_result 1 "$name"; fi
}

reg_fails() {
  name=$1 pattern=$2; shift 2
  if "$@" >"$work/out" 2>"$work/err"; then
    echo "# unexpectedly succeeded" >>"$work/err"
    reg_result 1 "$name"
  elif grep -qF -- "$pattern" "$work/err"; then
    reg_result 0 "$name"
  else
    echo "# expected: $pattern" >>"$work/err"
    reg_result 1 "$name"
  fi
}

# reg_check NAME CONDITION...: a plain assertion (a test(1) expression or
# any command).
reg_check() {
  name=$1; shift
  if "$@" >/dev/null 2>&1; then reg_result 0 "$name"; else reg_result 1 "$name"; fi
}

reg_done() {
  echo "1..$reg_count"
  [ "$reg_failed" -eq 0 ]
}

# Build the layout once: "single" (amd64) and "multi" (amd64, arm64, arm/v7).
reg_make_layout() {
  layout=$work/layout
  MAKE_IMAGE_RANDOM_KIB=${MAKE_IMAGE_RANDOM_KIB:-512} "$fixtures/make-image.sh" "$layout" single amd64 &&
    MAKE_IMAGE_RANDOM_KIB=${MAKE_IMAGE_RANDOM_KIB:-512} "$fixtures/make-image.sh" "$layout" multi amd64 arm64 arm/v7
}

# reg_push HOST TLSARGS...: push single as REPO:v1 and multi as REPO-multi:v1
# (skopeo options like --dest-tls-verify=false or --dest-cert-dir D).
reg_push() {
  host=$1 repo=$2; shift 2
  skopeo copy --quiet --insecure-policy "$@" "oci:$layout:single" "docker://$host/$repo:v1" &&
    skopeo copy --quiet --insecure-policy --all "$@" "oci:$layout:multi" "docker://$host/$repo-multi:v1"
}

# The sha256 of what skopeo sees as the raw manifest.
reg_skopeo_digest() {
  echo "sha256:$(skopeo inspect --raw "$@" | sha256sum | cut -d' ' -f1)"
}

# Every file in DIR named after its digest has that digest.
reg_blobs_verified() {
  n=0
  for f in "$1"/sha256:*; do
    [ "sha256:$(sha256sum "$f" | cut -d' ' -f1)" = "$(basename "$f")" ] || return 1
    n=$((n + 1))
  done
  [ "$n" -ge "${2:-1}" ]
}

# The storage file of a blob in a docker-registry started by reg_start.
reg_blob_file() {
  hex=${2#sha256:}
  echo "$1/storage/docker/registry/v2/blobs/sha256/$(echo "$hex" | cut -c1-2)/$hex/data"
}
