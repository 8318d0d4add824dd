// The world: hosts (clocks, lifecycle, durable storage, the protocol process), the network and
// the fault plan, driven by one scheduler loop in virtual time. Everything observable goes to
// the Trace. One World runs one scenario with one plan, once.
#pragma once

#include <cstdint>
#include <memory>

#include "sim/plan.hpp"
#include "sim/scenario.hpp"
#include "sim/trace.hpp"

namespace lockstep::sim {

struct WorldLimits {
  uint64_t max_events = 2'000'000'000;  // scheduler events per run
  size_t max_in_flight = 50'000'000;    // messages in the network at once
};

// A scenario exceeded one of the WorldLimits.
class LimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class World {
 public:
  World(const Scenario& scenario, const Plan& plan, Trace& trace, WorldLimits limits = {});
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Runs to the scenario's duration: events at or after it are not run.
  void run();
  uint64_t events_processed() const;
  const TraceInfo& info() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lockstep::sim
