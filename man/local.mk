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
	man/minirun-pause.8 \
	man/minirun-resume.8 \
	man/minirun-update.8 \
	man/minirun-events.8 \
	man/minirun-features.8
