// One seed's concrete plan: every random choice a scenario leaves open (clock drift and offset
// drawn from distributions, fault times given as [a, b], the nemesis) made in one readable place
// before the run starts, so a run is the scenario + this plan and nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/fault.hpp"
#include "sim/core/world.hpp"
#include "sim/scenario/scenario.hpp"

namespace lockstep::sim {

Plan resolve_plan(const Scenario& scenario, uint64_t seed);

// Swarm testing: a copy of `scenario` with, for this seed, the enabled nemesis fault kinds, the
// nemesis's mean gap and the network's loss drawn from the scenario's `swarm:` ranges. Returns
// the scenario unchanged when it declares no swarm. `choices` describes what was drawn.
Scenario apply_swarm(const Scenario& scenario, uint64_t seed, std::string* choices);

// The seed-independent part of a run of `scenario`, as the world takes it.
WorldConfig world_config(const Scenario& scenario);

std::string describe_fault(const PlannedFault& f, const std::vector<NodeSpec>& nodes);

}  // namespace lockstep::sim
