# Registry client: references, platforms, auth and the distribution API.
imagetool_libmcimg_a_SOURCES += \
	imagetool/lib/reference.c imagetool/lib/reference.h \
	imagetool/lib/platform.c imagetool/lib/platform.h \
	imagetool/lib/auth-file.c imagetool/lib/auth-file.h \
	imagetool/lib/registry-auth.c imagetool/lib/registry-auth.h \
	imagetool/lib/registry.c imagetool/lib/registry.h \
	imagetool/lib/registry-internal.h \
	imagetool/lib/registry-http.c \
	imagetool/lib/registry-fetch.c \
	imagetool/lib/registries-conf.c imagetool/lib/registries-conf.h

if HAVE_CMOCKA
registry_unit_tests = \
	tests/unit/reference-test \
	tests/unit/registry-platform-test \
	tests/unit/registry-auth-test \
	tests/unit/registry-authfile-test
check_PROGRAMS += $(registry_unit_tests)
TESTS += $(registry_unit_tests)
tests_unit_reference_test_SOURCES = tests/unit/reference-test.c
tests_unit_reference_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_reference_test_LDADD = $(MCIMG_LIBS) $(CMOCKA_LIBS)
tests_unit_registry_platform_test_SOURCES = tests/unit/registry-platform-test.c
tests_unit_registry_platform_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_registry_platform_test_LDADD = $(MCIMG_LIBS) $(CMOCKA_LIBS)
tests_unit_registry_auth_test_SOURCES = tests/unit/registry-auth-test.c
tests_unit_registry_auth_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_registry_auth_test_LDADD = $(MCIMG_LIBS) $(CMOCKA_LIBS)
tests_unit_registry_authfile_test_SOURCES = tests/unit/registry-authfile-test.c
tests_unit_registry_authfile_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_registry_authfile_test_LDADD = $(MCIMG_LIBS) $(CMOCKA_LIBS)
endif

# The integration tests drive the library through this program (until the
# mcimg CLI exists) against registries started by tests/registry/start.sh.
check_PROGRAMS += tests/unit/registry-fetch-test
tests_unit_registry_fetch_test_SOURCES = tests/unit/registry-fetch-test.c
tests_unit_registry_fetch_test_LDADD = $(MCIMG_LIBS)

# Integration tests (TAP): each starts its own registries on free loopback
# ports (tests/registry/start.sh) and stops them on exit; each skips itself
# when docker-registry, skopeo, htpasswd or python3-jwt are missing.
registry_integration_tests = \
	tests/integration/registry-http.sh \
	tests/integration/registry-tls.sh \
	tests/integration/registry-basic.sh \
	tests/integration/registry-token.sh \
	tests/integration/registry-faults.sh
TESTS += $(registry_integration_tests)
EXTRA_DIST += $(registry_integration_tests) \
	tests/registry/start.sh \
	tests/registry/stop.sh \
	tests/registry/start-fake.sh \
	tests/registry/lib.sh \
	tests/registry/make-image.sh \
	tests/registry/token-server.py \
	tests/registry/fake-registry.py \
	tests/registry/install-deps.sh
