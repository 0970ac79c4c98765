# layer unpacking: imagetool/lib/unpack*.c, safe-path.c (owner: unpacker)
imagetool_libmcimg_a_SOURCES += \
	imagetool/lib/safe-path.c imagetool/lib/safe-path.h \
	imagetool/lib/unpack.h imagetool/lib/unpack-internal.h \
	imagetool/lib/unpack-entry.c \
	imagetool/lib/unpack-state.c \
	imagetool/lib/unpack-stream.c \
	imagetool/lib/unpack-tar.c \
	imagetool/lib/unpack-whiteout.c

if HAVE_CMOCKA
UNPACK_TEST_CFLAGS = $(AM_CFLAGS) $(ARCHIVE_CFLAGS) $(CMOCKA_CFLAGS)
UNPACK_TEST_LDADD = $(MCIMG_LIBS) $(CMOCKA_LIBS)
UNPACK_TEST_LIB = tests/unit/unpack-testlib.c tests/unit/unpack-testlib.h

check_PROGRAMS += tests/unit/unpack-test tests/unit/unpack-escape-test \
	tests/unit/unpack-layer-test
TESTS += tests/unit/unpack-test tests/unit/unpack-escape-test \
	tests/unit/unpack-layer-test

tests_unit_unpack_test_SOURCES = tests/unit/unpack-test.c $(UNPACK_TEST_LIB)
tests_unit_unpack_test_CFLAGS = $(UNPACK_TEST_CFLAGS)
tests_unit_unpack_test_LDADD = $(UNPACK_TEST_LDADD)

tests_unit_unpack_escape_test_SOURCES = tests/unit/unpack-escape-test.c $(UNPACK_TEST_LIB)
tests_unit_unpack_escape_test_CFLAGS = $(UNPACK_TEST_CFLAGS)
tests_unit_unpack_escape_test_LDADD = $(UNPACK_TEST_LDADD)

tests_unit_unpack_layer_test_SOURCES = tests/unit/unpack-layer-test.c $(UNPACK_TEST_LIB)
tests_unit_unpack_layer_test_CFLAGS = $(UNPACK_TEST_CFLAGS)
tests_unit_unpack_layer_test_LDADD = $(UNPACK_TEST_LDADD)
endif
