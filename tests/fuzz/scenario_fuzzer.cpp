// libFuzzer harness: the scenario loader through plan resolution and checker construction.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lockstep::fuzz::scenario_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
