noinst_LIBRARIES += common/libcommon.a
common_libcommon_a_SOURCES = \
	common/cleanup.h \
	common/error.c common/error.h \
	common/fdpass.c common/fdpass.h \
	common/fileutil.c common/fileutil.h \
	common/userns.c common/userns.h \
	common/xalloc.c common/xalloc.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/fileutil-test
TESTS += tests/unit/fileutil-test
tests_unit_fileutil_test_SOURCES = tests/unit/fileutil-test.c
tests_unit_fileutil_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_fileutil_test_LDADD = common/libcommon.a $(CMOCKA_LIBS)
endif
