#include "tools/cli/list_json.hpp"

#include <string>

#include "tools/render/openmetrics.hpp"

namespace lockstep::tools {
namespace {

std::string str(std::string_view s) { return std::string(s); }

nlohmann::json strings(const std::vector<std::string_view>& v) {
  nlohmann::json out = nlohmann::json::array();
  for (std::string_view s : v) out.push_back(str(s));
  return out;
}

nlohmann::json params_json(const std::vector<sim::ParamSpec>& params) {
  nlohmann::json out = nlohmann::json::array();
  for (const sim::ParamSpec& p : params) {
    nlohmann::json j = {{"name", str(p.name)},
                        {"type", str(sim::param_type_name(p.type))},
                        {"default", str(p.default_yaml)},
                        {"meaning", str(p.meaning)},
                        {"positive", p.positive}};
    if (!p.choices.empty()) j["choices"] = str(p.choices);
    out.push_back(std::move(j));
  }
  return out;
}

nlohmann::json protocol_json(const sim::ProtocolSpec& p) {
  nlohmann::json j = {{"name", str(p.name)}, {"summary", str(p.summary)}};
  j["roles"] = nlohmann::json::array();
  for (const sim::RoleSpec& r : p.roles) {
    j["roles"].push_back(
        {{"name", str(r.name)}, {"meaning", str(r.meaning)}, {"claims", strings(r.claims)}});
  }
  j["params"] = params_json(p.params);
  j["workload"] = params_json(p.workload);
  j["messages"] = strings(p.messages);
  j["fields"] = nlohmann::json::array();
  for (const sim::FieldSpec& f : p.fields) {
    j["fields"].push_back({{"name", str(f.name)}, {"meaning", str(f.meaning)}});
  }
  j["observations"] = nlohmann::json::array();
  for (const sim::ObservationSpec& o : p.observations) {
    j["observations"].push_back({{"kind", str(o.kind)},
                                 {"node", str(o.node)},
                                 {"fields", strings(o.fields)},
                                 {"meaning", str(o.meaning)}});
  }
  // Claims are what fault targets may name (`crash: leader`).
  j["fault_targets"] = nlohmann::json::array();
  for (const sim::ClaimSpec& c : p.claims) {
    j["fault_targets"].push_back({{"role", str(c.role)},
                                  {"start", strings(c.start)},
                                  {"end", strings(c.end)},
                                  {"meaning", str(c.meaning)}});
  }
  return j;
}

// The fault kinds `list` describes, as data (docs/scenario-format.md has each one's keys).
nlohmann::json fault_kinds_json() {
  struct Kind {
    const char* name;
    const char* form;
    const char* meaning;
  };
  constexpr Kind kKinds[] = {
      {"crash", "crash: NODE [restart_after: D]",
       "the process dies; volatile state and timers are lost"},
      {"pause", "pause: NODE for: D",
       "the process stops; clocks run on, deliveries and timers wait"},
      {"partition", "partition: [[ids], [ids], ...] [heal_after: D]", "no traffic between groups"},
      {"cut", "cut: [{from: a, to: b} | [a, b], ...] [heal_after: D]",
       "one-way ({from, to}) or both ([a, b]) links down"},
      {"isolate", "isolate: NODE [heal_after: D]", "no traffic to or from the node"},
      {"clock_step", "clock_step: NODE by: D", "the node's wall clock jumps (D may be < 0)"},
      {"nemesis", "nemesis: {kinds, every, from, until, for, step, targets}",
       "random faults drawn per seed"},
  };
  nlohmann::json out = nlohmann::json::array();
  for (const Kind& k : kKinds) {
    out.push_back({{"name", k.name}, {"form", k.form}, {"meaning", k.meaning}});
  }
  return out;
}

}  // namespace

nlohmann::json list_json(const sim::Catalog& catalog) {
  nlohmann::json j;
  j["version"] = kListJsonVersion;
  j["protocols"] = nlohmann::json::array();
  for (const sim::ProtocolSpec& p : catalog.protocols()) j["protocols"].push_back(protocol_json(p));
  j["checkers"] = nlohmann::json::array();
  for (const sim::CheckerSpec& c : catalog.checkers()) {
    j["checkers"].push_back({{"name", str(c.name)},
                             {"meaning", str(c.meaning)},
                             {"params", params_json(c.params)},
                             {"judges_after_faults", c.judges_after_faults}});
  }
  j["metrics"] = nlohmann::json::array();
  for (const KnownMetric& m : known_metrics()) {
    j["metrics"].push_back({{"name", str(m.name)},
                            {"unit", str(m.unit)},
                            {"meaning", str(m.meaning)},
                            {"openmetrics", openmetrics_name(m.name, m.unit)}});
  }
  j["fault_kinds"] = fault_kinds_json();
  return j;
}

}  // namespace lockstep::tools
