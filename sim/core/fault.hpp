// What the world is told to break and when: the fault kinds, their targets (a node, or a role
// resolved when the fault fires), and one seed's concrete plan (clocks and faults), made before
// the run starts (sim/scenario/plan.hpp resolves a scenario into it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/event.hpp"
#include "sim/core/time.hpp"

namespace lockstep::sim {

enum class FaultType : uint8_t { crash, pause, partition, cut, isolate, clock_step };
std::string_view fault_type_name(FaultType t);

// A node named in the file, or a role resolved when the fault fires ("holder", "leader").
struct Target {
  NodeIndex node = kNoNode;
  std::string role;  // non-empty: resolved at fire time
};

struct NodeClock {
  int64_t drift_ppb = 0;  // parts per billion; the clock runs at 1 + drift_ppb·1e-9
  int64_t offset_ns = 0;  // initial wall-clock offset from true time
};

struct PlannedFault {
  FaultType type;
  Instant at;
  Target target;
  std::optional<Duration> length;  // nullopt: never healed / restarted / resumed
  std::vector<std::vector<NodeIndex>> groups;
  std::vector<std::pair<NodeIndex, NodeIndex>> links;
  Duration by;
  std::string description;  // "pause c1 for 15s"
  bool from_nemesis = false;
};

struct Plan {
  uint64_t seed = 0;
  std::vector<NodeClock> clocks;     // by NodeIndex
  std::vector<PlannedFault> faults;  // by time, ties in declaration order
};

}  // namespace lockstep::sim
