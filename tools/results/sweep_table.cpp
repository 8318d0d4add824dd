#include "tools/results/sweep_table.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

namespace lockstep::tools {
namespace {

// The metric's values across the seeds of one point, sorted, and its unit.
std::pair<std::vector<double>, std::string> metric_values(const ExploreResult& r,
                                                          const std::string& metric) {
  std::vector<double> out;
  std::string unit;
  for (const SeedResult& s : r.runs) {
    for (size_t i = 0; i < s.metric_values.size(); ++i) {
      if ((*s.metric_names)[i].first != metric) continue;
      out.push_back(s.metric_values[i]);
      unit = (*s.metric_names)[i].second;
    }
  }
  std::sort(out.begin(), out.end());
  return {out, unit};
}

// Nearest rank, as explore's summary takes its percentiles.
double percentile(const std::vector<double>& v, int percent) {
  assert(!v.empty());
  const size_t rank = std::max<size_t>(1, (static_cast<size_t>(percent) * v.size() + 99) / 100);
  return v[rank - 1];
}

std::string unit_of(const SweepResult& sweep) {
  for (const SweepPointResult& p : sweep.points) {
    const std::string unit = metric_values(p.result, sweep.metric).second;
    if (!unit.empty()) return unit;
  }
  return "";
}

std::string fixed(std::optional<double> v, int digits) {
  if (!v.has_value()) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, *v);
  return buf;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string metric_heading(const SweepResult& sweep) {
  const std::string unit = unit_of(sweep);
  return sweep.metric + (unit.empty() || unit == "count" ? "" : " [" + unit + "]");
}

}  // namespace

std::string default_sweep_metric(const SweepResult& sweep) {
  for (const SweepPointResult& p : sweep.points) {
    for (const SeedResult& s : p.result.runs) {
      if (s.metric_names && !s.metric_names->empty()) return s.metric_names->front().first;
    }
  }
  return "";
}

void check_sweep_metric(const SweepResult& sweep, const std::string& metric) {
  std::vector<std::string> known;
  for (const SweepPointResult& p : sweep.points) {
    for (const SeedResult& s : p.result.runs) {
      for (const auto& [name, unit] : *s.metric_names) {
        if (name == metric) return;
        if (std::find(known.begin(), known.end(), name) == known.end()) known.push_back(name);
      }
    }
  }
  std::string list;
  for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
  throw sim::InputError("--plot-metric " + metric, 0, 0, "",
                        "no run reports this metric; the runs report " + list);
}

std::vector<SweepRow> sweep_rows(const SweepResult& sweep) {
  std::vector<SweepRow> rows;
  for (const SweepPointResult& p : sweep.points) {
    SweepRow row;
    for (const sim::Override& o : p.point) row.values.push_back(o.value);
    row.seeds = p.result.runs.size();
    row.violated = violated_seeds(p.result);
    row.failures = p.result.failures();
    row.violation_rate =
        row.seeds == 0 ? 0 : static_cast<double>(row.violated) / static_cast<double>(row.seeds);
    const std::vector<double> v = metric_values(p.result, sweep.metric).first;
    if (!v.empty()) {
      double sum = 0;
      for (double x : v) sum += x;
      row.metric_p50 = percentile(v, 50);
      row.metric_p90 = percentile(v, 90);
      row.metric_mean = sum / static_cast<double>(v.size());
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string sweep_markdown(const SweepResult& sweep) {
  std::string head = "|";
  std::string rule = "|";
  for (const sim::SweepAxis& a : sweep.axes) {
    head += " " + a.key + " |";
    rule += " --- |";
  }
  const std::string m = metric_heading(sweep);
  head += " seeds | violated | violation rate | failed | " + m + " p50 | " + m + " p90 | " + m +
          " mean |\n";
  rule += " ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  std::string out = head + rule;
  for (const SweepRow& r : sweep_rows(sweep)) {
    out += "|";
    for (const std::string& v : r.values) out += " " + v + " |";
    out += " " + std::to_string(r.seeds) + " | " + std::to_string(r.violated) + " | " +
           fixed(r.violation_rate, 3) + " | " + std::to_string(r.failures) + " | " +
           fixed(r.metric_p50, 3) + " | " + fixed(r.metric_p90, 3) + " | " +
           fixed(r.metric_mean, 3) + " |\n";
  }
  return out;
}

std::string sweep_csv(const SweepResult& sweep) {
  std::string out;
  for (const sim::SweepAxis& a : sweep.axes) out += csv_field(a.key) + ",";
  const std::string m = csv_field(sweep.metric);
  out += "seeds,violated,violation_rate,failures," + m + " p50," + m + " p90," + m + " mean\n";
  for (const SweepRow& r : sweep_rows(sweep)) {
    for (const std::string& v : r.values) out += csv_field(v) + ",";
    out += std::to_string(r.seeds) + "," + std::to_string(r.violated) + "," +
           fixed(r.violation_rate, 6) + "," + std::to_string(r.failures) + "," +
           fixed(r.metric_p50, 9) + "," + fixed(r.metric_p90, 9) + "," + fixed(r.metric_mean, 9) +
           "\n";
  }
  return out;
}

nlohmann::json sweep_json(const SweepResult& sweep) {
  nlohmann::json j;
  j["axes"] = nlohmann::json::array();
  for (const sim::SweepAxis& a : sweep.axes)
    j["axes"].push_back({{"key", a.key}, {"values", a.values}});
  j["metric"] = sweep.metric;
  j["unit"] = unit_of(sweep);
  j["rows"] = nlohmann::json::array();
  for (const SweepRow& r : sweep_rows(sweep)) {
    nlohmann::json row;
    for (size_t i = 0; i < r.values.size(); ++i) row["values"][sweep.axes[i].key] = r.values[i];
    row["seeds"] = r.seeds;
    row["violated"] = r.violated;
    row["violation_rate"] = r.violation_rate;
    row["failures"] = r.failures;
    row["metric"] = nlohmann::json::object();
    if (r.metric_p50) {
      row["metric"] = {{"p50", *r.metric_p50}, {"p90", *r.metric_p90}, {"mean", *r.metric_mean}};
    }
    j["rows"].push_back(std::move(row));
  }
  return j;
}

}  // namespace lockstep::tools
