noinst_LIBRARIES += spec/libspec.a
spec_libspec_a_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS)
spec_libspec_a_SOURCES = \
	spec/json-desc.c spec/json-desc.h \
	spec/json-generate.c \
	spec/json-internal.h \
	spec/json-parse.c \
	spec/runtime-config.c spec/runtime-config.h \
	spec/seccomp-names.c spec/seccomp-names.h \
	spec/state.c spec/state.h \
	spec/image.c spec/image.h \
	spec/image-media.c
