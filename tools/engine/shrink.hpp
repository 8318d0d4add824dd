// Shrinking a failing run: the smallest scenario we can find in which the same checker is
// still violated with the same seed — delta debugging over the concrete fault list, then shorter
// durations and fault windows, then fewer nodes where the protocol still runs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "sim/scenario/scenario.hpp"

namespace lockstep::tools {

struct ShrinkStats {
  size_t faults = 0;
  sim::Duration duration;
  size_t nodes = 0;
  uint64_t events = 0;
};

struct ShrinkResult {
  sim::Scenario scenario;  // the smallest failing scenario found
  ShrinkStats before;
  ShrinkStats after;
  uint64_t runs = 0;  // how many candidate runs it took
};

// `scenario` must have concrete faults (an artifact, or a scenario without [a, b] times or a
// nemesis) and fail `checker` with `seed`. `log` hears one line per accepted step.
ShrinkResult shrink(const sim::Scenario& scenario, uint64_t seed, const std::string& checker,
                    const std::function<void(const std::string&)>& log);

}  // namespace lockstep::tools
