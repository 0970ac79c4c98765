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
