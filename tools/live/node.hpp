// One node of a live run: the unchanged protocol Process behind a sim::Context over Boost.Asio
// (UDP on 127.0.0.1, timers on the real monotonic clock, the node's clocks as the scenario's
// transform of the real one, a journal file with fdatasync for durable storage). It is the
// `lockstep` binary started by the coordinator in node mode; see tools/live/coordinator.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/event.hpp"

namespace lockstep::live {

struct NodeArgs {
  std::string scenario;  // the scenario file, loaded again by the node
  uint64_t seed = 0;
  sim::NodeIndex node = 0;
  double time_scale = 1;
  uint64_t cookie = 0;
  std::string run_dir;       // where its journal lives
  uint32_t incarnation = 0;  // 0 at boot, +1 per restart
  uint16_t port = 0;         // 0: any free port (boot); a restart binds its old port again
  int event_fd = 3;          // where it writes EventRecords; commands arrive on stdin
};

// CLOCK_MONOTONIC in nanoseconds: the live runtime's true time, shared by every process.
int64_t monotonic_ns();

// Parses the node mode's arguments (as the coordinator writes them). Throws std::invalid_argument.
NodeArgs parse_node_args(const std::vector<std::string>& args);
std::vector<std::string> node_args_to_argv(const NodeArgs& a);

// Runs the node until the coordinator says quit or goes away. Returns the process exit code.
int node_main(const NodeArgs& args);

}  // namespace lockstep::live
