// Rendering run reports for people (text) and programs (JSON).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/scenario/scenario.hpp"
#include "tools/engine/runner.hpp"

namespace lockstep::tools {

std::string render_text(const sim::Scenario& scenario, const RunReport& report);
nlohmann::json render_json(const sim::Scenario& scenario, const RunReport& report);
// The verdicts and metrics sections on their own (shared by `run` and `check`); results and
// expectations are parallel.
std::string render_verdicts(const std::vector<checkers::CheckResult>& results,
                            const std::vector<ExpectationOutcome>& expectations,
                            const sim::TraceInfo& info);
std::string render_metrics(const std::vector<checkers::Metric>& metrics);
nlohmann::json verdicts_json(const std::vector<checkers::CheckResult>& results,
                             const std::vector<ExpectationOutcome>& expectations,
                             const sim::TraceInfo& info);
// One deciding event as data: times, node, kind, named fields, text, and the line people read.
nlohmann::json evidence_json(const checkers::Evidence& e, const sim::TraceInfo& info);
nlohmann::json metrics_json(const std::vector<checkers::Metric>& metrics);
// The value of a metric by name, or 0.
double metric(const RunReport& report, std::string_view name);
std::string format_rate(double per_second);

}  // namespace lockstep::tools
