// A scriptable protocol for testing the simulator itself: each test supplies what every node
// does on start, on a message and on a timer, and reads back what happened.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/core/trace.hpp"
#include "sim/core/world.hpp"
#include "sim/scenario/catalog.hpp"
#include "sim/scenario/plan.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::testing {

struct ProbeHooks {
  std::function<void(sim::Context&)> on_start = [](sim::Context&) {};
  std::function<void(sim::Context&, sim::NodeIndex, const sim::Message&)> on_message =
      [](sim::Context&, sim::NodeIndex, const sim::Message&) {};
  std::function<void(sim::Context&, sim::TimerSlot)> on_timer = [](sim::Context&, sim::TimerSlot) {
  };
  std::function<void(sim::Context&, sim::StorageTicket)> on_durable = [](sim::Context&,
                                                                         sim::StorageTicket) {};
};

class ProbeProcess : public sim::Process {
 public:
  explicit ProbeProcess(const ProbeHooks& hooks) : hooks_(hooks) {}
  void on_start(sim::Context& ctx) override { hooks_.on_start(ctx); }
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& m) override {
    hooks_.on_message(ctx, from, m);
  }
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override { hooks_.on_timer(ctx, slot); }
  void on_durable(sim::Context& ctx, sim::StorageTicket t) override { hooks_.on_durable(ctx, t); }

 private:
  const ProbeHooks& hooks_;
};

// A recorded trace event with its text copied (Event::text lives only as long as the run).
struct Recorded {
  sim::Event event;
  std::string text;
};

class Recorder : public sim::TraceSink {
 public:
  void on_event(const sim::Event& e) override { events.push_back({e, std::string(e.text)}); }
  std::vector<const Recorded*> of(sim::Kind kind) const {
    std::vector<const Recorded*> out;
    for (const Recorded& r : events) {
      if (r.event.kind == kind) out.push_back(&r);
    }
    return out;
  }
  std::vector<Recorded> events;
};

// A scenario of `n` probe nodes n1..nN with zero-drift clocks and a 1ms network.
struct ProbeWorld {
  ProbeHooks hooks;
  sim::ProtocolSpec spec;
  sim::Scenario scenario;
  sim::WorldLimits limits;

  explicit ProbeWorld(size_t n) {
    spec.name = "probe";
    spec.roles = {{"node", "a scripted test node"}};
    spec.messages = {"ping", "pong"};
    spec.claims = {
        {"holder", {"lock.acquired"}, {"lock.released", "lock.expired", "lock.lost"}, "holds"},
        {"leader", {"leader.elected"}, {"leader.stepped_down"}, "leads"}};
    scenario.vocabulary = catalog_vocabulary();
    scenario.claims = {
        {"holder", {obs::lock_acquired}, {obs::lock_released, obs::lock_expired, obs::lock_lost}},
        {"leader", {obs::leader_elected}, {obs::leader_stepped_down}}};
    spec.make = [this](const sim::NodeSetup&) { return std::make_unique<ProbeProcess>(hooks); };
    scenario.name = "probe";
    scenario.protocol = "probe";
    scenario.protocol_spec = &spec;
    scenario.duration = sim::Duration::seconds(10);
    for (size_t i = 0; i < n; ++i) {
      sim::NodeSpec node;
      node.id = "n" + std::to_string(i + 1);
      node.role = "node";
      scenario.nodes.push_back(node);
    }
  }

  sim::FaultSpec& add_fault(sim::FaultType type, sim::Duration at) {
    sim::FaultSpec f{};
    f.type = type;
    f.at_min = sim::Instant{at.ns};
    f.at_max = sim::Instant{at.ns};
    scenario.faults.push_back(f);
    return scenario.faults.back();
  }

  // Runs once with `seed`; returns the trace hash.
  uint64_t run(Recorder& recorder, uint64_t seed = 1) {
    const sim::Plan plan = sim::resolve_plan(scenario, seed);
    sim::Trace trace;
    trace.add_sink(&recorder);
    sim::World world(sim::world_config(scenario), plan, trace, limits);
    world.run();
    events = world.events_processed();
    return trace.hash();
  }
  uint64_t events = 0;  // the last run's scheduler events
};

}  // namespace lockstep::testing
