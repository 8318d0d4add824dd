// One seed's concrete plan: every random choice a scenario leaves open (clock drift and offset
// drawn from distributions, fault times given as [a, b], the nemesis) made in one readable place
// before the run starts, so a run is the scenario + this plan and nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace lockstep::sim {

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

Plan resolve_plan(const Scenario& scenario, uint64_t seed);

// Swarm testing: a copy of `scenario` with, for this seed, the enabled nemesis fault kinds, the
// nemesis's mean gap and the network's loss drawn from the scenario's `swarm:` ranges. Returns
// the scenario unchanged when it declares no swarm. `choices` describes what was drawn.
Scenario apply_swarm(const Scenario& scenario, uint64_t seed, std::string* choices);

std::string describe_fault(const PlannedFault& f, const std::vector<NodeSpec>& nodes);

}  // namespace lockstep::sim
