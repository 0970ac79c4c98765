# Every test speaks TAP: shell tests natively, cmocka ones through
# CMOCKA_MESSAGE_OUTPUT=TAP.  tests/summarize.sh turns the .trs files into
# the closing "N passed, N failed" line that CI reads.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_DRIVER = $(LOG_DRIVER)
TEST_EXTENSIONS = .sh
AM_TESTS_ENVIRONMENT = \
	CMOCKA_MESSAGE_OUTPUT=TAP; export CMOCKA_MESSAGE_OUTPUT; \
	abs_top_srcdir='$(abs_top_srcdir)'; export abs_top_srcdir; \
	abs_top_builddir='$(abs_top_builddir)'; export abs_top_builddir;
EXTRA_DIST += tests/summarize.sh
# Benchmarks (run by hand, see docs/performance.md).
EXTRA_DIST += tests/bench/bundle-bench.sh tests/bench/make-bench-image.sh \
	tests/bench/pull-bench.sh docs/performance.md

include $(srcdir)/tests/unit/local.mk
include $(srcdir)/tests/integration/local.mk
include $(srcdir)/tests/fuzz/local.mk

# distcheck: the VM and the fuzzers have already run in the main build.
AM_DISTCHECK_CONFIGURE_FLAGS = --disable-vm-tests --disable-fuzzing

# Tests that boot the throw-away cgroup-v2 VM (tests/vm/).
vm_tests = tests/vm/selftest.sh tests/integration/vm-cgroup2.sh
if ENABLE_VM_TESTS
TESTS += $(vm_tests)
endif
EXTRA_DIST += $(vm_tests) tests/vm/run-in-vm.sh tests/vm/setup.sh \
	tests/vm/initramfs-init.sh tests/vm/guest-init.sh tests/vm/README.md

# Conformance side by side with runc (run by hand or by
# tests/integration/conformance.sh; see docs/conformance.md).
EXTRA_DIST += tests/conformance/run.sh tests/conformance/lib.sh \
	docs/conformance.md \
	tests/conformance/checks/config_updates.sh \
	tests/conformance/checks/delete_resources.sh \
	tests/conformance/checks/hooks.sh \
	tests/conformance/checks/killsig.sh \
	tests/conformance/checks/lifecycle.sh \
	tests/conformance/checks/linux_cgroups.sh \
	tests/conformance/checks/linux_devices.sh \
	tests/conformance/checks/linux_mounts.sh \
	tests/conformance/checks/linux_ns.sh \
	tests/conformance/checks/linux_seccomp.sh \
	tests/conformance/checks/misc_props.sh \
	tests/conformance/checks/pidfile.sh \
	tests/conformance/checks/process.sh
