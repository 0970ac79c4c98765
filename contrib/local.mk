EXTRA_DIST += contrib/deps.sh contrib/test.sh contrib/demo.sh \
	tests/fixtures/make-busybox-bundle.sh .ci/run
