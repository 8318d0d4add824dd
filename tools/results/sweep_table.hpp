// A sweep's table: one row per grid point with the seeds run, how many had a violation (and the
// rate), how many failed by the exploration's judge, and the chosen metric's median, p90 and mean
// across seeds. Rendered as Markdown (stdout), CSV (`--sweep-csv`) and JSON (in `--json`).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tools/engine/sweep.hpp"

namespace lockstep::tools {

struct SweepRow {
  std::vector<std::string> values;   // one per axis
  uint64_t seeds = 0;                // completed
  uint64_t violated = 0;             // seeds with any violated checker
  uint64_t failures = 0;             // seeds failed by the judge
  double violation_rate = 0;         // violated / seeds (0 without seeds)
  std::optional<double> metric_p50;  // nullopt: no seed reported the metric
  std::optional<double> metric_p90;
  std::optional<double> metric_mean;
};

// The metric a sweep shows when none is asked for: the first metric the runs report.
std::string default_sweep_metric(const SweepResult& sweep);
// Throws sim::InputError naming --plot-metric when no run reports `metric` (with a suggestion).
void check_sweep_metric(const SweepResult& sweep, const std::string& metric);

std::vector<SweepRow> sweep_rows(const SweepResult& sweep);
std::string sweep_markdown(const SweepResult& sweep);
std::string sweep_csv(const SweepResult& sweep);
// {axes: [{key, values}], metric, unit, rows: [{values: {key: value}, seeds, violated,
// violation_rate, failures, metric: {p50, p90, mean}}]}; no timings, so it is deterministic.
nlohmann::json sweep_json(const SweepResult& sweep);

}  // namespace lockstep::tools
