EXTRA_DIST += contrib/deps.sh contrib/test.sh contrib/demo.sh \
	tests/fixtures/make-busybox-bundle.sh .ci/run \
	tests/bench/runtime-bench.sh tests/bench/measure.py

bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = contrib/completion/minirun contrib/completion/mcimg
EXTRA_DIST += contrib/clients/README.md contrib/clients/containerd-config.toml \
	contrib/clients/kubernetes-runtimeclass.yaml \
	contrib/clients/podman-containers.conf
