noinst_LIBRARIES += spec/libspec.a
spec_libspec_a_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS)
spec_libspec_a_SOURCES = \
	spec/json-desc.h \
	spec/runtime-config.h \
	spec/state.h
