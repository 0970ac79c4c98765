# tests/unit: cmocka unit tests (TAP through CMOCKA_MESSAGE_OUTPUT).
EXTRA_DIST += \
	tests/unit/data/config-full.json \
	tests/unit/data/docker-manifest.json \
	tests/unit/data/oci-index.json \
	tests/unit/data/image-config.json \
	tests/unit/data/features.json

if HAVE_CMOCKA
spec_unit_tests = \
	tests/unit/spec-config-test \
	tests/unit/spec-state-test \
	tests/unit/spec-image-test
check_PROGRAMS += $(spec_unit_tests)
TESTS += $(spec_unit_tests)

spec_unit_cppflags = $(AM_CPPFLAGS) \
	-DTEST_DATA_DIR='"$(abs_top_srcdir)/tests/unit/data"'
spec_unit_cflags = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(YAJL_CFLAGS)
spec_unit_ldadd = spec/libspec.a common/libcommon.a $(YAJL_LIBS) $(CMOCKA_LIBS)
spec_unit_util = tests/unit/spec-test-util.c tests/unit/spec-test-util.h

tests_unit_spec_config_test_SOURCES = tests/unit/spec-config-test.c $(spec_unit_util)
tests_unit_spec_config_test_CPPFLAGS = $(spec_unit_cppflags)
tests_unit_spec_config_test_CFLAGS = $(spec_unit_cflags)
tests_unit_spec_config_test_LDADD = $(spec_unit_ldadd)

tests_unit_spec_state_test_SOURCES = tests/unit/spec-state-test.c $(spec_unit_util)
tests_unit_spec_state_test_CPPFLAGS = $(spec_unit_cppflags)
tests_unit_spec_state_test_CFLAGS = $(spec_unit_cflags)
tests_unit_spec_state_test_LDADD = $(spec_unit_ldadd)

tests_unit_spec_image_test_SOURCES = tests/unit/spec-image-test.c $(spec_unit_util)
tests_unit_spec_image_test_CPPFLAGS = $(spec_unit_cppflags)
tests_unit_spec_image_test_CFLAGS = $(spec_unit_cflags)
tests_unit_spec_image_test_LDADD = $(spec_unit_ldadd)
endif

# Cgroup manager: pure parts (paths, conversions, device programs).
if HAVE_CMOCKA
cgroup_unit_tests = \
	tests/unit/cgroup-path-test \
	tests/unit/cgroup-bpf-test \
	tests/unit/cgroup-manager-test \
	tests/unit/cgroup-systemd-test
check_PROGRAMS += $(cgroup_unit_tests)
TESTS += $(cgroup_unit_tests)
cgroup_unit_cflags = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
cgroup_unit_ldadd = runtime/libminirun.a spec/libspec.a common/libcommon.a \
	$(YAJL_LIBS) $(SECCOMP_LIBS) $(LIBCAP_LIBS) $(SYSTEMD_LIBS) $(CMOCKA_LIBS)
tests_unit_cgroup_path_test_SOURCES = tests/unit/cgroup-path-test.c
tests_unit_cgroup_path_test_CFLAGS = $(cgroup_unit_cflags)
tests_unit_cgroup_path_test_LDADD = $(cgroup_unit_ldadd)
tests_unit_cgroup_bpf_test_SOURCES = tests/unit/cgroup-bpf-test.c
tests_unit_cgroup_bpf_test_CFLAGS = $(cgroup_unit_cflags)
tests_unit_cgroup_bpf_test_LDADD = $(cgroup_unit_ldadd)
tests_unit_cgroup_manager_test_SOURCES = tests/unit/cgroup-manager-test.c
tests_unit_cgroup_manager_test_CFLAGS = $(cgroup_unit_cflags)
tests_unit_cgroup_manager_test_LDADD = $(cgroup_unit_ldadd)
tests_unit_cgroup_systemd_test_SOURCES = tests/unit/cgroup-systemd-test.c
tests_unit_cgroup_systemd_test_CFLAGS = $(cgroup_unit_cflags)
tests_unit_cgroup_systemd_test_LDADD = $(cgroup_unit_ldadd)

# Management commands: update's sizes, events' durations and JSON.
check_PROGRAMS += tests/unit/manage-test
TESTS += tests/unit/manage-test
tests_unit_manage_test_SOURCES = tests/unit/manage-test.c
tests_unit_manage_test_CFLAGS = $(cgroup_unit_cflags) $(YAJL_CFLAGS)
tests_unit_manage_test_LDADD = $(cgroup_unit_ldadd)
endif

# Security name mappings and profile building (runtime/lib).
if HAVE_CMOCKA
security_unit_tests = \
	tests/unit/caps-names-test \
	tests/unit/seccomp-names-test \
	tests/unit/process-attrs-test \
	tests/unit/mount-options-test
check_PROGRAMS += $(security_unit_tests)
TESTS += $(security_unit_tests)
security_unit_cflags = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBCAP_CFLAGS) $(SECCOMP_CFLAGS)
security_unit_ldadd = runtime/libminirun.a spec/libspec.a common/libcommon.a \
	$(YAJL_LIBS) $(SECCOMP_LIBS) $(LIBCAP_LIBS) $(SYSTEMD_LIBS) $(CMOCKA_LIBS)
tests_unit_caps_names_test_SOURCES = tests/unit/caps-names-test.c
tests_unit_caps_names_test_CFLAGS = $(security_unit_cflags)
tests_unit_caps_names_test_LDADD = $(security_unit_ldadd)
tests_unit_seccomp_names_test_SOURCES = tests/unit/seccomp-names-test.c
tests_unit_seccomp_names_test_CFLAGS = $(security_unit_cflags)
tests_unit_seccomp_names_test_LDADD = $(security_unit_ldadd)
tests_unit_process_attrs_test_SOURCES = tests/unit/process-attrs-test.c
tests_unit_process_attrs_test_CFLAGS = $(security_unit_cflags)
tests_unit_process_attrs_test_LDADD = $(security_unit_ldadd)
tests_unit_mount_options_test_SOURCES = tests/unit/mount-options-test.c
tests_unit_mount_options_test_CFLAGS = $(security_unit_cflags)
tests_unit_mount_options_test_LDADD = $(security_unit_ldadd)
endif
