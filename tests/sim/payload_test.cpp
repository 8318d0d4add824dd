// Messages with payloads: a payload arrives intact whatever its size, every copy of a duplicated
// message shares one payload, the pool reuses what was released, and the limits on one payload
// and on the bytes alive at once stop a run with a LimitError.
#include <gtest/gtest.h>

#include <numeric>

#include "protocols/common/wire.hpp"
#include "sim/core/payload.hpp"
#include "tests/sim/probe.hpp"

namespace lockstep::testing {
namespace {

using sim::Duration;
using sim::Message;

std::vector<std::byte> pattern(size_t n, uint8_t seed) {
  std::vector<std::byte> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<std::byte>((i * 31 + seed) & 0xff);
  return out;
}

TEST(Payload, A64KiBPayloadArrivesIntact) {
  ProbeWorld w(2);
  const std::vector<std::byte> big = pattern(64 * 1024, 7);
  std::vector<std::byte> got;
  w.hooks.on_start = [&](sim::Context& ctx) {
    if (ctx.self() == 0) ctx.send(1, Message::of<int>(0, 1, ctx.payload(big)));
  };
  w.hooks.on_message = [&](sim::Context&, sim::NodeIndex, const Message& m) {
    got.assign(m.payload.bytes().begin(), m.payload.bytes().end());
  };
  Recorder r;
  w.run(r);
  EXPECT_EQ(got, big);
}

TEST(Payload, TenThousandSmallPayloadsArriveEachWithItsOwnContent) {
  ProbeWorld w(2);
  int received = 0;
  int wrong = 0;
  w.hooks.on_start = [](sim::Context& ctx) {
    if (ctx.self() == 0) ctx.set_timer(0, Duration::micros(10));
  };
  int sent = 0;
  w.hooks.on_timer = [&](sim::Context& ctx, sim::TimerSlot) {
    const std::vector<uint64_t> items = {static_cast<uint64_t>(sent), uint64_t{3} * sent};
    ctx.send(1, Message::of<int>(0, sent, ctx.payload_of<uint64_t>(items)));
    if (++sent < 10'000) ctx.set_timer(0, Duration::micros(10));
  };
  w.hooks.on_message = [&](sim::Context&, sim::NodeIndex, const Message& m) {
    const std::span<const uint64_t> items = m.payload.items<uint64_t>();
    const auto n = static_cast<uint64_t>(m.as<int>());
    if (items.size() != 2 || items[0] != n || items[1] != 3 * n) ++wrong;
    ++received;
  };
  Recorder r;
  w.run(r);
  EXPECT_EQ(received, 10'000);
  EXPECT_EQ(wrong, 0);
}

TEST(Payload, ADuplicatedMessageSharesOnePayload) {
  ProbeWorld w(2);
  w.scenario.network.duplicate = 1.0;
  std::vector<const std::byte*> seen;
  w.hooks.on_start = [](sim::Context& ctx) {
    if (ctx.self() == 0) ctx.send(1, Message::of<int>(0, 1, ctx.payload(pattern(100, 1))));
  };
  w.hooks.on_message = [&](sim::Context&, sim::NodeIndex, const Message& m) {
    seen.push_back(m.payload.bytes().data());
  };
  Recorder r;
  w.run(r);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], seen[1]);
}

TEST(Payload, APayloadOverTheLimitStopsTheRunWithALimitError) {
  ProbeWorld w(2);
  w.limits.max_payload_bytes = 1000;
  w.hooks.on_start = [](sim::Context& ctx) {
    if (ctx.self() == 0) ctx.send(1, Message::of<int>(0, 1, ctx.payload(pattern(1001, 1))));
  };
  Recorder r;
  EXPECT_THROW(w.run(r), sim::LimitError);
}

TEST(Payload, TooManyBytesInFlightStopTheRunWithALimitError) {
  ProbeWorld w(2);
  w.scenario.network.latency_ns = sim::Distribution::constant_of(5e9);  // nothing arrives soon
  w.limits.max_payload_live = 64 * 1024;
  w.hooks.on_start = [](sim::Context& ctx) {
    if (ctx.self() == 0) ctx.set_timer(0, Duration::millis(1));
  };
  w.hooks.on_timer = [](sim::Context& ctx, sim::TimerSlot) {
    ctx.send(1, Message::of<int>(0, 1, ctx.payload(pattern(1024, 1))));
    ctx.set_timer(0, Duration::millis(1));
  };
  Recorder r;
  EXPECT_THROW(w.run(r), sim::LimitError);
}

TEST(InFlight, MoreMessagesInFlightThanTheLimitStopTheRunWithALimitError) {
  ProbeWorld w(2);
  w.scenario.network.latency_ns = sim::Distribution::constant_of(5e9);  // nothing arrives soon
  w.limits.max_in_flight = 100;
  int sent = 0;
  w.hooks.on_start = [](sim::Context& ctx) {
    if (ctx.self() == 0) ctx.set_timer(0, Duration::millis(1));
  };
  w.hooks.on_timer = [&](sim::Context& ctx, sim::TimerSlot) {
    ctx.send(1, Message::of<int>(0, sent++));
    ctx.set_timer(0, Duration::millis(1));
  };
  Recorder r;
  EXPECT_THROW(w.run(r), sim::LimitError);
  EXPECT_EQ(sent, 101);  // the 101st finds 100 in flight
}

TEST(PayloadPool, ReleasedBlocksAreReusedAndCountsReturnToZero) {
  sim::PayloadPool pool(1 << 20, 1 << 20);
  const sim::Payload a = pool.make(pattern(100, 1));
  pool.retain(a);  // a second copy in flight
  EXPECT_EQ(pool.live_payloads(), 1u);
  pool.release(a);
  EXPECT_EQ(pool.live_payloads(), 1u);  // one reference left
  pool.release(a);
  EXPECT_EQ(pool.live_payloads(), 0u);
  EXPECT_EQ(pool.live_bytes(), 0u);
  const sim::Payload b = pool.make(pattern(90, 2));  // the same size class
  EXPECT_EQ(b.bytes().data(), a.bytes().data());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b.bytes().data()) % sim::PayloadPool::kMinBlock, 0u);
  pool.reset();
  EXPECT_EQ(pool.live_bytes(), 0u);
}

TEST(Wire, APayloadRoundTripsAndAMalformedLengthIsRejected) {
  struct Header {
    uint64_t term;
  };
  const std::array<protocols::wire::Layout, 1> layouts = {
      protocols::wire::layout_with_payload<Header, uint64_t>()};
  sim::PayloadPool pool(1 << 20, 1 << 20);
  const std::vector<uint64_t> items = {1, 2, 3};
  Message m = Message::of<Header>(0, Header{9}, pool.make(std::as_bytes(std::span(items))));
  const std::vector<std::byte> bytes = protocols::wire::encode(m, layouts);
  const auto make = [&](std::span<const std::byte> b) { return pool.make(b); };
  const std::optional<Message> back = protocols::wire::decode(bytes, layouts, make);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->as<Header>().term, 9u);
  ASSERT_EQ(back->payload.items<uint64_t>().size(), 3u);
  EXPECT_EQ(back->payload.items<uint64_t>()[2], 3u);
  std::vector<std::byte> cut = bytes;
  cut.pop_back();  // the length says 24, 23 bytes follow
  EXPECT_FALSE(protocols::wire::decode(cut, layouts, make).has_value());
  std::vector<std::byte> odd = bytes;
  odd[9] = std::byte{23};  // not whole items
  odd.pop_back();
  EXPECT_FALSE(protocols::wire::decode(odd, layouts, make).has_value());
}

}  // namespace
}  // namespace lockstep::testing

namespace lockstep::testing {
namespace {

// Issue 17: an event explosion (a 1 ns timer here) stops at the event budget with a message
// saying how far the run got, rather than running for minutes.
TEST(Limits, AnEventExplosionStopsAtTheBudgetSayingHowFarTheRunGot) {
  EXPECT_EQ(sim::WorldLimits{}.max_events, 200'000'000u);
  ProbeWorld w(1);
  w.limits.max_events = 10'000;
  w.hooks.on_start = [](sim::Context& ctx) { ctx.set_timer(0, Duration::nanos(1)); };
  w.hooks.on_timer = [](sim::Context& ctx, sim::TimerSlot) {
    ctx.set_timer(0, Duration::nanos(1));
  };
  Recorder r;
  try {
    w.run(r);
    FAIL() << "the run ended";
  } catch (const sim::LimitError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("more than 10000 events by "), std::string::npos) << what;
    EXPECT_NE(what.find("(an event explosion)"), std::string::npos) << what;
  }
}

// Issue 17: the budget alone let an explosion run for 18 s (200 M events). The pace check stops
// a run whose pace would need ten times the budget as soon as it is checked, names the pace, and
// leaves a run whose pace fits alone. Small limits here; the defaults are 2^22 and 200 M.
TEST(Limits, AnExplosionIsStoppedByItsPaceLongBeforeTheBudget) {
  // The node is quiet for `idle`, then sets a timer every `every`.
  const auto run = [](Duration every, Duration duration,
                      Duration idle = Duration{0}) -> std::string {
    ProbeWorld w(1);
    w.scenario.duration = duration;
    w.limits.max_events = 100'000;
    w.limits.first_pace_check = 1'000;
    w.hooks.on_start = [every, idle](sim::Context& ctx) {
      ctx.set_timer(0, idle.ns > 0 ? idle : every);
    };
    w.hooks.on_timer = [every](sim::Context& ctx, sim::TimerSlot) { ctx.set_timer(0, every); };
    Recorder r;
    try {
      w.run(r);
      return "";
    } catch (const sim::LimitError& e) {
      return e.what();
    }
  };
  // 1 ns timers over 1 s: 10^9 events at this pace, stopped at the first check.
  const std::string fast = run(Duration::nanos(1), Duration::seconds(1));
  EXPECT_NE(fast.find("1000 events by "), std::string::npos) << fast;
  EXPECT_NE(fast.find("would take about 1000000000 events, and at most 100000"), std::string::npos)
      << fast;
  // 1 us timers over 2 s: 2 M events, 20 times the budget, also stopped by its pace.
  EXPECT_NE(run(Duration::micros(1), Duration::seconds(2)).find("at this pace"), std::string::npos);
  // 1 us timers over 90 ms: 90,000 events, within the budget: the run ends normally.
  EXPECT_EQ(run(Duration::micros(1), Duration::millis(90)), "");
  // 1 us timers over 0.5 s: 500,000 events, 5 times the budget: under ten times, so the pace
  // lets it go on and the budget stops it.
  EXPECT_NE(run(Duration::micros(1), Duration::millis(500)).find("more than 100000 events"),
            std::string::npos);
  // Quiet for 0.5 s, then 1 us timers to 2 s: 1.5 M events. The average so far is diluted by
  // the quiet start (at 32,000 events it projects 120,000, under ten times the budget), but the
  // pace since the last check projects 1.5 M, so the run stops there, not at the budget.
  const std::string late = run(Duration::micros(1), Duration::seconds(2), Duration::millis(500));
  EXPECT_NE(late.find("32000 events by 531999us"), std::string::npos) << late;
  EXPECT_NE(late.find("would take about 1500"), std::string::npos) << late;
  // Quiet for 1.9 s, then the same timers: 100,000 events in the last 0.1 s fit the budget, and
  // the fast recent pace alone (the average stays under the budget) does not stop the run.
  EXPECT_EQ(run(Duration::micros(1), Duration::seconds(2), Duration::millis(1901)), "");
}

}  // namespace
}  // namespace lockstep::testing
