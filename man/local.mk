# man pages
dist_man_MANS += \
	man/minirun.8 \
	man/minirun-run.8 \
	man/minirun-spec.8 \
	man/minirun-create.8 \
	man/minirun-start.8 \
	man/minirun-state.8 \
	man/minirun-kill.8 \
	man/minirun-delete.8 \
	man/minirun-list.8 \
	man/minirun-exec.8 \
	man/minirun-ps.8 \
	man/minirun-features.8 \
	man/mcimg-images.1 \
	man/mcimg-inspect.1 \
	man/mcimg-tag.1 \
	man/mcimg-rmi.1 \
	man/mcimg-prune.1 \
	man/mcimg-save.1 \
	man/mcimg-load.1 \
	man/mcimg-login.1 \
	man/mcimg-logout.1 \
	man/mcimg-mount.1 \
	man/mcimg-unbundle.1 \
	man/mcimg-bundles.1 \
	man/minirun-pause.8 \
	man/minirun-resume.8 \
	man/minirun-update.8 \
	man/minirun-events.8
