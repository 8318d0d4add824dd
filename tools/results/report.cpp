#include "tools/results/report.hpp"

#include <cassert>
#include <cstdio>

namespace lockstep::tools {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return out;
}

std::string pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string format_metric(const checkers::Metric& m) {
  char buf[64];
  if (m.unit == "s") {
    std::snprintf(buf, sizeof buf, "%.3f s", m.value);
  } else if (m.unit == "count") {
    std::snprintf(buf, sizeof buf, "%.0f", m.value);
  } else {
    std::snprintf(buf, sizeof buf, "%g %s", m.value, m.unit.c_str());
  }
  return buf;
}

}  // namespace

double metric(const RunReport& report, std::string_view name) {
  for (const checkers::Metric& m : report.metrics) {
    if (m.name == name) return m.value;
  }
  return 0;
}

std::string format_rate(double per_second) {
  char buf[32];
  if (per_second >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.2f M", per_second / 1e6);
  } else if (per_second >= 1e3) {
    std::snprintf(buf, sizeof buf, "%.1f k", per_second / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f ", per_second);
  }
  return buf;
}

std::string render_verdicts(const std::vector<checkers::CheckResult>& results,
                            const std::vector<ExpectationOutcome>& expectations,
                            const sim::TraceInfo& info) {
  assert(results.size() == expectations.size());
  std::string out;
  for (size_t i = 0; i < results.size(); ++i) {
    const checkers::CheckResult& r = results[i];
    const ExpectationOutcome& e = expectations[i];
    out += "  " + pad(r.checker, 20) + pad(upper(sim::verdict_name(r.verdict)), 14) + "expected " +
           std::string(sim::expected_name(e.expected)) + (e.met() ? ": met" : ": NOT MET") + "\n";
    if (!r.explanation.empty()) out += "      " + r.explanation + "\n";
    for (const checkers::Evidence& ev : r.evidence) {
      out += "        | " + checkers::describe_event(ev, info) + "\n";
    }
  }
  return out;
}

std::string render_metrics(const std::vector<checkers::Metric>& metrics) {
  std::string out;
  for (const checkers::Metric& m : metrics) out += "  " + pad(m.name, 28) + format_metric(m) + "\n";
  return out;
}

nlohmann::json evidence_json(const checkers::Evidence& e, const sim::TraceInfo& info) {
  nlohmann::json fields = nlohmann::json::object();
  for (const sim::Field& f : e.fields) {
    const std::string name(info.key_name(f.key));
    switch (info.key_type(f.key)) {
      case sim::FieldType::node:
        fields[name] = f.value >= 0 && static_cast<size_t>(f.value) < info.node_ids.size()
                           ? nlohmann::json(info.node_ids[static_cast<size_t>(f.value)])
                           : nlohmann::json(f.value);
        break;
      case sim::FieldType::boolean:
        fields[name] = f.value != 0;
        break;
      case sim::FieldType::message_type:
        fields[name] = f.value >= 0 && static_cast<size_t>(f.value) < info.messages.size()
                           ? nlohmann::json(info.messages[static_cast<size_t>(f.value)])
                           : nlohmann::json(f.value);
        break;
      case sim::FieldType::integer:
      case sim::FieldType::duration_ns:
        fields[name] = f.value;
        break;
    }
  }
  nlohmann::json j = {{"t_ns", e.at.ns},
                      {"node", e.node == sim::kNoNode ? nlohmann::json(nullptr)
                                                      : nlohmann::json(info.node_name(e.node))},
                      {"kind", std::string(info.kind_name(e.kind))},
                      {"fields", fields},
                      {"text", e.text},
                      {"line", checkers::describe_event(e, info)}};
  if (e.node != sim::kNoNode) {
    j["mono_ns"] = e.mono.ns;
    j["wall_ns"] = e.wall.ns;
  }
  return j;
}

nlohmann::json verdicts_json(const std::vector<checkers::CheckResult>& results,
                             const std::vector<ExpectationOutcome>& expectations,
                             const sim::TraceInfo& info) {
  assert(results.size() == expectations.size());
  nlohmann::json verdicts = nlohmann::json::object();
  for (size_t i = 0; i < results.size(); ++i) {
    const checkers::CheckResult& r = results[i];
    verdicts[r.checker] = {{"verdict", sim::verdict_name(r.verdict)},
                           {"expected", sim::expected_name(expectations[i].expected)},
                           {"met", expectations[i].met()},
                           {"explanation", r.explanation}};
    nlohmann::json& v = verdicts[r.checker];
    v["evidence"] = nlohmann::json::array();
    for (const checkers::Evidence& e : r.evidence) v["evidence"].push_back(evidence_json(e, info));
    if (r.deciding.has_value()) v["deciding"] = *r.deciding;
    if (r.interval.has_value()) {
      v["interval"] = {{"from_ns", r.interval->from.ns}, {"to_ns", r.interval->to.ns}};
    }
  }
  return verdicts;
}

nlohmann::json metrics_json(const std::vector<checkers::Metric>& metrics) {
  nlohmann::json out = nlohmann::json::object();
  for (const checkers::Metric& m : metrics) out[m.name] = {{"value", m.value}, {"unit", m.unit}};
  return out;
}

std::string render_text(const sim::Scenario& scenario, const RunReport& report) {
  std::string out;
  out += "scenario  " + report.scenario + "  (" + report.file + ")\n";
  std::string summary = scenario.summary;
  while (!summary.empty() && (summary.back() == '\n' || summary.back() == ' ')) summary.pop_back();
  if (!summary.empty()) out += "summary   " + summary + "\n";
  out += "seed      " + std::to_string(report.seed) + "\n";
  for (const std::string& w : scenario.warnings) out += "warning   " + w + "\n";
  if (!report.plan.faults.empty()) {
    out += "\nfaults (resolved for this seed)\n";
    for (const sim::PlannedFault& f : report.plan.faults) {
      const std::string when = f.trigger ? "on event" : sim::format_seconds(f.at.ns);
      out += "  " + pad(when, 10) + f.description + "\n";
    }
  }
  out += "\nverdicts\n" + render_verdicts(report.results, report.expectations, report.info);
  out += "\nmetrics\n" + render_metrics(report.metrics);
  const double rate =
      report.wall_seconds > 0 ? static_cast<double>(report.events) / report.wall_seconds : 0;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "\nrun       %s simulated, %llu events (%llu trace events) in %.3f s: %sevents/s\n",
                sim::format_duration(scenario.duration).c_str(),
                static_cast<unsigned long long>(report.events),
                static_cast<unsigned long long>(report.trace_events), report.wall_seconds,
                format_rate(rate).c_str());
  out += buf;
  out += "hash      " + sim::hash_hex(report.hash) + "\n";
  out += "replay    " + report.replay_command() + "\n";
  size_t met = 0;
  for (const ExpectationOutcome& e : report.expectations) met += e.met() ? 1 : 0;
  out += "result    " + std::to_string(met) + " of " + std::to_string(report.expectations.size()) +
         " expectations met" + (report.all_met() ? "" : " -- FAILED") + "\n";
  return out;
}

nlohmann::json render_json(const sim::Scenario& scenario, const RunReport& report) {
  nlohmann::json j;
  j["scenario"] = report.scenario;
  j["file"] = report.file;
  j["seed"] = report.seed;
  j["duration_ns"] = scenario.duration.ns;
  j["warnings"] = scenario.warnings;
  nlohmann::json faults = nlohmann::json::array();
  for (const sim::PlannedFault& f : report.plan.faults) {
    faults.push_back({{"at_ns", f.trigger ? nlohmann::json(nullptr) : nlohmann::json(f.at.ns)},
                      {"type", sim::fault_type_name(f.type)},
                      {"triggered", f.trigger.has_value()},
                      {"description", f.description}});
  }
  j["plan"] = {{"faults", faults}};
  nlohmann::json clocks = nlohmann::json::array();
  for (size_t i = 0; i < report.plan.clocks.size(); ++i) {
    clocks.push_back({{"node", scenario.nodes[i].id},
                      {"drift_ppb", report.plan.clocks[i].drift_ppb},
                      {"offset_ns", report.plan.clocks[i].offset_ns}});
  }
  j["plan"]["clocks"] = clocks;
  j["verdicts"] = verdicts_json(report.results, report.expectations, report.info);
  j["metrics"] = metrics_json(report.metrics);
  j["events"] = report.events;
  j["trace_events"] = report.trace_events;
  j["wall_seconds"] = report.wall_seconds;
  j["trace_hash"] = sim::hash_hex(report.hash);
  j["replay"] = report.replay_command();
  j["all_met"] = report.all_met();
  return j;
}

}  // namespace lockstep::tools
