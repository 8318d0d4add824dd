// Explore results as data: the deterministic JSON document, reading it back, merging shards,
// and the summary people read.
#include "tools/results/explore_json.hpp"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <map>

#include "sim/core/trace.hpp"

namespace lockstep::tools {
namespace {

// Nearest-rank percentile of sorted `v`.
double percentile(const std::vector<double>& v, int percent) {
  assert(!v.empty());
  const size_t n = v.size();
  const size_t rank = std::max<size_t>(1, (static_cast<size_t>(percent) * n + 99) / 100);
  return v[rank - 1];
}

struct CheckerTally {
  uint64_t holds = 0;
  uint64_t violated = 0;
  uint64_t inconclusive = 0;
  std::vector<uint64_t> first_failing;  // up to five, smallest seeds
};

std::map<std::string, CheckerTally> tally(const ExploreResult& r) {
  std::map<std::string, CheckerTally> out;
  for (const SeedResult& s : r.runs) {
    for (const auto& [name, verdict] : s.verdicts) {
      CheckerTally& t = out[name];
      if (verdict == sim::Verdict::holds) ++t.holds;
      if (verdict == sim::Verdict::inconclusive) ++t.inconclusive;
      if (verdict == sim::Verdict::violated) {
        ++t.violated;
        if (t.first_failing.size() < 5) t.first_failing.push_back(s.seed);
      }
    }
  }
  return out;
}

// Metric name -> (unit, sorted values across seeds).
std::map<std::string, std::pair<std::string, std::vector<double>>> metric_values(
    const ExploreResult& r) {
  std::map<std::string, std::pair<std::string, std::vector<double>>> out;
  for (const SeedResult& s : r.runs) {
    for (size_t i = 0; i < s.metric_values.size(); ++i) {
      auto& entry = out[(*s.metric_names)[i].first];
      entry.first = (*s.metric_names)[i].second;
      entry.second.push_back(s.metric_values[i]);
    }
  }
  for (auto& [name, entry] : out) std::sort(entry.second.begin(), entry.second.end());
  return out;
}

nlohmann::json run_json(const SeedResult& s) {
  nlohmann::json run;
  run["seed"] = s.seed;
  for (const auto& [name, verdict] : s.verdicts) run["verdicts"][name] = sim::verdict_name(verdict);
  for (size_t i = 0; i < s.metric_values.size(); ++i) {
    const auto& [name, unit] = (*s.metric_names)[i];
    run["metrics"][name] = {{"value", s.metric_values[i]}, {"unit", unit}};
  }
  run["trace_hash"] = sim::hash_hex(s.hash);
  run["events"] = s.events;
  run["expectations_met"] = s.expectations_met;
  if (!s.swarm.empty()) run["swarm"] = s.swarm;
  if (!s.violated.empty()) run["violated"] = s.violated;
  return run;
}

// `text` with `indent` spaces after every newline (a nested value's lines in a dump(2)).
std::string indented(const std::string& text, const std::string& indent) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

nlohmann::json explore_json_without_runs(const ExploreResult& r) {
  nlohmann::json j;
  j["scenario"] = r.scenario;
  j["file"] = r.file;
  j["from"] = r.from;
  j["seeds"] = r.seeds;
  j["swarm"] = r.swarm;
  j["judge"] = judge_name(r.judge);
  if (r.interrupted) j["interrupted"] = true;
  nlohmann::json summary;
  summary["completed"] = r.runs.size();
  summary["failures"] = r.failures();
  for (const auto& [name, t] : tally(r)) {
    summary["checkers"][name] = {{"holds", t.holds},
                                 {"violated", t.violated},
                                 {"inconclusive", t.inconclusive},
                                 {"first_failing_seeds", t.first_failing}};
  }
  for (const auto& [name, entry] : metric_values(r)) {
    const std::vector<double>& v = entry.second;
    summary["metrics"][name] = {{"unit", entry.first},
                                {"p50", percentile(v, 50)},
                                {"p90", percentile(v, 90)},
                                {"p99", percentile(v, 99)},
                                {"max", v.back()}};
  }
  j["summary"] = summary;
  return j;
}

}  // namespace

void write_explore_json(const ExploreResult& r,
                        const std::function<void(std::string_view)>& write) {
  // The document without its runs, with a marker where they go; the runs follow one by one.
  constexpr std::string_view kKey = "\"runs\": ";
  constexpr std::string_view kMarker = "\"runs\": \"lockstep-runs-go-here\"";
  nlohmann::json j = explore_json_without_runs(r);
  j["runs"] = "lockstep-runs-go-here";
  const std::string text = j.dump(2);
  const size_t at = text.find(kMarker) + kKey.size();  // the key's value cannot hold `"runs": "`
  write(std::string_view(text).substr(0, at));
  if (r.runs.empty()) {
    write("[]");
  } else {
    write("[");
    for (size_t i = 0; i < r.runs.size(); ++i) {
      write(i == 0 ? "\n    " : ",\n    ");
      write(indented(run_json(r.runs[i]).dump(2), "    "));
    }
    write("\n  ]");
  }
  write(std::string_view(text).substr(at - kKey.size() + kMarker.size()));
  write("\n");
}

nlohmann::json explore_json(const ExploreResult& r) {
  nlohmann::json j = explore_json_without_runs(r);
  nlohmann::json runs = nlohmann::json::array();
  for (const SeedResult& s : r.runs) runs.push_back(run_json(s));
  j["runs"] = runs;
  return j;
}

ExploreResult explore_from_json(const nlohmann::json& j, const std::string& file) {
  const auto fail = [&](const std::string& what) -> void {
    throw sim::InputError(file, 0, 0, "", "not an explore --json result: " + what);
  };
  try {
    ExploreResult r;
    r.scenario = j.at("scenario").get<std::string>();
    r.file = j.at("file").get<std::string>();
    r.from = j.at("from").get<uint64_t>();
    r.seeds = j.at("seeds").get<uint64_t>();
    r.swarm = j.at("swarm").get<bool>();
    // Results written before seeds were judged by expectation counted violations.
    const std::string judge = j.value("judge", "violation");
    if (judge != "violation" && judge != "expectation") fail("unknown judge '" + judge + "'");
    r.judge = judge == "violation" ? Judge::violation : Judge::expectation;
    r.interrupted = j.value("interrupted", false);
    MetricNames names;  // shared by the runs, as explore() shares it
    for (const nlohmann::json& run : j.at("runs")) {
      SeedResult s;
      s.seed = run.at("seed").get<uint64_t>();
      if (run.contains("verdicts")) {
        for (const auto& [name, v] : run.at("verdicts").items()) {
          const auto verdict = sim::verdict_from_name(v.get<std::string>());
          if (!verdict) fail("unknown verdict in run of seed " + std::to_string(s.seed));
          s.verdicts.push_back({name, *verdict});
        }
      }
      std::vector<checkers::Metric> metrics;
      if (run.contains("metrics")) {
        for (const auto& [name, m] : run.at("metrics").items()) {
          metrics.push_back({name, m.at("unit").get<std::string>(), m.at("value").get<double>()});
        }
      }
      s.set_metrics(metrics, names);
      s.hash = std::stoull(run.at("trace_hash").get<std::string>(), nullptr, 16);
      s.events = run.at("events").get<uint64_t>();
      s.expectations_met = run.at("expectations_met").get<bool>();
      s.swarm = run.value("swarm", "");
      s.violated = run.value("violated", "");
      r.runs.push_back(std::move(s));
    }
    return r;
  } catch (const nlohmann::json::exception& e) {
    fail(e.what());
  } catch (const std::logic_error& e) {
    fail(e.what());
  }
  return {};
}

ExploreResult merge_explorations(const std::vector<ExploreResult>& parts,
                                 const std::vector<std::string>& files) {
  assert(!parts.empty() && parts.size() == files.size());
  ExploreResult out = parts.front();
  out.runs.clear();
  out.interrupted = false;
  std::map<uint64_t, std::pair<const SeedResult*, size_t>> by_seed;  // seed -> (run, part)
  for (size_t i = 0; i < parts.size(); ++i) {
    const ExploreResult& p = parts[i];
    if (p.scenario != out.scenario || p.file != out.file || p.from != out.from ||
        p.seeds != out.seeds || p.swarm != out.swarm || p.judge != out.judge) {
      throw sim::InputError(files[i], 0, 0, "",
                            "does not belong to the same exploration as " + files[0] +
                                " (scenario, file, from, seeds, swarm and judge must all match)");
    }
    out.interrupted = out.interrupted || p.interrupted;
    for (const SeedResult& s : p.runs) {
      const auto [it, inserted] = by_seed.insert({s.seed, {&s, i}});
      if (inserted) continue;
      // Shards are disjoint: a seed twice is a shard given twice (or two overlapping runs), and
      // merging it would count the exploration as more complete than it is.
      const std::string& first = files[it->second.second];
      throw sim::InputError(
          files[i], 0, 0, "",
          "seed " + std::to_string(s.seed) + " is also in " + first +
              (it->second.first->hash != s.hash
                   ? ", with a different trace hash"
                   : (first == files[i] ? " (the same file twice)" : " (the same shard twice?)")) +
              "; each seed belongs to one shard");
    }
  }
  for (const auto& [seed, s] : by_seed) out.runs.push_back(*s.first);
  return out;
}

std::string explore_summary(const ExploreResult& r) {
  std::string out;
  char buf[256];
  const bool by_violation = r.judge == Judge::violation;
  std::snprintf(buf, sizeof buf, "explored %zu of %llu seeds from %llu%s%s: %llu %s\n",
                r.runs.size(), static_cast<unsigned long long>(r.seeds),
                static_cast<unsigned long long>(r.from), r.swarm ? " (swarm)" : "",
                r.interrupted ? " (interrupted)" : "",
                static_cast<unsigned long long>(r.failures()),
                by_violation ? "with a violation" : "did not meet the scenario's expect:");
  out += buf;
  const std::vector<uint64_t> failing = r.failing_seeds();
  if (!by_violation && !failing.empty()) {
    std::string listed;
    for (size_t i = 0; i < failing.size() && i < 20; ++i) {
      listed += (i ? " " : "") + std::to_string(failing[i]);
    }
    out += "seeds that did not: " + listed + (failing.size() > 20 ? " ..." : "") + "\n";
  }
  out += "\nchecker              holds  violated  inconclusive  first failing seeds\n";
  for (const auto& [name, t] : tally(r)) {
    std::string seeds;
    for (uint64_t s : t.first_failing) seeds += (seeds.empty() ? "" : " ") + std::to_string(s);
    std::snprintf(buf, sizeof buf, "%-20s %5llu  %8llu  %12llu  %s\n", name.c_str(),
                  static_cast<unsigned long long>(t.holds),
                  static_cast<unsigned long long>(t.violated),
                  static_cast<unsigned long long>(t.inconclusive), seeds.c_str());
    out += buf;
  }
  out += "\nmetric (across seeds)           unit        p50        p90        p99        max\n";
  for (const auto& [name, entry] : metric_values(r)) {
    const std::vector<double>& v = entry.second;
    std::snprintf(buf, sizeof buf, "%-31s %-5s %10.4g %10.4g %10.4g %10.4g\n", name.c_str(),
                  entry.first.c_str(), percentile(v, 50), percentile(v, 90), percentile(v, 99),
                  v.back());
    out += buf;
  }
  if (!failing.empty()) {
    out += "\nreplay the first failing seed: " + invoked_name() + " run " + r.file + " --seed " +
           std::to_string(failing.front()) + (r.swarm ? " --swarm" : "") + "\n";
  }
  return out;
}

}  // namespace lockstep::tools
