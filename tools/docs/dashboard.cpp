#include "tools/docs/dashboard.hpp"

#include <xxhash.h>

#include <cassert>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "sim/core/trace.hpp"

namespace lockstep::tools {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;  // keys in insertion order: the bytes never reshuffle

// The classic model's schema version Grafana 11 writes; Grafana migrates older ones on import.
constexpr int kSchemaVersion = 41;
// Grafana's grid is 24 columns wide: two panels a row.
constexpr int kPanelWidth = 12;
constexpr int kPanelHeight = 8;
constexpr int kGridWidth = 24;

// Every query goes to the data source the importer picks for ${datasource}.
Json datasource() { return {{"type", "prometheus"}, {"uid", "${datasource}"}}; }

Json datasource_variable() {
  return {{"name", "datasource"},
          {"label", "Data source"},
          {"type", "datasource"},
          {"query", "prometheus"}};
}

// A query variable over one label of the first family (every family carries both labels).
Json label_variable(const std::string& name, const std::string& family, const std::string& filter,
                    const Json& current, bool all) {
  const std::string query = "label_values(" + family + filter + ", " + name + ")";
  Json v = {
      {"name", name},   {"label", name},       {"type", "query"}, {"datasource", datasource()},
      {"query", query}, {"definition", query}, {"refresh", 1},  // on dashboard load
      {"sort", 1},      {"current", current}};
  if (all) v["includeAll"] = true, v["multi"] = true, v["allValue"] = ".*";
  return v;
}

Json templating(const DashboardInput& in) {
  Json list = Json::array();
  list.push_back(datasource_variable());
  if (in.families.empty()) return {{"list", list}};
  const std::string& first = in.families.front().name;
  list.push_back(label_variable(
      "scenario", first, "", {{"text", in.scenario_label}, {"value", in.scenario_label}}, false));
  list.push_back(label_variable("seed", first, "{scenario=\"$scenario\"}",
                                {{"text", "All"}, {"value", "$__all"}}, true));
  return {{"list", list}};
}

Json panel(const OpenMetricsFamily& f, size_t index) {
  const int column = static_cast<int>(index % 2);
  const int row = static_cast<int>(index / 2);
  assert(column * kPanelWidth + kPanelWidth <= kGridWidth);
  Json target = {{"refId", "A"},
                 {"datasource", datasource()},
                 {"expr", f.name + "{scenario=\"$scenario\",seed=~\"$seed\"}"},
                 {"legendFormat", "seed {{seed}}"}};
  return {{"id", index + 1},
          {"type", panel_type(f)},
          {"title", f.metric},
          {"description", f.help},
          {"datasource", datasource()},
          {"gridPos",
           {{"h", kPanelHeight},
            {"w", kPanelWidth},
            {"x", column * kPanelWidth},
            {"y", row * kPanelHeight}}},
          {"fieldConfig",
           {{"defaults", {{"unit", grafana_unit(f.unit)}}}, {"overrides", Json::array()}}},
          {"targets", Json::array({target})}};
}

}  // namespace

std::string dashboard_uid(std::string_view out) {
  const std::string uid = "lockstep-" + sim::hash_hex(XXH3_64bits(out.data(), out.size()));
  assert(uid.size() <= 40);  // Grafana's limit
  return uid;
}

std::string grafana_unit(std::string_view unit) {
  if (unit == "seconds") return "s";
  // Counts carry no unit; "ratio" (lock.herd.per_release) is notifications per release.
  assert(unit.empty() || unit == "ratio");
  return "none";
}

std::string panel_type(const OpenMetricsFamily& f) {
  return f.unit.empty() ? "stat" : "timeseries";
}

std::string dashboard_json(const DashboardInput& in) {
  assert(!in.uid.empty());
  assert(!in.title.empty());
  Json panels = Json::array();
  for (size_t i = 0; i < in.families.size(); ++i) panels.push_back(panel(in.families[i], i));
  assert(panels.size() == in.families.size());
  const Json root = {{"id", nullptr},
                     {"uid", in.uid},
                     {"title", in.title},
                     {"description", in.description},
                     {"tags", Json::array({"lockstep"})},
                     {"editable", true},
                     {"schemaVersion", kSchemaVersion},
                     {"version", 1},
                     {"time", {{"from", "now-6h"}, {"to", "now"}}},
                     {"refresh", ""},
                     {"templating", templating(in)},
                     {"annotations", {{"list", Json::array()}}},
                     {"panels", panels}};
  return root.dump(2) + "\n";
}

std::string dashboard_out_problem(const std::string& out) {
  const fs::path p(out);
  if (out.empty()) return "out= is empty: name a .json file under the root";
  if (p.is_absolute()) return "out=" + out + " is absolute: name a path relative to the root";
  for (const fs::path& part : p) {
    if (part == "..") return "out=" + out + " leaves the root: name a path inside it, without ..";
  }
  if (p.extension() != ".json" || p.stem().empty()) {
    return "out=" + out + " is not a .json file";
  }
  return "";
}

}  // namespace lockstep::tools
