// The world: hosts (clocks, lifecycle, durable storage, the protocol process), the network and
// the fault plan, driven by one scheduler loop in virtual time. Everything observable goes to
// the Trace. One World runs one scenario with one plan, once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/core/fault.hpp"
#include "sim/core/network.hpp"
#include "sim/core/params.hpp"
#include "sim/core/process.hpp"
#include "sim/core/storage.hpp"
#include "sim/core/trace.hpp"

namespace lockstep::sim {

struct WorldLimits {
  // An event explosion (1 ns timers, thousands of nodes) stops within seconds with a clear
  // message: the largest bundled scenario takes 14 M events, a run is 10-20 M events a second.
  uint64_t max_events = 200'000'000;  // scheduler events per run
  // From this many events on (and at each doubling), a run whose pace (the average so far, or
  // the pace since the last check once the average is over max_events) would need more than ten
  // times max_events by its end is stopped there: an explosion ends in about a second.
  uint64_t first_pace_check = uint64_t{1} << 22;
  size_t max_in_flight = 5'000'000;     // messages in the network at once (well below memory)
  size_t max_payload_bytes = 1 << 20;   // one message's payload
  size_t max_payload_live = 256 << 20;  // payload bytes alive at once (in flight and in handlers)
};

// A scenario exceeded one of the WorldLimits.
class LimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One node as the world hosts it: its name, role and protocol params (overrides applied).
struct NodeConfig {
  std::string id;
  std::string role;
  Params params;
  std::vector<std::string> claims;  // the role claims its role can make
  StorageSpec storage;              // its disk
};

// A role claim resolved to kind ids: an observation in `start` makes its node claim `role`,
// one in `end` (or a crash) gives it up.
struct RoleClaim {
  std::string role;
  std::vector<Kind> start;
  std::vector<Kind> end;
};

// Everything about a run that does not depend on the seed: who is in it, the network, the
// protocol's factory and names. sim/scenario/plan.hpp builds it from a scenario.
struct WorldConfig {
  std::string scenario;
  std::string protocol;
  Duration duration;
  std::vector<NodeConfig> nodes;
  NetworkSpec network;
  Params workload;
  std::function<std::unique_ptr<Process>(const NodeSetup&)> make;
  std::vector<std::string> messages;  // message type id -> name, for traces
  std::vector<RoleClaim> claims;
  std::shared_ptr<const Vocabulary> vocabulary = Vocabulary::kernel();
};

class World {
 public:
  World(WorldConfig config, const Plan& plan, Trace& trace, WorldLimits limits = {});
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Runs to the scenario's duration: events at or after it are not run.
  void run();
  // Calls `report(now, events)` after every `every` events of the run (and never when every is
  // 0). The callback only observes: it is how a long run shows progress, outside the simulation.
  using Progress = std::function<void(Instant now, uint64_t events)>;
  void on_progress(uint64_t every, Progress report);
  uint64_t events_processed() const;
  const TraceInfo& info() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lockstep::sim
