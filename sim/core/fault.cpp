#include "sim/core/fault.hpp"

#include <cassert>
#include <iterator>

namespace lockstep::sim {

std::string_view fault_type_name(FaultType t) {
  constexpr std::string_view kNames[] = {
      "crash",      "pause",      "partition", "cut",  "isolate", "clock_step",
      "clock_rate", "disk_stall", "disk_slow", "link", "drop",    "partial_partition"};
  static_assert(std::size(kNames) == kFaultTypes);
  const auto i = static_cast<size_t>(t);
  assert(i < std::size(kNames));
  return kNames[i];
}

}  // namespace lockstep::sim
