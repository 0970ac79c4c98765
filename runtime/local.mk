# The runtime: a library that does the work (runtime/lib, never sees argv)
# and the CLI that parses arguments and calls it (runtime/cli).
noinst_LIBRARIES += runtime/libminirun.a
runtime_libminirun_a_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS)
runtime_libminirun_a_SOURCES = \
	runtime/lib/container-id.c runtime/lib/container-id.h \
	runtime/lib/container.c runtime/lib/container.h \
	runtime/lib/devices.c runtime/lib/devices.h \
	runtime/lib/init.c runtime/lib/init.h \
	runtime/lib/mount-cgroup.c \
	runtime/lib/mounts.c runtime/lib/mounts.h \
	runtime/lib/namespaces.c runtime/lib/namespaces.h \
	runtime/lib/process.c runtime/lib/process.h \
	runtime/lib/resolve.c runtime/lib/resolve.h \
	runtime/lib/rootfs.c runtime/lib/rootfs.h \
	runtime/lib/signals.c runtime/lib/signals.h \
	runtime/lib/spec-default.c runtime/lib/spec-default.h \
	runtime/lib/state-dir.c runtime/lib/state-dir.h \
	runtime/lib/sync.c runtime/lib/sync.h \
	runtime/lib/terminal.c runtime/lib/terminal.h

sbin_PROGRAMS += minirun
minirun_SOURCES = \
	runtime/cli/cli.h \
	runtime/cli/main.c \
	runtime/cli/run.c \
	runtime/cli/spec.c
minirun_LDADD = runtime/libminirun.a spec/libspec.a common/libcommon.a \
	$(YAJL_LIBS) $(SECCOMP_LIBS) $(LIBCAP_LIBS)
