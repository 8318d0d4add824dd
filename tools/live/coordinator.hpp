// `lockstep live`: runs a scenario for real. The coordinator starts one OS process per node (the
// same binary in node mode, tools/live/node.hpp), applies the scenario's fault schedule to them
// for real (SIGSTOP/SIGCONT, SIGKILL and restart, link blocks and clock transforms sent to the
// nodes), collects every node's observations into one trace on the shared CLOCK_MONOTONIC, and
// runs the same checkers, metrics and expectations as `lockstep run`. Children never outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/scenario/scenario.hpp"
#include "tools/engine/runner.hpp"

namespace lockstep::live {

struct LiveOptions {
  std::optional<uint64_t> seed;  // default: the scenario's
  double time_scale = 1;         // every duration of the scenario is multiplied by it, for real
  std::string trace_path;        // JSONL trace; empty: none
  std::string run_dir;   // node journals and the ports file; empty: a temp dir, removed after
  std::string self_exe;  // the binary to start in node mode
  double startup_timeout_s = 10;             // real seconds for every node to bind its port
  std::vector<sim::TraceSink*> extra_sinks;  // more consumers of the trace (the timeline)
};

struct LiveResult {
  tools::RunReport report;
  std::string run_dir;
  std::vector<uint16_t> ports;    // by NodeIndex
  int64_t foreign_datagrams = 0;  // dropped by the nodes: not of this run, or malformed
  int64_t restarts = 0;
  bool interrupted = false;  // SIGINT / SIGTERM: the report covers the run so far
};

// Scenario features the live runtime cannot honour, as InputErrors naming file:line:col and the
// key; empty when it can run the scenario.
std::vector<sim::InputError> live_refusals(const sim::Scenario& scenario);

// Throws sim::InputError for bad input and a refused scenario, std::runtime_error when a node
// fails (after killing every child).
LiveResult run_live(const sim::Scenario& scenario, const LiveOptions& options);

}  // namespace lockstep::live
