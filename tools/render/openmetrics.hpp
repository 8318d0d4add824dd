// A run's metrics as OpenMetrics text (`run --metrics out.prom`), for Prometheus-style tooling:
// one gauge family per metric, named `lockstep_` + the metric's name with dots as underscores
// (+ `_seconds` for times), labelled with the scenario and seed, ending with `# EOF`.
// docs/metrics.md explains every metric.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "checkers/metrics.hpp"

namespace lockstep::tools {

// "lock.wait_time.p50" in seconds -> "lockstep_lock_wait_time_p50_seconds".
std::string openmetrics_name(std::string_view metric, std::string_view unit);
// The OpenMetrics unit of a lockstep unit ("s" -> "seconds"); empty for plain counts.
std::string openmetrics_unit(std::string_view unit);
// The metrics a run reports, with their units and one line each on what they mean (the # HELP
// text; `list --json` lists them).
struct KnownMetric {
  std::string_view name;
  std::string_view unit;
  std::string_view meaning;
};
std::span<const KnownMetric> known_metrics();
// One line saying what the metric means (the # HELP text).
std::string openmetrics_help(std::string_view metric);

// A label value with \\, \" and \n escaped.
std::string openmetrics_label_value(std::string_view s);
// The shortest text that reads back as the same double; integers without a fraction; NaN, +Inf.
std::string openmetrics_number(double v);

// One metric family as the exporter writes it: what `run --metrics` and the generated Grafana
// dashboards (tools/docs/dashboard.hpp) both read, so a dashboard panel names a family the
// exporter really writes.
struct OpenMetricsFamily {
  std::string metric;  // the lockstep name: "lock.wait_time.p50"
  std::string name;    // "lockstep_lock_wait_time_p50_seconds"
  std::string unit;    // the # UNIT ("seconds"); empty for plain counts (no # UNIT line)
  std::string help;    // the # HELP text, unescaped
  double value = 0;
};
// The families of a run's metrics, in the order the exporter writes them.
std::vector<OpenMetricsFamily> openmetrics_families(const std::vector<checkers::Metric>& metrics);

std::string render_openmetrics(const std::vector<checkers::Metric>& metrics,
                               std::string_view scenario, uint64_t seed);

}  // namespace lockstep::tools
