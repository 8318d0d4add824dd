// A run's metrics as OpenMetrics text (`run --metrics out.prom`), for Prometheus-style tooling:
// one gauge family per metric, named `lockstep_` + the metric's name with dots as underscores
// (+ `_seconds` for times), labelled with the scenario and seed, ending with `# EOF`.
// docs/metrics.md explains every metric.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "checkers/metrics.hpp"

namespace lockstep::tools {

// "lock.wait_time.p50" in seconds -> "lockstep_lock_wait_time_p50_seconds".
std::string openmetrics_name(std::string_view metric, std::string_view unit);
// The OpenMetrics unit of a lockstep unit ("s" -> "seconds"); empty for plain counts.
std::string openmetrics_unit(std::string_view unit);
// One line saying what the metric means (the # HELP text).
std::string openmetrics_help(std::string_view metric);

std::string render_openmetrics(const std::vector<checkers::Metric>& metrics,
                               std::string_view scenario, uint64_t seed);

}  // namespace lockstep::tools
