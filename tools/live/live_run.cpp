// `lockstep live` end to end: refuse what cannot be honoured live, run the coordinator, then feed
// the collected trace to the same checkers, metrics, JSONL writer and expectations as `run`.
#include <chrono>
#include <filesystem>
#include <memory>

#include "checkers/metrics.hpp"
#include "sim/core/world.hpp"
#include "sim/io/jsonl.hpp"
#include "tools/live/coordinator.hpp"
#include "tools/live/coordinator_impl.hpp"
#include "tools/live/frame.hpp"

namespace lockstep::live {
namespace {

std::string_view refused_fault(sim::FaultType t) {
  switch (t) {
    case sim::FaultType::disk_stall:
      return "disk_stall (the live disk is the machine's own)";
    case sim::FaultType::disk_slow:
      return "disk_slow (the live disk is the machine's own)";
    case sim::FaultType::drop:
      return "drop (one chosen message: the live runtime does not pick messages)";
    default:
      return {};
  }
}

}  // namespace

std::vector<sim::InputError> live_refusals(const sim::Scenario& s) {
  std::vector<sim::InputError> out;
  const std::string why = "the live runtime cannot honour ";
  if (!codec_for(s.protocol)) {
    out.emplace_back(s.file, 0, 0, "protocol.name", why + "protocol '" + s.protocol + "'");
  }
  for (size_t i = 0; i < s.nodes.size(); ++i) {
    if (s.nodes[i].storage.modelled()) {
      out.emplace_back(s.file, 0, 0, "storage",
                       why + "a storage model (node " + s.nodes[i].id +
                           "): live writes are fdatasync'ed at once on the real disk");
      break;
    }
  }
  for (size_t i = 0; i < s.faults.size(); ++i) {
    const sim::FaultSpec& f = s.faults[i];
    const std::string_view what = refused_fault(f.type);
    if (!what.empty()) {
      out.emplace_back(
          s.file, f.pos.line, f.pos.column,
          "faults[" + std::to_string(i) + "]." + std::string(sim::fault_type_name(f.type)),
          why + std::string(what));
    }
  }
  for (size_t i = 0; i < s.nemeses.size(); ++i) {
    for (sim::FaultType t : s.nemeses[i].kinds) {
      if (refused_fault(t).empty()) continue;
      out.emplace_back(s.file, s.nemeses[i].pos.line, s.nemeses[i].pos.column, "nemesis.kinds",
                       why + std::string(refused_fault(t)));
    }
  }
  if (s.swarm.declared) {
    out.emplace_back(s.file, s.swarm.pos.line, s.swarm.pos.column, "swarm",
                     why + "swarm (run it with `lockstep explore --swarm`)");
  }
  return out;
}

namespace {

// A protocol that refuses its configuration is bad input: build every node once here, so the
// user hears it before any process starts.
void check_nodes_build(const sim::Scenario& scenario, const sim::WorldConfig& c) {
  std::vector<sim::NodeInfo> infos;
  for (const sim::NodeConfig& n : c.nodes) infos.push_back({n.id, n.role});
  const sim::Directory directory(infos);
  for (sim::NodeIndex i = 0; i < c.nodes.size(); ++i) {
    try {
      c.make(sim::NodeSetup{i, directory[i], directory, c.nodes[i].params, c.workload});
    } catch (const std::invalid_argument& e) {
      throw sim::InputError(scenario.file, 0, 0, "protocol", e.what());
    }
  }
}

// The collected events through the checkers, metrics and JSONL writer, as `run` feeds them.
void check_trace(const sim::Scenario& scenario, const LiveOptions& options,
                 const Coordinator& coordinator, tools::RunReport& report) {
  sim::Trace trace;
  std::vector<std::unique_ptr<checkers::Checker>> active;
  for (const sim::CheckerConfig& config : scenario.checkers) {
    active.push_back(checkers::make_checker(config));
    trace.add_sink(active.back().get());
  }
  checkers::Metrics metrics;
  trace.add_sink(&metrics);
  for (sim::TraceSink* sink : options.extra_sinks) trace.add_sink(sink);
  std::unique_ptr<sim::JsonlSink> jsonl;
  if (!options.trace_path.empty()) {
    jsonl = std::make_unique<sim::JsonlSink>(options.trace_path);
    if (!jsonl->ok()) {
      throw sim::InputError(options.trace_path, 0, 0, "",
                            "cannot create the trace file (the directory must exist and be "
                            "writable)");
    }
    trace.add_sink(jsonl.get());
  }
  trace.begin(report.info);
  for (const sim::Event& e : coordinator.sorted_events()) trace.emit(e);
  trace.end(sim::Instant{coordinator.config().duration.ns});
  if (jsonl) {
    report.trace_written = jsonl->commit();
    if (!report.trace_written) {
      throw sim::InputError(options.trace_path, 0, 0, "", "cannot write the trace file");
    }
  }
  report.events = trace.count();
  report.trace_events = trace.count();
  report.hash = trace.hash();
  report.metrics = metrics.values();
  for (const auto& c : active) report.results.push_back(c->result());
  report.expectations = tools::judge(scenario, report.results);
}

}  // namespace

LiveResult run_live(const sim::Scenario& scenario, const LiveOptions& options) {
  const std::vector<sim::InputError> refusals = live_refusals(scenario);
  if (!refusals.empty()) throw refusals.front();
  LiveResult out;
  tools::RunReport& report = out.report;
  report.file = scenario.file;
  report.scenario = scenario.name;
  report.seed = options.seed.value_or(scenario.seed);
  Coordinator coordinator(scenario, options, report.seed);
  report.plan = coordinator.plan();
  check_nodes_build(scenario, coordinator.config());
  const auto started = std::chrono::steady_clock::now();
  coordinator.run();
  report.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // The names for the trace's indices are the simulator's: a world built (not run) for them.
  sim::Trace names_only;
  const sim::World world(coordinator.config(), coordinator.plan(), names_only);
  report.info = world.info();
  check_trace(scenario, options, coordinator, report);
  out.run_dir = coordinator.run_dir();
  out.ports = coordinator.ports();
  out.foreign_datagrams = coordinator.foreign_datagrams();
  out.restarts = coordinator.restarts();
  out.interrupted = coordinator.interrupted();
  // A run dir the coordinator made for itself holds only the journals of a finished run.
  if (options.run_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(out.run_dir, ec);
  }
  return out;
}

}  // namespace lockstep::live
