#include "sim/core/fault.hpp"

#include <cassert>
#include <iterator>

namespace lockstep::sim {

std::string_view fault_type_name(FaultType t) {
  constexpr std::string_view kNames[] = {"crash", "pause",   "partition",
                                         "cut",   "isolate", "clock_step"};
  const auto i = static_cast<size_t>(t);
  assert(i < std::size(kNames));
  return kNames[i];
}

}  // namespace lockstep::sim
