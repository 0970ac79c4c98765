# Shell TAP tests of the built minirun (they need root; see lib.sh).
integration_tests = \
	tests/integration/cli.sh \
	tests/integration/run-basic.sh \
	tests/integration/run-signals.sh \
	tests/integration/run-errors.sh \
	tests/integration/run-mounts.sh \
	tests/integration/run-no-pivot.sh \
	tests/integration/run-mount-attrs.sh \
	tests/integration/run-idmap.sh \
	tests/integration/run-userns-join.sh \
	tests/integration/run-terminal.sh \
	tests/integration/run-sysctl.sh \
	tests/integration/run-process-attrs.sh
TESTS += $(integration_tests)
EXTRA_DIST += tests/integration/lib.sh $(integration_tests)

# Run inside containers by run-no-pivot.sh: static, as the rootfs is
# busybox's, and so built without the configured CFLAGS and LDFLAGS (a
# sanitizer build cannot link statically).
check_SCRIPTS = tests/integration/chroot-escape-probe
tests/integration/chroot-escape-probe: $(srcdir)/tests/integration/chroot-escape-probe.c
	$(AM_V_CCLD)$(MKDIR_P) tests/integration && \
	  $(CC) -std=gnu11 -O2 -Wall -static -o $@ \
	    $(srcdir)/tests/integration/chroot-escape-probe.c
CLEANFILES += tests/integration/chroot-escape-probe
EXTRA_DIST += tests/integration/chroot-escape-probe.c

# Security: capabilities, seccomp (with a notify agent), LSM errors, and
# regression tests for the container-escape CVEs of other runtimes.
check_PROGRAMS += tests/integration/seccomp-agent
tests_integration_seccomp_agent_SOURCES = tests/integration/seccomp-agent.c
tests_integration_seccomp_agent_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS)
tests_integration_seccomp_agent_LDADD = $(SECCOMP_LIBS)
check_PROGRAMS += tests/integration/protect-binary-probe
tests_integration_protect_binary_probe_SOURCES = tests/integration/protect-binary-probe.c
tests_integration_protect_binary_probe_CFLAGS = $(AM_CFLAGS) $(LIBCAP_CFLAGS) $(SECCOMP_CFLAGS)
tests_integration_protect_binary_probe_LDADD = runtime/libminirun.a spec/libspec.a \
	common/libcommon.a $(YAJL_LIBS) $(SECCOMP_LIBS) $(LIBCAP_LIBS) $(SYSTEMD_LIBS)
security_integration_tests = \
	tests/integration/security-caps.sh \
	tests/integration/security-seccomp.sh \
	tests/integration/security-lsm.sh \
	tests/integration/security-paths.sh \
	tests/integration/security-protect-binary.sh \
	tests/integration/cve-2019-5736.sh \
	tests/integration/cve-2019-16884.sh \
	tests/integration/cve-2021-30465.sh \
	tests/integration/cve-2022-29162.sh \
	tests/integration/cve-2024-21626.sh
TESTS += $(security_integration_tests)
EXTRA_DIST += $(security_integration_tests)

# Cgroups on this (v1/hybrid) host.
TESTS += tests/integration/cgroup-v1.sh
EXTRA_DIST += tests/integration/cgroup-v1.sh
TESTS += tests/integration/manage-cgroup-v1.sh
EXTRA_DIST += tests/integration/manage-cgroup-v1.sh
# Where init starts (CLONE_INTO_CGROUP); the systemd driver without systemd.
TESTS += tests/integration/cgroup-placement.sh
EXTRA_DIST += tests/integration/cgroup-placement.sh
# Cgroup v2, in the throw-away VM (one boot for every check).
if ENABLE_VM_TESTS
TESTS += tests/integration/cgroup-v2.sh
endif
EXTRA_DIST += tests/integration/cgroup-v2.sh tests/integration/cgroup-v2-guest.sh
# The systemd cgroup driver, in the same VM booted with systemd as PID 1.
if ENABLE_VM_TESTS
TESTS += tests/integration/vm-systemd.sh
endif
EXTRA_DIST += tests/integration/vm-systemd.sh tests/integration/systemd-guest.sh
# ... and with systemd in its hybrid mode (v1 controllers).
if ENABLE_VM_TESTS
TESTS += tests/integration/vm-systemd-hybrid.sh
endif
EXTRA_DIST += tests/integration/vm-systemd-hybrid.sh \
	tests/integration/systemd-hybrid-guest.sh
# The conformance checks side by side with runc, in the same VM.
if ENABLE_VM_TESTS
TESTS += tests/integration/vm-conformance.sh
endif
EXTRA_DIST += tests/integration/vm-conformance.sh

# The detached lifecycle (create/start/state/kill/delete/list), logging,
# crash recovery, parallel creates.
lifecycle_integration_tests = \
	tests/integration/lifecycle-basic.sh \
	tests/integration/lifecycle-crash.sh \
	tests/integration/lifecycle-fds.sh \
	tests/integration/lifecycle-log.sh \
	tests/integration/lifecycle-parallel.sh \
	tests/integration/lifecycle-ps.sh \
	tests/integration/lifecycle-state.sh
TESTS += $(lifecycle_integration_tests)
EXTRA_DIST += tests/integration/lifecycle-lib.sh $(lifecycle_integration_tests)

# OCI hooks (prestart … poststop).
TESTS += tests/integration/hooks-basic.sh
EXTRA_DIST += tests/integration/hooks-basic.sh

# minirun exec, and exec with a terminal (a console-socket receiver).
TESTS += tests/integration/exec-terminal.sh
EXTRA_DIST += tests/integration/exec-terminal.sh tests/integration/console-recv.py
TESTS += tests/integration/exec-basic.sh
EXTRA_DIST += tests/integration/exec-basic.sh

# The bash completions in contrib/completion against the binaries' --help.
TESTS += tests/integration/completion.sh
EXTRA_DIST += tests/integration/completion.sh

# mcimg bundle beyond mcimg-bundle.sh: a 120-layer image, and the options
# as the container sees them under minirun (cgroup limits, network, mounts).
mcimg_bundle_run_tests = \
	tests/integration/mcimg-bundle-layers.sh \
	tests/integration/mcimg-bundle-options.sh
TESTS += $(mcimg_bundle_run_tests)
EXTRA_DIST += $(mcimg_bundle_run_tests)

# The runtime-spec conformance checks, side by side with runc.
TESTS += tests/integration/conformance.sh
EXTRA_DIST += tests/integration/conformance.sh
