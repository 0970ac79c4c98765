# man pages
dist_man_MANS += \
	man/minirun.8 \
	man/minirun-run.8 \
	man/minirun-spec.8
