/* libFuzzer target: the state and features documents.  */
#include <stddef.h>
#include <stdint.h>

#include "spec/state.h"
#include "tests/fuzz/round-trip.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  FUZZ_ROUND_TRIP (spec_state_t, spec_state_parse, spec_state_generate,
                   spec_state_free, data, size);
  FUZZ_ROUND_TRIP (spec_features_t, spec_features_parse, spec_features_generate,
                   spec_features_free, data, size);
  return 0;
}
