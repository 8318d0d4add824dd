#include "tools/engine/runner.hpp"

#include <errno.h>

#include <chrono>
#include <memory>

#include "protocols/registry.hpp"
#include "sim/core/trace.hpp"
#include "sim/core/world.hpp"
#include "sim/io/jsonl.hpp"
#include "tools/engine/extra_protocols.hpp"

namespace lockstep::tools {

sim::Catalog make_catalog() {
  std::vector<sim::ProtocolSpec> protocols = protocols::protocol_specs();
  for (sim::ProtocolSpec& extra : extra_protocol_specs()) protocols.push_back(std::move(extra));
  return sim::Catalog{std::move(protocols), checkers::checker_specs()};
}

bool RunReport::all_met() const {
  for (const ExpectationOutcome& e : expectations) {
    if (!e.met()) return false;
  }
  return true;
}

std::string invoked_name() {
  // glibc keeps argv[0] here; a test binary or another host program says "lockstep".
  const std::string_view argv0 = program_invocation_name ? program_invocation_name : "";
  const std::string_view base = argv0.substr(argv0.rfind('/') + 1);
  if (!base.starts_with("lockstep") || base.starts_with("lockstep-")) return "lockstep";
  return std::string(argv0);
}

std::string RunReport::replay_command() const {
  return invoked_name() + " run " + file + " --seed " + std::to_string(seed) +
         (swarm ? " --swarm" : "");
}

namespace {

// Records the running trace hash every `every` events, so a replay can tell where two traces
// part ways without keeping either trace.
class CheckpointSink : public sim::TraceSink {
 public:
  CheckpointSink(uint64_t every, std::vector<uint64_t>& out) : every_(every), out_(out) {}
  void begin(const sim::TraceInfo& info) override { hash_.begin(info); }
  void on_event(const sim::Event& e) override {
    hash_.add(e);
    if (++count_ % every_ == 0) out_.push_back(hash_.value());
  }

 private:
  uint64_t every_;
  std::vector<uint64_t>& out_;
  sim::TraceHash hash_;
  uint64_t count_ = 0;
};

}  // namespace

namespace {

// Every event's own digest, so two runs can be compared event by event (the first event whose
// digest differs is where they part ways; a running hash would need the whole unfinished block
// hashed per event).
class RunningHashes : public sim::TraceSink {
 public:
  void begin(const sim::TraceInfo& info) override {
    info_ = &info;
    hash_.begin(info);
  }
  void on_event(const sim::Event& e) override {
    const uint64_t digest = hash_.digest(e);
    if (compare_ == nullptr) {
      hashes_.push_back(digest);
    } else if (first_difference_ == UINT64_MAX &&
               (count_ >= compare_->size() || (*compare_)[count_] != digest)) {
      first_difference_ = count_;
      described_ = checkers::describe_event(e, *info_);
    }
    if (count_ == wanted_) described_ = checkers::describe_event(e, *info_);
    ++count_;
  }
  std::vector<uint64_t> hashes_;
  const std::vector<uint64_t>* compare_ = nullptr;
  uint64_t first_difference_ = UINT64_MAX;
  uint64_t wanted_ = UINT64_MAX;
  uint64_t count_ = 0;
  std::string described_;

 private:
  const sim::TraceInfo* info_ = nullptr;
  sim::TraceHash hash_;
};

}  // namespace

std::string check_determinism(const sim::Scenario& scenario, const RunOptions& options,
                              RunReport* first_run) {
  RunningHashes first;
  RunOptions a = options;
  a.extra_sinks.push_back(&first);
  *first_run = run_scenario(scenario, a);
  RunningHashes second;
  second.compare_ = &first.hashes_;
  RunOptions b = options;
  b.trace_path.clear();
  b.extra_sinks = {&second};
  const RunReport again = run_scenario(scenario, b);
  if (again.hash == first_run->hash && second.count_ == first.hashes_.size()) return {};
  const uint64_t at =
      second.first_difference_ == UINT64_MAX ? second.count_ : second.first_difference_;
  // The first run's events were not kept (that would cost memory per event); a third run shows
  // what that index holds once more, which may differ again.
  RunningHashes capture;
  capture.wanted_ = at;
  RunOptions c = options;
  c.trace_path.clear();
  c.extra_sinks = {&capture};
  run_scenario(scenario, c);
  const std::string none = "(no such event)";
  return "the same seed gave two different traces (hashes " + sim::hash_hex(first_run->hash) +
         " and " + sim::hash_hex(again.hash) + "); they first differ at event #" +
         std::to_string(at + 1) +
         ":\n  run 2: " + (second.first_difference_ == UINT64_MAX ? none : second.described_) +
         "\n  run 3: " + (capture.described_.empty() ? none : capture.described_) +
         "\n  (run 1 had " + std::to_string(first.hashes_.size()) + " events)";
}

std::string first_violated(const RunReport& report) {
  for (const checkers::CheckResult& r : report.results) {
    if (r.verdict == sim::Verdict::violated) return r.checker;
  }
  return {};
}

// A configured checker without an `expect:` entry is expected to hold.
std::vector<ExpectationOutcome> judge(const sim::Scenario& scenario,
                                      const std::vector<checkers::CheckResult>& results) {
  std::vector<ExpectationOutcome> out;
  for (const checkers::CheckResult& r : results) {
    sim::Expected expected = sim::Verdict::holds;
    for (const sim::Expectation& e : scenario.expect) {
      if (e.checker == r.checker) expected = e.verdict;
    }
    out.push_back({r.checker, expected, r.verdict});
  }
  return out;
}

RunReport run_scenario(const sim::Scenario& original, const RunOptions& options) {
  RunReport report;
  report.file = original.file;
  report.scenario = original.name;
  report.seed = options.seed.value_or(original.seed);
  report.swarm = options.swarm;
  const sim::Scenario scenario =
      options.swarm ? sim::apply_swarm(original, report.seed, &report.swarm_choices) : original;
  report.plan = sim::resolve_plan(scenario, report.seed);

  sim::Trace trace;
  if (options.route_every_event) trace.route_every_event();
  std::vector<std::unique_ptr<checkers::Checker>> active;
  for (const sim::CheckerConfig& config : scenario.checkers) {
    active.push_back(checkers::make_checker(config));
    trace.add_sink(active.back().get());
  }
  checkers::Metrics metrics;
  trace.add_sink(&metrics);
  std::unique_ptr<CheckpointSink> checkpoints;
  if (options.checkpoint_every > 0) {
    checkpoints = std::make_unique<CheckpointSink>(options.checkpoint_every, report.checkpoints);
    trace.add_sink(checkpoints.get());
  }
  for (sim::TraceSink* sink : options.extra_sinks) trace.add_sink(sink);
  std::unique_ptr<sim::JsonlSink> jsonl;
  if (!options.trace_path.empty()) {
    jsonl = std::make_unique<sim::JsonlSink>(options.trace_path);
    if (!jsonl->ok()) {
      throw sim::InputError(options.trace_path, 0, 0, "",
                            "cannot create the trace file (" + jsonl->error() + ")");
    }
    trace.add_sink(jsonl.get());
  }

  sim::World world(sim::world_config(scenario), report.plan, trace);
  world.on_progress(options.progress_every, options.on_progress);
  // Wall-clock time is measured here, outside the simulation, only to report speed.
  const auto started = std::chrono::steady_clock::now();
  try {
    world.run();
  } catch (const std::invalid_argument& e) {
    // A protocol refused its configuration (e.g. a client with no server to talk to).
    const auto [pos, key] = sim::blame_protocol_error(scenario, e.what());
    throw sim::InputError(scenario.file, pos.line, pos.column, key, e.what());
  }
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  if (jsonl) {
    report.trace_written = jsonl->commit();
    if (!report.trace_written) {
      throw sim::InputError(options.trace_path, 0, 0, "",
                            "cannot write the trace file (" + jsonl->error() + ")");
    }
  }
  report.info = world.info();
  report.events = world.events_processed();
  report.trace_events = trace.count();
  report.hash = trace.hash();
  report.metrics = metrics.values();
  for (const auto& c : active) report.results.push_back(c->result());
  report.expectations = judge(scenario, report.results);
  return report;
}

}  // namespace lockstep::tools
