/* libFuzzer target: config.json.  Built by tests/fuzz/run-fuzzers.sh.  */
#include <stddef.h>
#include <stdint.h>

#include "spec/runtime-config.h"
#include "tests/fuzz/round-trip.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  FUZZ_ROUND_TRIP (spec_runtime_config_t, spec_runtime_config_parse,
                   spec_runtime_config_generate, spec_runtime_config_free,
                   data, size);
  return 0;
}
