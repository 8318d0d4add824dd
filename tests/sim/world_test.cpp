// The world's semantics, driven by the scriptable probe protocol: crash, restart, pause,
// partitions, clock steps, timer cancellation, role targets, determinism.
#include <gtest/gtest.h>

#include "tests/sim/probe.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::testing {
namespace {

using sim::Duration;
using sim::FaultType;
using sim::Kind;
using sim::Message;

constexpr int64_t kSecond = 1'000'000'000;

std::vector<int64_t> times_of(const Recorder& r, Kind kind, sim::NodeIndex node) {
  std::vector<int64_t> out;
  for (const Recorded* e : r.of(kind)) {
    if (e->event.node == node) out.push_back(e->event.at.ns);
  }
  return out;
}

TEST(World, CrashLosesPendingTimersAndRestartStartsAFreshProcessWithDurableState) {
  ProbeWorld w(1);
  std::vector<int64_t> boots;
  w.hooks.on_start = [&](sim::Context& ctx) {
    const int64_t b = ctx.durable().get("boots") + 1;
    ctx.durable().put("boots", b);
    boots.push_back(b);
    ctx.set_timer(0, Duration::seconds(5));
  };
  auto& f = w.add_fault(FaultType::crash, Duration::seconds(1));
  f.target.node = 0;
  f.length_ns = sim::Distribution::constant_of(static_cast<double>((Duration::seconds(2)).ns));
  Recorder r;
  w.run(r);
  EXPECT_EQ(boots, (std::vector<int64_t>{1, 2}));
  // The timer set at boot (due 5s) died with the crash; the one set at restart (3s) fires at 8s.
  EXPECT_EQ(times_of(r, Kind::timer_fire, 0), (std::vector<int64_t>{8 * kSecond}));
  EXPECT_EQ(times_of(r, Kind::fault_crash, 0), (std::vector<int64_t>{1 * kSecond}));
  EXPECT_EQ(times_of(r, Kind::fault_restart, 0), (std::vector<int64_t>{3 * kSecond}));
}

TEST(World, MessagesToACrashedNodeAreDroppedAndDeliveredAgainAfterRestart) {
  ProbeWorld w(2);
  w.hooks.on_start = [](sim::Context& ctx) {
    if (ctx.self() == 0) ctx.set_timer(0, Duration::millis(500));
  };
  w.hooks.on_timer = [](sim::Context& ctx, sim::TimerSlot) {
    ctx.send(1, Message::of<int>(0, 7));
    ctx.set_timer(0, Duration::seconds(1));
  };
  auto& f = w.add_fault(FaultType::crash, Duration::seconds(2));
  f.target.node = 1;
  f.length_ns = sim::Distribution::constant_of(
      static_cast<double>((Duration::millis(2'200)).ns));  // down from 2s to 4.2s
  Recorder r;
  w.run(r);
  std::vector<std::string> reasons;
  for (const Recorded* e : r.of(Kind::net_drop)) reasons.push_back(e->text);
  // Sends at 2.5s, 3.5s are lost (node down); 0.5s, 1.5s and from 4.5s on are delivered.
  EXPECT_EQ(reasons, (std::vector<std::string>{"down", "down"}));
  EXPECT_EQ(times_of(r, Kind::net_deliver, 1).size(), 8u);  // 0.5,1.5,4.5..9.5
}

TEST(World, APausedNodesClocksRunOnWhileItsTimersAndDeliveriesWaitInOrder) {
  ProbeWorld w(2);
  std::vector<std::pair<std::string, int64_t>> seen;  // what n1 handled, at its monotonic time
  w.hooks.on_start = [](sim::Context& ctx) {
    if (ctx.self() == 0) {
      ctx.set_timer(0, Duration::seconds(2));
      ctx.set_timer(1, Duration::seconds(4));
    } else {
      ctx.set_timer(0, Duration::seconds(3));
    }
  };
  w.hooks.on_timer = [&](sim::Context& ctx, sim::TimerSlot slot) {
    if (ctx.self() == 1) {
      ctx.send(0, Message::of<int>(0, 1));  // arrives at 3.001s
      return;
    }
    seen.push_back({"timer" + std::to_string(slot), ctx.now().ns});
  };
  w.hooks.on_message = [&](sim::Context& ctx, sim::NodeIndex, const Message&) {
    seen.push_back({"message", ctx.now().ns});
  };
  auto& f = w.add_fault(FaultType::pause, Duration::seconds(1));
  f.target.node = 0;
  f.length_ns = sim::Distribution::constant_of(static_cast<double>((Duration::seconds(5)).ns));
  Recorder r;
  w.run(r);
  using Seen = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(seen,
            (Seen{{"timer0", 6 * kSecond}, {"message", 6 * kSecond}, {"timer1", 6 * kSecond}}));
}

TEST(World, PartitionDropsAcrossGroupsIncludingMessagesInFlightAndHeals) {
  ProbeWorld w(3);
  w.scenario.network.latency_ns = sim::Distribution::constant_of(100e6);  // 100ms
  w.hooks.on_start = [](sim::Context& ctx) { ctx.set_timer(0, Duration::millis(950)); };
  w.hooks.on_timer = [](sim::Context& ctx, sim::TimerSlot) {
    for (sim::NodeIndex to = 0; to < 3; ++to) {
      if (to != ctx.self()) ctx.send(to, Message::of<int>(0, 1));
    }
    ctx.set_timer(0, Duration::seconds(1));
  };
  auto& f = w.add_fault(FaultType::partition, Duration::seconds(1));  // sends at 0.95s in flight
  f.groups = {{0}, {1, 2}};
  f.length_ns = sim::Distribution::constant_of(
      static_cast<double>((Duration::seconds(2)).ns));  // heals at 3s
  Recorder r;
  w.run(r);
  int across_delivered_during = 0;
  int within_delivered_during = 0;
  for (const Recorded* e : r.of(Kind::net_deliver)) {
    const int64_t t = e->event.at.ns;
    if (t <= kSecond || t >= 3 * kSecond) continue;
    const bool across = (e->event.node == 0) != (e->event.get_or(sim::Key::from, 0) == 0);
    (across ? across_delivered_during : within_delivered_during)++;
  }
  EXPECT_EQ(across_delivered_during, 0);
  EXPECT_EQ(within_delivered_during, 4);  // n2<->n3 both ways, landing at 1.05s and 2.05s
  // After the heal everything flows again: the 3.95s round reaches every node.
  int late_across = 0;
  for (const Recorded* e : r.of(Kind::net_deliver)) {
    if (e->event.at.ns == 4'050'000'000 &&
        (e->event.node == 0 || e->event.get_or(sim::Key::from, 0) == 0)) {
      ++late_across;
    }
  }
  EXPECT_EQ(late_across, 4);
  // Connectivity is in the trace: the four directed links across the cut go down, then up.
  ASSERT_EQ(r.of(Kind::net_link_down).size(), 4u);
  ASSERT_EQ(r.of(Kind::net_link_up).size(), 4u);
  EXPECT_EQ(r.of(Kind::net_link_down)[0]->event.at.ns, kSecond);
  EXPECT_EQ(r.of(Kind::net_link_up)[0]->event.at.ns, 3 * kSecond);
}

TEST(World, OverlappingFaultsReportALinkUpOnlyWhenTheLastOneHeals) {
  ProbeWorld w(2);
  auto& cut = w.add_fault(FaultType::cut, Duration::seconds(1));
  cut.links = {{0, 1}};
  cut.length_ns = sim::Distribution::constant_of(
      static_cast<double>((Duration::seconds(2)).ns));  // heals at 3s
  auto& iso = w.add_fault(FaultType::isolate, Duration::seconds(2));
  iso.target.node = 0;
  iso.length_ns = sim::Distribution::constant_of(
      static_cast<double>((Duration::seconds(3)).ns));  // heals at 5s
  Recorder r;
  w.run(r);
  std::vector<std::pair<int64_t, int64_t>> down;  // (time, from)
  for (const Recorded* e : r.of(Kind::net_link_down)) {
    down.push_back({e->event.at.ns, e->event.get_or(sim::Key::from, -1)});
  }
  // 0->1 goes down at 1s; at 2s only 1->0 is newly down.
  EXPECT_EQ(down, (std::vector<std::pair<int64_t, int64_t>>{{kSecond, 0}, {2 * kSecond, 1}}));
  ASSERT_EQ(r.of(Kind::net_link_up).size(), 2u);
  EXPECT_EQ(r.of(Kind::net_link_up)[0]->event.at.ns, 5 * kSecond);
  EXPECT_EQ(r.of(Kind::net_link_up)[1]->event.at.ns, 5 * kSecond);
}

TEST(World, ClockStepMovesOnlyThatNodesWallClock) {
  ProbeWorld w(2);
  std::vector<int64_t> wall_at_5s;
  std::vector<int64_t> mono_at_5s;
  w.hooks.on_start = [](sim::Context& ctx) { ctx.set_timer(0, Duration::seconds(5)); };
  w.hooks.on_timer = [&](sim::Context& ctx, sim::TimerSlot) {
    wall_at_5s.push_back(ctx.now(sim::ClockKind::wall).ns);
    mono_at_5s.push_back(ctx.now().ns);
  };
  auto& f = w.add_fault(FaultType::clock_step, Duration::seconds(2));
  f.target.node = 1;
  f.by_ns = sim::Distribution::constant_of(static_cast<double>((Duration::seconds(-3)).ns));
  Recorder r;
  w.run(r);
  EXPECT_EQ(wall_at_5s, (std::vector<int64_t>{5 * kSecond, 2 * kSecond}));
  EXPECT_EQ(mono_at_5s, (std::vector<int64_t>{5 * kSecond, 5 * kSecond}));
}

TEST(World, ADriftingNodesTimersFireByItsOwnClock) {
  ProbeWorld w(1);
  w.scenario.nodes[0].clock.drift_ppm = sim::Distribution::constant_of(-100'000);  // 10% slow
  w.scenario.duration = Duration::seconds(20);
  w.hooks.on_start = [](sim::Context& ctx) { ctx.set_timer(0, Duration::seconds(9)); };
  Recorder r;
  w.run(r);
  EXPECT_EQ(times_of(r, Kind::timer_fire, 0), (std::vector<int64_t>{10 * kSecond}));
}

TEST(World, SettingASlotReplacesItsTimerAndCancelStopsIt) {
  ProbeWorld w(1);
  w.hooks.on_start = [](sim::Context& ctx) {
    ctx.set_timer(0, Duration::seconds(1));
    ctx.set_timer(0, Duration::seconds(2));  // replaces the 1s timer
    ctx.set_timer(1, Duration::seconds(3));
    ctx.cancel_timer(1);
  };
  Recorder r;
  w.run(r);
  EXPECT_EQ(times_of(r, Kind::timer_fire, 0), (std::vector<int64_t>{2 * kSecond}));
}

// A timer set again before it fires keeps one queue entry, which moves to the new deadline when
// it comes up: a timeout reset every 1ms for 10s fires once, 50ms after the last reset, and the
// run pops about one entry per 50ms, not one per reset.
TEST(World, ATimerResetOnEveryTickFiresOnceAfterTheLastResetFromOneQueueEntry) {
  ProbeWorld w(1);
  w.hooks.on_start = [](sim::Context& ctx) {
    ctx.set_timer(0, Duration::millis(1));
    ctx.set_timer(1, Duration::millis(50));
  };
  w.hooks.on_timer = [](sim::Context& ctx, sim::TimerSlot slot) {
    if (slot != 0 || ctx.now(sim::ClockKind::monotonic).ns >= 5 * kSecond) return;
    ctx.set_timer(0, Duration::millis(1));
    ctx.set_timer(1, Duration::millis(50));  // the timeout, reset on every tick
  };
  Recorder r;
  w.run(r);
  const auto fires_of = [&](int64_t slot) {
    std::vector<int64_t> out;
    for (const Recorded* e : r.of(Kind::timer_fire)) {
      if (e->event.fields[0].value == slot) out.push_back(e->event.at.ns);
    }
    return out;
  };
  EXPECT_EQ(fires_of(0).size(), 5000u);
  EXPECT_EQ(fires_of(1), (std::vector<int64_t>{5 * kSecond + 49'000'000}));
  // 5,000 ticks and about 5 s / 50 ms = 100 moves of the timeout's entry (5,000 without).
  EXPECT_LT(w.events, 5'000u + 200u);
}

// A timer set again keeps the place in the order its new setting gave it: here slot 0, set at
// 0s for 10s and at 5s for 5s, and slot 1, set at 2s for 8s, are due at the same instant; slot
// 1 was set last before slot 0's second setting, so it fires first, as if slot 0's first entry
// had never been queued. An earlier deadline replaces the entry at once.
TEST(World, ATimerSetAgainFiresInTheOrderOfItsLastSetting) {
  ProbeWorld w(1);
  w.hooks.on_start = [](sim::Context& ctx) {
    ctx.set_timer(0, Duration::seconds(10));
    ctx.set_timer(2, Duration::seconds(2));
    ctx.set_timer(3, Duration::seconds(5));
    ctx.set_timer(4, Duration::seconds(9));
    ctx.set_timer(5, Duration::seconds(1));
  };
  w.hooks.on_timer = [](sim::Context& ctx, sim::TimerSlot slot) {
    if (slot == 2) ctx.set_timer(1, Duration::seconds(8));
    if (slot == 3) ctx.set_timer(0, Duration::seconds(5));
    if (slot == 5) ctx.set_timer(4, Duration::seconds(3));  // earlier than its 9s: 4s
  };
  w.scenario.duration = Duration::seconds(20);
  Recorder r;
  w.run(r);
  std::vector<std::pair<int64_t, int64_t>> fired;  // (time, slot)
  for (const Recorded* e : r.of(Kind::timer_fire)) {
    fired.emplace_back(e->event.at.ns, e->event.fields[0].value);
  }
  EXPECT_EQ(fired, (std::vector<std::pair<int64_t, int64_t>>{{1 * kSecond, 5},
                                                             {2 * kSecond, 2},
                                                             {4 * kSecond, 4},
                                                             {5 * kSecond, 3},
                                                             {10 * kSecond, 1},
                                                             {10 * kSecond, 0}}));
}

TEST(World, HolderTargetIsResolvedWhenTheFaultFires) {
  ProbeWorld w(3);
  w.hooks.on_start = [](sim::Context& ctx) {
    if (ctx.self() == 2) ctx.set_timer(0, Duration::millis(500));
  };
  w.hooks.on_timer = [](sim::Context& ctx, sim::TimerSlot) {
    ctx.observe(obs::lock_acquired, {{fld::token, 1}});
  };
  auto& early = w.add_fault(FaultType::crash, Duration::millis(100));  // nobody holds yet
  early.target.role = "holder";
  auto& late = w.add_fault(FaultType::crash, Duration::seconds(1));
  late.target.role = "holder";
  Recorder r;
  w.run(r);
  ASSERT_EQ(r.of(Kind::fault_skipped).size(), 1u);
  EXPECT_EQ(r.of(Kind::fault_skipped)[0]->event.at.ns, 100'000'000);
  ASSERT_EQ(r.of(Kind::fault_crash).size(), 1u);
  EXPECT_EQ(r.of(Kind::fault_crash)[0]->event.node, 2u);
  EXPECT_NE(r.of(Kind::fault_crash)[0]->text.find("(n3)"), std::string::npos);
}

TEST(World, SameSeedSameHashDifferentSeedDifferentHash) {
  auto run = [](uint64_t seed) {
    ProbeWorld w(4);
    w.scenario.network.latency_ns = sim::Distribution{sim::Distribution::Kind::uniform, 1e6, 9e6};
    w.scenario.network.loss = 0.1;
    w.hooks.on_start = [](sim::Context& ctx) { ctx.set_timer(0, Duration::millis(10)); };
    w.hooks.on_timer = [](sim::Context& ctx, sim::TimerSlot) {
      ctx.send((ctx.self() + 1) % 4, Message::of<int>(0, 1));
      ctx.set_timer(0, Duration::millis(10));
    };
    Recorder r;
    return w.run(r, seed);
  };
  EXPECT_EQ(run(1), run(1));
  EXPECT_NE(run(1), run(2));
}

}  // namespace
}  // namespace lockstep::testing
