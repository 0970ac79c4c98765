EXTRA_DIST += contrib/deps.sh contrib/test.sh contrib/demo.sh \
	tests/fixtures/make-busybox-bundle.sh .ci/run \
	tests/bench/runtime-bench.sh tests/bench/measure.py
