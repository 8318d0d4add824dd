// The plan's parts, shared by its files (plan.cpp resolves fixed faults and clocks, nemesis.cpp
// expands a nemesis, describe.cpp names faults for people). Private to sim/scenario.
#pragma once

#include <string>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/scenario/plan.hpp"

namespace lockstep::sim::plan_detail {

void expand_nemesis(const NemesisSpec& n, const Scenario& s, Rng& rng,
                    std::vector<PlannedFault>& out);
std::string target_name(const Target& t, const std::vector<NodeSpec>& nodes);

}  // namespace lockstep::sim::plan_detail
