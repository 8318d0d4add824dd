// Every scenario under scenarios/, run once with every output attached:
//  - `lockstep check` reads the trace `run --trace` wrote and reaches the run's verdicts, with the
//    same explanations, evidence, metrics and trace hash (so checking a trace is checking a run);
//  - the Perfetto file, verdicts included, is well-formed Chrome trace-event JSON;
//  - every metric the run emits is documented in docs/metrics.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "checkers/checker.hpp"
#include "checkers/metrics.hpp"
#include "tests/support/support.hpp"
#include "tests/tools/perfetto_valid.hpp"
#include "tools/engine/runner.hpp"
#include "tools/render/openmetrics.hpp"
#include "tools/render/perfetto.hpp"
#include "tools/trace/trace_reader.hpp"

namespace lockstep::tools {
namespace {

namespace fs = std::filesystem;
using lockstep::testing::read_file;

std::vector<std::string> all_scenarios() {
  return lockstep::testing::yaml_files_under("scenarios");
}

fs::path scratch(const std::string& scenario) {
  std::string name = scenario;
  for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  const fs::path dir = fs::temp_directory_path() / ("lockstep-tools-" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir / name;
}

class HashSink : public sim::TraceSink {
 public:
  void begin(const sim::TraceInfo& info) override { hash.begin(info); }
  void on_event(const sim::Event& e) override { hash.add(e); }
  sim::TraceHash hash;
};

// What `lockstep check` computes, in-process: checkers configured from `--checker` strings.
struct Checked {
  std::vector<checkers::CheckResult> results;
  std::vector<checkers::Metric> metrics;
  uint64_t hash = 0;
  uint64_t events = 0;
};

// "liveness:within=15s" from a scenario's checker config, as a user would type it.
std::string checker_arg(const sim::CheckerConfig& c) {
  std::string out = c.name;
  const auto& entries = c.params.entries();
  for (size_t i = 0; i < entries.size(); ++i) {
    out += (i == 0 ? ":" : ",") + entries[i].first + "=" + sim::describe_param(entries[i].second);
  }
  return out;
}

Checked check_trace(const std::string& path, const sim::Scenario& s) {
  std::ifstream in(path, std::ios::binary);
  static const sim::Catalog kCatalog = make_catalog();
  TraceReader reader(in, path, &kCatalog);
  const std::vector<sim::CheckerSpec> specs = checkers::checker_specs();
  std::vector<std::unique_ptr<checkers::Checker>> active;
  std::vector<sim::TraceSink*> sinks;
  for (const sim::CheckerConfig& c : s.checkers) {
    active.push_back(checkers::make_checker(parse_checker_arg(checker_arg(c), specs)));
    sinks.push_back(active.back().get());
  }
  checkers::Metrics metrics;
  HashSink hash;
  sinks.push_back(&metrics);
  sinks.push_back(&hash);
  Checked out;
  out.events = feed_trace(reader, sinks);
  for (const auto& c : active) out.results.push_back(c->result());
  out.metrics = metrics.values();
  out.hash = hash.hash.value();
  return out;
}

class EveryScenario : public ::testing::TestWithParam<std::string> {
 protected:
  sim::Catalog catalog_ = make_catalog();
};

TEST_P(EveryScenario, CheckingItsTraceGivesTheRunsVerdictsAndPerfettoIsValid) {
  const sim::Scenario s = sim::load_scenario(GetParam(), catalog_);
  const fs::path base = scratch(GetParam());
  const std::string trace = base.string() + ".jsonl";
  const std::string chrome = base.string() + ".perfetto.json";
  // A budget keeps the file small enough to validate quickly; the structure is the same.
  PerfettoLimits limits;
  limits.max_messages = 2000;
  limits.max_instants = 20'000;
  PerfettoSink perfetto(chrome, limits);
  ASSERT_TRUE(perfetto.ok());
  RunOptions options;
  options.trace_path = trace;
  options.extra_sinks.push_back(&perfetto);
  const RunReport run = run_scenario(s, options);
  ASSERT_TRUE(perfetto.commit(run.results));

  const Checked checked = check_trace(trace, s);
  EXPECT_EQ(checked.events, run.trace_events);
  EXPECT_EQ(sim::hash_hex(checked.hash), sim::hash_hex(run.hash));
  ASSERT_EQ(checked.results.size(), run.results.size());
  for (size_t i = 0; i < run.results.size(); ++i) {
    const checkers::CheckResult& a = run.results[i];
    const checkers::CheckResult& b = checked.results[i];
    EXPECT_EQ(a.checker, b.checker);
    EXPECT_EQ(sim::verdict_name(a.verdict), sim::verdict_name(b.verdict)) << a.checker;
    EXPECT_EQ(a.explanation, b.explanation) << a.checker;
    EXPECT_EQ(a.evidence, b.evidence) << a.checker;
  }
  ASSERT_EQ(checked.metrics.size(), run.metrics.size());
  for (size_t i = 0; i < run.metrics.size(); ++i) {
    EXPECT_EQ(checked.metrics[i].name, run.metrics[i].name);
    EXPECT_EQ(checked.metrics[i].unit, run.metrics[i].unit);
    EXPECT_EQ(checked.metrics[i].value, run.metrics[i].value) << run.metrics[i].name;
  }

  const nlohmann::json j = nlohmann::json::parse(read_file(chrome));
  expect_valid_perfetto(j, GetParam());
  fs::remove(trace);
  fs::remove(chrome);
}

TEST_P(EveryScenario, EveryMetricItEmitsIsDocumentedAndHasItsOwnHelp) {
  const sim::Scenario s = sim::load_scenario(GetParam(), catalog_);
  const RunReport run = run_scenario(s, {});
  const std::string doc = read_file("docs/metrics.md");
  ASSERT_FALSE(doc.empty());
  for (const checkers::Metric& m : run.metrics) {
    EXPECT_NE(doc.find("`" + m.name + "`"), std::string::npos)
        << m.name << " is not documented in docs/metrics.md";
    EXPECT_NE(doc.find(openmetrics_name(m.name, m.unit)), std::string::npos)
        << "docs/metrics.md does not give the OpenMetrics name of " << m.name;
    EXPECT_EQ(openmetrics_help(m.name).find("lockstep metric "), std::string::npos)
        << m.name << " has no help text in tools/openmetrics.cpp";
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, EveryScenario, ::testing::ValuesIn(all_scenarios()),
                         [](const auto& info) {
                           return lockstep::testing::param_name(info.param);
                         });

TEST(Perfetto, PauseWithoutFencingShowsHoldingsPauseAndMessages) {
  const sim::Catalog catalog = make_catalog();
  const sim::Scenario s =
      sim::load_scenario("scenarios/lease-lock/pause-without-fencing.yaml", catalog);
  const std::string path = scratch("pwf").string() + ".json";
  PerfettoSink sink(path);
  RunOptions options;
  options.extra_sinks.push_back(&sink);
  run_scenario(s, options);
  ASSERT_TRUE(sink.commit());
  const nlohmann::json j = nlohmann::json::parse(read_file(path));
  std::map<int64_t, std::string> process;
  for (const auto& e : j["traceEvents"]) {
    if (e["ph"] == "M" && e["name"] == "process_name") process[e["pid"]] = e["args"]["name"];
  }
  bool c2_token2 = false, c1_paused = false, pause_instant = false;
  int flows = 0;
  for (const auto& e : j["traceEvents"]) {
    const std::string who = process[e["pid"]];
    if (e["ph"] == "X" && who == "c2 (client)" && e["name"] == "lock held (token 2)") {
      c2_token2 = true;
    }
    if (e["ph"] == "X" && who == "c1 (client)" && e["name"] == "paused") {
      c1_paused = e["ts"].get<double>() == 5e6 && e["dur"].get<double>() == 15e6;
    }
    if (e["ph"] == "i" && who == "c1 (client)" && e["name"] == "fault.pause") pause_instant = true;
    if (e["ph"] == "s") ++flows;
  }
  EXPECT_TRUE(c2_token2);
  EXPECT_TRUE(c1_paused) << "c1 paused from 5s for 15s";
  EXPECT_TRUE(pause_instant);
  EXPECT_EQ(flows, j["otherData"]["messages"].get<int>());
  fs::remove(path);
}

}  // namespace
}  // namespace lockstep::tools
