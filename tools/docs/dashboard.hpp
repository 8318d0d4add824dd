// A Grafana dashboard (the classic dashboard JSON model) of the metric families a run exports:
// one panel per family, in the exporter's order, each querying that family for the dashboard's
// `scenario` variable. The `<!-- lockstep:dashboard scenario=F out=PATH -->` block writes it;
// the same inputs always give the same bytes (no timestamps, no random ids), so docs check can
// compare a committed file with a fresh rendering.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tools/render/openmetrics.hpp"

namespace lockstep::tools {

struct DashboardInput {
  std::string title;
  std::string description;
  std::string uid;             // dashboard_uid(out)
  std::string scenario_label;  // the `scenario` label the exporter writes: the variable's default
  std::vector<OpenMetricsFamily> families;
};

// "lockstep-" + 16 hex digits of the out path's hash: stable across renderings and machines,
// within Grafana's 40-character limit, different for every out path.
std::string dashboard_uid(std::string_view out);

// Grafana's unit for an OpenMetrics unit: "seconds" -> "s", no unit (a count) -> "none". A
// ratio here is per event, not a fraction of one, so it is "none" too (not "percentunit").
std::string grafana_unit(std::string_view openmetrics_unit);

// "stat" for a plain count (no # UNIT), "timeseries" for a family with a unit.
std::string panel_type(const OpenMetricsFamily& f);

// The dashboard as JSON text: keys in a fixed order, 2-space indent, a trailing newline.
std::string dashboard_json(const DashboardInput& in);

// "" when `out` (as the marker writes it) may be written; else why not: it must be a relative
// path inside the root, without `..`, naming a .json file.
std::string dashboard_out_problem(const std::string& out);

}  // namespace lockstep::tools
