#include "tools/render/explore_export.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>
#include <vector>

#include "sim/core/trace.hpp"
#include "tools/render/openmetrics.hpp"

namespace lockstep::tools {
namespace {

// Nearest-rank quantile of sorted `v` (the rule explore's summary uses for its percentiles).
double quantile(const std::vector<double>& v, double q) {
  assert(!v.empty());
  const auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

struct Family {
  std::string unit;
  std::vector<double> values;  // one per seed that reported the metric
};

// Metric name -> its values across seeds, by first appearance (the runs' metric order).
std::vector<std::pair<std::string, Family>> families(const ExploreResult& r) {
  std::vector<std::pair<std::string, Family>> out;
  std::map<std::string, size_t> index;
  for (const SeedResult& s : r.runs) {
    for (size_t i = 0; i < s.metric_values.size(); ++i) {
      const auto& [name, unit] = (*s.metric_names)[i];
      auto [it, added] = index.emplace(name, out.size());
      if (added) out.push_back({name, Family{unit, {}}});
      out[it->second].second.values.push_back(s.metric_values[i]);
    }
  }
  return out;
}

void header(std::string& out, const std::string& name, std::string_view type, std::string_view unit,
            std::string_view help) {
  out += "# TYPE " + name + " " + std::string(type) + "\n";
  if (!unit.empty()) out += "# UNIT " + name + " " + std::string(unit) + "\n";
  out += "# HELP " + name + " " + std::string(help) + "\n";
}

void explore_families(std::string& out, const ExploreResult& r, const std::string& labels) {
  header(out, "lockstep_explore_seeds", "counter", "", "Seeds run to completion.");
  out += "lockstep_explore_seeds_total{" + labels + "} " + std::to_string(r.runs.size()) + "\n";
  header(out, "lockstep_explore_failures", "counter", "",
         std::string("Seeds that failed (judged by ") + std::string(judge_name(r.judge)) + ").");
  out += "lockstep_explore_failures_total{" + labels + "} " + std::to_string(r.failures()) + "\n";
  std::map<std::string, std::map<std::string, uint64_t>> verdicts;  // checker -> verdict -> n
  for (const SeedResult& s : r.runs) {
    for (const auto& [checker, v] : s.verdicts) {
      for (sim::Verdict each :
           {sim::Verdict::holds, sim::Verdict::violated, sim::Verdict::inconclusive}) {
        verdicts[checker][std::string(sim::verdict_name(each))] += each == v ? 1 : 0;
      }
    }
  }
  if (verdicts.empty()) return;
  header(out, "lockstep_checker_verdicts", "counter", "", "Seeds by checker and verdict.");
  for (const auto& [checker, by] : verdicts) {
    for (const auto& [verdict, n] : by) {
      out += "lockstep_checker_verdicts_total{" + labels + ",checker=\"" +
             openmetrics_label_value(checker) + "\",verdict=\"" + verdict + "\"} " +
             std::to_string(n) + "\n";
    }
  }
}

}  // namespace

bool is_counter(std::string_view name, std::string_view unit) {
  if (unit != "count") return false;
  const std::string_view last = name.substr(name.rfind('.') + 1);
  const bool percentile = last.size() > 1 && last[0] == 'p' &&
                          last.find_first_not_of("0123456789", 1) == std::string_view::npos;
  return last != "max" && last != "min" && !percentile;
}

std::string explore_openmetrics(const ExploreResult& r) {
  const std::string labels = "scenario=\"" + openmetrics_label_value(r.scenario) + "\"";
  std::string out;
  explore_families(out, r, labels);
  for (auto& [metric, f] : families(r)) {
    std::sort(f.values.begin(), f.values.end());
    double sum = 0;
    for (double v : f.values) sum += v;
    const std::string unit = openmetrics_unit(f.unit);
    const std::string help = openmetrics_help(metric);
    const std::string base = openmetrics_name(metric, f.unit);
    if (is_counter(metric, f.unit)) {
      header(out, base, "counter", unit, help + " Summed over seeds.");
      out += base + "_total{" + labels + "} " + openmetrics_number(sum) + "\n";
      continue;
    }
    header(out, base, "summary", unit, help + " Across seeds.");
    for (double q : kSummaryQuantiles) {
      out += base + "{" + labels + ",quantile=\"" + openmetrics_number(q) + "\"} " +
             openmetrics_number(quantile(f.values, q)) + "\n";
    }
    out += base + "_sum{" + labels + "} " + openmetrics_number(sum) + "\n";
    out += base + "_count{" + labels + "} " + std::to_string(f.values.size()) + "\n";
  }
  out += "# EOF\n";
  return out;
}

namespace {

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string explore_csv(const ExploreResult& r) {
  std::vector<std::string> checkers;
  std::vector<std::pair<std::string, std::string>> metrics;
  for (const SeedResult& s : r.runs) {
    for (const auto& [name, v] : s.verdicts) {
      if (std::find(checkers.begin(), checkers.end(), name) == checkers.end()) {
        checkers.push_back(name);
      }
    }
    for (size_t i = 0; s.metric_names && i < s.metric_names->size(); ++i) {
      if (std::find(metrics.begin(), metrics.end(), (*s.metric_names)[i]) == metrics.end()) {
        metrics.push_back((*s.metric_names)[i]);
      }
    }
  }
  std::string out = "seed,expectations_met,violated";
  for (const std::string& c : checkers) out += "," + csv_field(c);
  out += ",trace_hash,events";
  for (const auto& [name, unit] : metrics) out += "," + csv_field(name + " [" + unit + "]");
  out += "\n";
  for (const SeedResult& s : r.runs) {
    out += std::to_string(s.seed) + (s.expectations_met ? ",true," : ",false,") +
           csv_field(s.violated);
    for (const std::string& c : checkers) {
      const auto it = std::find_if(s.verdicts.begin(), s.verdicts.end(),
                                   [&](const auto& v) { return v.first == c; });
      out += "," +
             (it == s.verdicts.end() ? std::string() : std::string(sim::verdict_name(it->second)));
    }
    out += "," + sim::hash_hex(s.hash) + "," + std::to_string(s.events);
    for (const auto& m : metrics) {
      std::string cell;
      for (size_t i = 0; i < s.metric_values.size(); ++i) {
        if ((*s.metric_names)[i] == m) cell = openmetrics_number(s.metric_values[i]);
      }
      out += "," + cell;
    }
    out += "\n";
  }
  return out;
}

}  // namespace lockstep::tools
