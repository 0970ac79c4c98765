# mcimg store, pull, image commands and the CLI (owner: store/pull).
imagetool_libmcimg_a_SOURCES += \
	imagetool/lib/store.c imagetool/lib/store.h \
	imagetool/lib/store-index.c \
	imagetool/lib/store-convert.c \
	imagetool/lib/pull.c imagetool/lib/pull.h \
	imagetool/lib/pull-layer.c imagetool/lib/pull-internal.h \
	imagetool/lib/pull-progress.c \
	imagetool/lib/images.c imagetool/lib/images.h \
	imagetool/lib/images-prune.c \
	imagetool/lib/images-archive.c \
	imagetool/lib/images-load.c

bin_PROGRAMS += mcimg
mcimg_SOURCES = \
	imagetool/cli/cli.h \
	imagetool/cli/main.c \
	imagetool/cli/pull.c \
	imagetool/cli/images.c \
	imagetool/cli/inspect.c \
	imagetool/cli/tag.c \
	imagetool/cli/rmi.c \
	imagetool/cli/prune.c \
	imagetool/cli/save.c \
	imagetool/cli/load.c \
	imagetool/cli/login.c
mcimg_CFLAGS = $(AM_CFLAGS)
mcimg_LDADD = $(MCIMG_LIBS)

dist_man_MANS += man/mcimg.1 man/mcimg-pull.1

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/store-index-test tests/unit/store-layer-test
TESTS += tests/unit/store-index-test tests/unit/store-layer-test
tests_unit_store_index_test_SOURCES = tests/unit/store-index-test.c
tests_unit_store_index_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_store_index_test_LDADD = $(MCIMG_LIBS) $(CMOCKA_LIBS)
tests_unit_store_layer_test_SOURCES = tests/unit/store-layer-test.c
tests_unit_store_layer_test_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_store_layer_test_LDADD = $(MCIMG_LIBS) $(CMOCKA_LIBS)
endif

mcimg_integration_tests = \
	tests/integration/mcimg-pull.sh \
	tests/integration/mcimg-errors.sh \
	tests/integration/mcimg-images.sh \
	tests/integration/mcimg-archive.sh \
	tests/integration/mcimg-diskfull.sh \
	tests/integration/mcimg-registries.sh
TESTS += $(mcimg_integration_tests)
EXTRA_DIST += $(mcimg_integration_tests) tests/integration/mcimg-lib.sh \
	tests/bench/pull-bench.sh docs/performance.md
