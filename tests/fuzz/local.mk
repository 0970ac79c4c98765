# tests/fuzz: libFuzzer targets for the spec/ parsers.  They need clang's
# -fsanitize=fuzzer, so run-fuzzers.sh builds them itself; `make check` runs
# it (20 s per target, or $FUZZ_SECONDS) when configure found a working
# libFuzzer.
EXTRA_DIST += \
	tests/fuzz/run-fuzzers.sh \
	tests/fuzz/round-trip.h \
	tests/fuzz/fuzz-runtime-config.c \
	tests/fuzz/fuzz-image.c \
	tests/fuzz/fuzz-state.c \
	tests/fuzz/fuzz-seccomp-profile.c \
	tests/fuzz/json.dict \
	tests/fuzz/corpus/fuzz-runtime-config/full.json \
	tests/fuzz/corpus/fuzz-runtime-config/minimal.json \
	tests/fuzz/corpus/fuzz-runtime-config/maps.json \
	tests/fuzz/corpus/fuzz-image/descriptor.json \
	tests/fuzz/corpus/fuzz-image/digest.txt \
	tests/fuzz/corpus/fuzz-image/docker-manifest.json \
	tests/fuzz/corpus/fuzz-image/image-config.json \
	tests/fuzz/corpus/fuzz-image/oci-artifact-manifest.json \
	tests/fuzz/corpus/fuzz-image/oci-index.json \
	tests/fuzz/corpus/fuzz-image/oci-layout.json \
	tests/fuzz/corpus/fuzz-state/features.json \
	tests/fuzz/corpus/fuzz-state/state.json \
	tests/fuzz/corpus/fuzz-state/stopped.json \
	tests/fuzz/corpus/fuzz-seccomp-profile/profile.json \
	tests/fuzz/corpus/fuzz-seccomp-profile/groups.list

if ENABLE_FUZZING
TESTS += tests/fuzz/run-fuzzers.sh
endif
