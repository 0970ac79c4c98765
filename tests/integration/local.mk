# Shell TAP tests of the built minirun (they need root; see lib.sh).
integration_tests = \
	tests/integration/cli.sh \
	tests/integration/run-basic.sh \
	tests/integration/run-signals.sh \
	tests/integration/run-errors.sh \
	tests/integration/run-mounts.sh \
	tests/integration/run-terminal.sh
TESTS += $(integration_tests)
EXTRA_DIST += tests/integration/lib.sh $(integration_tests)
