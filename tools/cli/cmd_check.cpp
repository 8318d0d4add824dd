// `lockstep check TRACE.jsonl --checker NAME[:k=v,...] ...`: runs checkers over a trace that
// already exists (written by `run --trace`, or converted from a real system's logs) and reports
// verdicts and metrics as `run` does. Exit 0 when every expectation is met (a checker is expected
// to hold unless --expect says otherwise), 1 when one is not, 2 for a malformed trace or usage.
// `lockstep check --history FILE --model M` checks a client history instead (check_history.hpp).
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "checkers/checker.hpp"
#include "checkers/metrics.hpp"
#include "sim/io/yaml_guard.hpp"
#include "sim/io/yaml_util.hpp"
#include "tools/cli/check_history.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/help.hpp"
#include "tools/engine/runner.hpp"
#include "tools/results/report.hpp"
#include "tools/trace/trace_reader.hpp"

namespace po = boost::program_options;

namespace lockstep::tools {
namespace {

struct CheckArgs {
  std::string trace;
  std::vector<std::string> checkers;
  std::vector<std::string> expects;
  bool json = false;
  HistoryCheckArgs history;  // --history FILE --model M: a client history instead of a trace
};

CheckArgs parse(const std::vector<std::string>& args) {
  CheckArgs out;
  po::options_description opts("check options");
  opts.add_options()("checker", po::value<std::vector<std::string>>(&out.checkers),
                     "NAME or NAME:param=value,...; repeat for several")(
      "expect", po::value<std::vector<std::string>>(&out.expects),
      "NAME=holds|violated|inconclusive|any (default: holds)")("json", po::bool_switch(&out.json),
                                                               "print the report as JSON")(
      "trace", po::value<std::string>(&out.trace), "the JSONL trace")(
      "history", po::value<std::string>(&out.history.file),
      "a JSONL client history to check for linearizability (docs/history-format.md)")(
      "model", po::value<std::string>(&out.history.model),
      "with --history: lock|register|cas|mixed")(
      "max-steps", po::value<int64_t>(&out.history.max_steps),
      "with --history: the search's bound (inconclusive, exit 3, when reached)");
  po::positional_options_description pos;
  pos.add("trace", 1);
  po::variables_map vm = parse_command("check", args, opts, pos);
  if (!out.history.file.empty()) {
    if (!out.trace.empty() || !out.checkers.empty() || !out.expects.empty()) {
      throw po::error("--history takes no TRACE, --checker or --expect");
    }
    out.history.json = out.json;
    return out;
  }
  if (out.trace.empty()) throw po::error("missing TRACE.jsonl (or --history FILE)");
  return out;
}

std::vector<sim::CheckerConfig> checker_configs(const CheckArgs& a) {
  const std::vector<sim::CheckerSpec> specs = checkers::checker_specs();
  std::vector<sim::CheckerConfig> configs;
  for (const std::string& arg : a.checkers) {
    sim::CheckerConfig c = parse_checker_arg(arg, specs);
    for (const sim::CheckerConfig& earlier : configs) {
      if (earlier.name == c.name) {
        throw std::invalid_argument("--checker " + c.name + " is given twice");
      }
    }
    configs.push_back(std::move(c));
  }
  return configs;
}

// The verdict each configured checker is expected to reach: holds, unless --expect says
// otherwise. Checked before the trace is read, so a typo costs nothing.
std::vector<sim::Expected> expected_verdicts(const CheckArgs& a,
                                             const std::vector<sim::CheckerConfig>& configs) {
  std::vector<sim::Expected> out(configs.size(), sim::Verdict::holds);
  std::vector<std::string_view> names;
  for (const sim::CheckerConfig& c : configs) names.push_back(c.name);
  for (const std::string& e : a.expects) {
    const size_t eq = e.find('=');
    const std::string name = e.substr(0, eq);
    const std::string word = eq == std::string::npos ? "" : e.substr(eq + 1);
    const std::optional<sim::Verdict> verdict = sim::verdict_from_name(word);
    if (!verdict.has_value() && word != "any") {
      throw std::invalid_argument(
          "--expect " + e + ": expected NAME=holds, NAME=violated, NAME=inconclusive or NAME=any");
    }
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      throw std::invalid_argument("--expect " + e + ": '" + name + "' is not a --checker here" +
                                  sim::yaml_util::hint(name, names));
    }
    out[static_cast<size_t>(it - names.begin())] = verdict;  // nullopt: any
  }
  return out;
}

std::string render(const CheckArgs& a, const TraceReader& reader, uint64_t events, uint64_t hash,
                   const std::vector<checkers::CheckResult>& results,
                   const std::vector<ExpectationOutcome>& expected,
                   const std::vector<checkers::Metric>& metrics) {
  const sim::TraceInfo& info = reader.info();
  std::string out = "trace     " + a.trace + "\n";
  out += "scenario  " + info.scenario + (info.protocol.empty() ? "" : "  (" + info.protocol + ")") +
         "\n";
  out += "events    " + std::to_string(events) + " over " +
         sim::format_duration(sim::Duration{reader.end().ns}) + ", " +
         std::to_string(info.node_ids.size()) + " nodes\n";
  if (!results.empty()) out += "\nverdicts\n" + render_verdicts(results, expected, reader.info());
  out += "\nmetrics\n" + render_metrics(metrics);
  out += "\nhash      " + sim::hash_hex(hash) + "\n";
  size_t met = 0;
  bool all = true;
  for (const ExpectationOutcome& e : expected) {
    met += e.met() ? 1 : 0;
    all = all && e.met();
  }
  out += "result    " + std::to_string(met) + " of " + std::to_string(expected.size()) +
         " expectations met" + (all ? "" : " -- FAILED") + "\n";
  return out;
}

// Folds every event into the trace hash: the same events as a run give the run's hash.
class HashSink : public sim::TraceSink {
 public:
  void begin(const sim::TraceInfo& info) override { hash.begin(info); }
  void on_event(const sim::Event& e) override { hash.add(e); }
  sim::TraceHash hash;
};

int check(const CheckArgs& a) {
  const std::vector<sim::CheckerConfig> configs = checker_configs(a);
  const std::vector<sim::Expected> verdicts = expected_verdicts(a, configs);
  // A directory, FIFO or device is refused before it is opened (a FIFO would block).
  const std::string irregular = sim::irregular_file_reason(a.trace);
  std::ifstream in;
  if (irregular.empty()) in.open(a.trace, std::ios::binary);
  if (!irregular.empty() || !in) {
    std::fprintf(stderr, "%s: cannot open the trace file%s%s\n", a.trace.c_str(),
                 irregular.empty() ? "" : ": ", irregular.c_str());
    return 2;
  }
  const sim::Catalog catalog = make_catalog();
  TraceReader reader(in, a.trace, &catalog);
  std::vector<std::unique_ptr<checkers::Checker>> active;
  std::vector<sim::TraceSink*> sinks;
  for (const sim::CheckerConfig& c : configs) {
    active.push_back(checkers::make_checker(c));
    sinks.push_back(active.back().get());
  }
  checkers::Metrics metrics;
  HashSink hash;
  sinks.push_back(&metrics);
  sinks.push_back(&hash);
  const uint64_t events = feed_trace(reader, sinks);
  std::vector<checkers::CheckResult> results;
  std::vector<ExpectationOutcome> expected;
  bool all_met = true;
  for (size_t i = 0; i < active.size(); ++i) {
    results.push_back(active[i]->result());
    expected.push_back({results[i].checker, verdicts[i], results[i].verdict});
    all_met = all_met && expected.back().met();
  }
  if (a.json) {
    const sim::TraceInfo& info = reader.info();
    nlohmann::json j = {
        {"trace", a.trace},  {"scenario", info.scenario},      {"protocol", info.protocol},
        {"seed", info.seed}, {"duration_ns", reader.end().ns}, {"events", events}};
    j["verdicts"] = verdicts_json(results, expected, reader.info());
    j["metrics"] = metrics_json(metrics.values());
    j["trace_hash"] = sim::hash_hex(hash.hash.value());
    j["all_met"] = all_met;
    std::cout << j.dump(2) << "\n";
  } else {
    std::fputs(
        render(a, reader, events, hash.hash.value(), results, expected, metrics.values()).c_str(),
        stdout);
  }
  return all_met ? 0 : 1;
}

}  // namespace

int cmd_check(const std::vector<std::string>& args) {
  const CheckArgs a = parse(args);
  if (!a.history.file.empty()) return check_history(a.history);
  try {
    return check(a);
  } catch (const TraceError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "lockstep check: %s\n", e.what());
    return 2;
  }
}

}  // namespace lockstep::tools
