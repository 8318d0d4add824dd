#include "sim/core/fault.hpp"

namespace lockstep::sim {

std::string_view fault_type_name(FaultType t) {
  switch (t) {
    case FaultType::crash:
      return "crash";
    case FaultType::pause:
      return "pause";
    case FaultType::partition:
      return "partition";
    case FaultType::cut:
      return "cut";
    case FaultType::isolate:
      return "isolate";
    case FaultType::clock_step:
      return "clock_step";
  }
  return "?";
}

}  // namespace lockstep::sim
