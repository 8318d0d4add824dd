// The storage model: with none, a write is durable at once; with one, a sync completes after the
// drawn write and fsync latencies, in issue order, the process hears of it, a crash loses what
// no completed sync covered (or keeps it), may tear the last append, and a stall holds syncs.
#include <gtest/gtest.h>

#include "sim/core/host_storage.hpp"
#include "tests/sim/probe.hpp"

namespace lockstep::testing {
namespace {

using sim::Duration;
using sim::Instant;
using sim::StorageSpec;

// A driver that only records what the storage asks of the world.
struct Driver : sim::HostStorage::Driver {
  Instant t;
  std::vector<std::pair<sim::StorageTicket, Instant>> scheduled;
  Instant now() const override { return t; }
  void schedule_sync(sim::StorageTicket ticket, Instant at, size_t) override {
    scheduled.push_back({ticket, at});
  }
};

StorageSpec model(int64_t fsync_ms, StorageSpec::OnCrash on_crash, bool torn = false) {
  StorageSpec s;
  s.fsync_latency_ns = sim::Distribution::constant_of(static_cast<double>(fsync_ms) * 1e6);
  s.on_crash = on_crash;
  s.torn_append = torn;
  return s;
}

TEST(HostStorage, WithoutAModelEveryWriteIsDurableAtOnce) {
  sim::HostStorage st;
  Driver d;
  st.attach(&d);
  st.put("term", 3);
  const sim::StorageTicket t = st.sync();
  EXPECT_TRUE(st.durable(t));
  EXPECT_TRUE(d.scheduled.empty());
  EXPECT_EQ(st.crash(), 0u);
  EXPECT_EQ(st.get("term"), 3);
}

TEST(HostStorage, ASyncCompletesAfterItsLatencyAndLaterSyncsQueueBehindIt) {
  sim::HostStorage st(model(10, StorageSpec::OnCrash::lose_unsynced), sim::Rng(1));
  Driver d;
  st.attach(&d);
  st.put("a", 1);
  const sim::StorageTicket t1 = st.sync();
  st.put("b", 2);
  const sim::StorageTicket t2 = st.sync();
  ASSERT_EQ(d.scheduled.size(), 2u);
  EXPECT_EQ(d.scheduled[0].second, Instant{10'000'000});
  EXPECT_EQ(d.scheduled[1].second, Instant{20'000'000});  // one disk: in issue order
  EXPECT_FALSE(st.durable(t1));
  EXPECT_EQ(st.get("b"), 2);  // reads see unsynced writes
  Instant later;
  EXPECT_TRUE(st.complete(t1, Instant{10'000'000}, &later));
  EXPECT_TRUE(st.durable(t1));
  EXPECT_FALSE(st.durable(t2));
  EXPECT_EQ(st.crash(), 1u);  // b was not yet durable
  EXPECT_EQ(st.get("a"), 1);
  EXPECT_FALSE(st.contains("b"));
}

TEST(HostStorage, KeepOnCrashKeepsUnsyncedWrites) {
  sim::HostStorage st(model(10, StorageSpec::OnCrash::keep), sim::Rng(1));
  Driver d;
  st.attach(&d);
  st.put("a", 1);
  EXPECT_EQ(st.crash(), 0u);
  EXPECT_EQ(st.get("a"), 1);
}

TEST(HostStorage, TornAppendLeavesHalfTheLastRecordMarkedTorn) {
  sim::HostStorage st(model(10, StorageSpec::OnCrash::lose_unsynced, true), sim::Rng(1));
  Driver d;
  st.attach(&d);
  const std::vector<std::byte> rec(8, std::byte{7});
  st.append("log", rec);
  EXPECT_EQ(st.crash(), 1u);
  ASSERT_EQ(st.log_size("log"), 1u);
  EXPECT_TRUE(st.record("log", 0).torn);
  EXPECT_EQ(st.record("log", 0).bytes.size(), 4u);
}

TEST(HostStorage, AStallHoldsASyncUntilItEnds) {
  sim::HostStorage st(model(10, StorageSpec::OnCrash::lose_unsynced), sim::Rng(1));
  Driver d;
  st.attach(&d);
  st.put("a", 1);
  const sim::StorageTicket t = st.sync();
  st.stall_until(Instant{50'000'000});
  Instant later;
  EXPECT_FALSE(st.complete(t, Instant{10'000'000}, &later));
  EXPECT_EQ(later, Instant{50'000'000});
  EXPECT_TRUE(st.complete(t, later, &later));
}

TEST(WorldStorage, TheProcessHearsOfASyncWhenItCompletesAndACrashLosesTheRest) {
  ProbeWorld w(1);
  for (sim::NodeSpec& n : w.scenario.nodes)
    n.storage = model(5, StorageSpec::OnCrash::lose_unsynced);
  std::vector<int64_t> at_boot;
  w.hooks.on_start = [&](sim::Context& ctx) {
    at_boot.push_back(ctx.durable().get("x", -1));
    if (at_boot.size() > 1) return;
    ctx.durable().put("x", 1);
    ctx.durable().sync();                     // durable at 5ms
    ctx.set_timer(0, Duration::millis(100));  // then writes again, never synced
  };
  w.hooks.on_timer = [](sim::Context& ctx, sim::TimerSlot) { ctx.durable().put("x", 2); };
  std::vector<std::pair<sim::StorageTicket, int64_t>> durable_at;  // (ticket, local time)
  w.hooks.on_durable = [&](sim::Context& ctx, sim::StorageTicket t) {
    durable_at.push_back({t, ctx.now().ns});
  };
  auto& crash = w.add_fault(sim::FaultType::crash, Duration::millis(200));
  crash.target.node = 0;
  crash.length_ns = sim::Distribution::constant_of(static_cast<double>((Duration::millis(100)).ns));
  Recorder r;
  w.run(r);
  ASSERT_EQ(r.of(sim::Kind::storage_durable).size(), 1u);
  EXPECT_EQ(r.of(sim::Kind::storage_durable)[0]->event.at.ns, 5'000'000);
  ASSERT_EQ(r.of(sim::Kind::storage_lost).size(), 1u);
  EXPECT_EQ(at_boot, (std::vector<int64_t>{-1, 1}));  // the unsynced 2 was lost
  EXPECT_EQ(durable_at, (std::vector<std::pair<sim::StorageTicket, int64_t>>{{1, 5'000'000}}));
}

}  // namespace
}  // namespace lockstep::testing
