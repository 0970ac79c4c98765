# The runtime: a library that does the work (runtime/lib, never sees argv)
# and the CLI that parses arguments and calls it (runtime/cli).
noinst_LIBRARIES += runtime/libminirun.a
runtime_libminirun_a_CFLAGS = $(AM_CFLAGS) $(YAJL_CFLAGS) $(LIBCAP_CFLAGS) $(SECCOMP_CFLAGS) \
	$(SYSTEMD_CFLAGS)
runtime_libminirun_a_SOURCES = \
	runtime/lib/clone-init.c runtime/lib/clone-init.h \
	runtime/lib/console-socket.c runtime/lib/console-socket.h \
	runtime/lib/container-id.c runtime/lib/container-id.h \
	runtime/lib/container.c runtime/lib/container.h \
	runtime/lib/devices.c runtime/lib/devices.h \
	runtime/lib/exec.c runtime/lib/exec.h \
	runtime/lib/features.c runtime/lib/features.h \
	runtime/lib/hooks.c runtime/lib/hooks.h \
	runtime/lib/idmap.c runtime/lib/idmap.h \
	runtime/lib/init.c runtime/lib/init.h \
	runtime/lib/lifecycle.c runtime/lib/lifecycle.h \
	runtime/lib/manage.c runtime/lib/manage.h \
	runtime/lib/mount-cgroup.c \
	runtime/lib/mounts.c runtime/lib/mounts.h \
	runtime/lib/namespaces.c runtime/lib/namespaces.h \
	runtime/lib/process.c runtime/lib/process.h \
	runtime/lib/resolve.c runtime/lib/resolve.h \
	runtime/lib/runtime-opts.c runtime/lib/runtime-opts.h \
	runtime/lib/rootfs.c runtime/lib/rootfs.h \
	runtime/lib/signals.c runtime/lib/signals.h \
	runtime/lib/spec-default.c runtime/lib/spec-default.h \
	runtime/lib/state-dir.c runtime/lib/state-dir.h \
	runtime/lib/stats-json.c runtime/lib/stats-json.h \
	runtime/lib/sync.c runtime/lib/sync.h \
	runtime/lib/sysctl.c runtime/lib/sysctl.h \
	runtime/lib/terminal.c runtime/lib/terminal.h

sbin_PROGRAMS += minirun
minirun_SOURCES = \
	runtime/cli/cli.h \
	runtime/cli/create.c \
	runtime/cli/events.c \
	runtime/cli/exec.c \
	runtime/cli/features.c \
	runtime/cli/lifecycle.c \
	runtime/cli/list.c \
	runtime/cli/log.c runtime/cli/log.h \
	runtime/cli/main.c \
	runtime/cli/pause.c \
	runtime/cli/ps.c \
	runtime/cli/run.c \
	runtime/cli/spec.c \
	runtime/cli/update.c
minirun_LDADD = runtime/libminirun.a spec/libspec.a common/libcommon.a \
	$(YAJL_LIBS) $(SECCOMP_LIBS) $(LIBCAP_LIBS) $(SYSTEMD_LIBS)

# Security setup: capabilities, seccomp, LSM labels and their order.
runtime_libminirun_a_SOURCES += \
	runtime/lib/capabilities.c runtime/lib/capabilities.h \
	runtime/lib/lsm.c runtime/lib/lsm.h \
	runtime/lib/seccomp.c runtime/lib/seccomp.h \
	runtime/lib/seccomp-notify.c runtime/lib/seccomp-notify.h \
	runtime/lib/security.c runtime/lib/security.h

# Cgroup manager: v1/hybrid, v2 and systemd drivers, BPF device filter.
runtime_libminirun_a_SOURCES += \
	runtime/lib/bpf-devices.c runtime/lib/bpf-devices.h \
	runtime/lib/cgroup.c runtime/lib/cgroup.h \
	runtime/lib/cgroup-convert.c runtime/lib/cgroup-convert.h \
	runtime/lib/cgroup-devices.c runtime/lib/cgroup-devices.h \
	runtime/lib/cgroup-file.c \
	runtime/lib/cgroup-path.c \
	runtime/lib/cgroup-systemd.c \
	runtime/lib/cgroup-v1.c \
	runtime/lib/cgroup-v2.c
