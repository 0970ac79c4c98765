#include "runtime/lib/runtime-opts.h"

mc_runtime_opts_t mc_runtime_opts;
