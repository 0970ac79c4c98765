noinst_LIBRARIES += runtime/libminirun.a
runtime_libminirun_a_SOURCES = \
	runtime/lib/container.h
sbin_PROGRAMS += minirun
minirun_SOURCES = runtime/cli/main.c
minirun_LDADD = runtime/libminirun.a spec/libspec.a common/libcommon.a \
	$(YAJL_LIBS) $(SECCOMP_LIBS) $(LIBCAP_LIBS)
