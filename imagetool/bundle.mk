# mcimg bundle, mount, unbundle, bundles: OCI runtime bundles from images.
imagetool_libmcimg_a_SOURCES += \
	imagetool/lib/bundle.c imagetool/lib/bundle.h \
	imagetool/lib/bundle-internal.h \
	imagetool/lib/bundle-config.c \
	imagetool/lib/bundle-mounts.c \
	imagetool/lib/bundle-opts.c \
	imagetool/lib/bundle-record.c \
	imagetool/lib/bundle-rootfs.c \
	imagetool/lib/bundle-userns.c \
	imagetool/lib/image-user.c imagetool/lib/image-user.h

mcimg_SOURCES += \
	imagetool/cli/bundle.c \
	imagetool/cli/bundles.c \
	imagetool/cli/mount.c \
	imagetool/cli/unbundle.c

dist_man_MANS += man/mcimg-bundle.1

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/bundle-opts-test tests/unit/bundle-user-test \
	tests/unit/bundle-userns-test
TESTS += tests/unit/bundle-opts-test tests/unit/bundle-user-test \
	tests/unit/bundle-userns-test
tests_unit_bundle_opts_test_SOURCES = tests/unit/bundle-opts-test.c
tests_unit_bundle_opts_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_bundle_opts_test_LDADD = $(MCIMG_LIBS) $(CMOCKA_LIBS)
tests_unit_bundle_user_test_SOURCES = tests/unit/bundle-user-test.c
tests_unit_bundle_user_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_bundle_user_test_LDADD = $(MCIMG_LIBS) $(CMOCKA_LIBS)
tests_unit_bundle_userns_test_SOURCES = tests/unit/bundle-userns-test.c
tests_unit_bundle_userns_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_bundle_userns_test_LDADD = $(MCIMG_LIBS) $(CMOCKA_LIBS)
endif

mcimg_bundle_tests = tests/integration/mcimg-bundle.sh \
	tests/integration/mcimg-userns.sh
TESTS += $(mcimg_bundle_tests)
EXTRA_DIST += $(mcimg_bundle_tests)
