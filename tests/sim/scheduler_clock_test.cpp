// The event queue's order and the clocks' arithmetic.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <tuple>
#include <vector>

#include "sim/core/clock.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/scheduler.hpp"

namespace lockstep::sim {
namespace {

TEST(Scheduler, PopsByTimeThenByInsertionOrder) {
  Scheduler q;
  q.push(30, EventType::timer, 0, 1);
  q.push(10, EventType::timer, 0, 2);
  q.push(20, EventType::timer, 0, 3);
  q.push(10, EventType::timer, 0, 4);
  q.push(10, EventType::timer, 0, 5);
  std::vector<uint64_t> order;
  while (!q.empty()) order.push_back(q.pop().data);
  EXPECT_EQ(order, (std::vector<uint64_t>{2, 4, 5, 3, 1}));
}

using Pending = std::vector<std::pair<int64_t, uint64_t>>;

// Pops one event and checks it is the smallest (time, insertion) of `expected`, which loses it.
void expect_pop_of_smallest(Scheduler& q, Pending& expected) {
  const QueuedEvent e = q.pop();
  auto it = std::min_element(expected.begin(), expected.end());
  ASSERT_EQ(e.at_ns, it->first);
  ASSERT_EQ(e.data, it->second);
  expected.erase(it);
}

// Pops everything left and checks it comes out sorted as `expected`.
void expect_drained_in_order(Scheduler& q, Pending expected) {
  std::sort(expected.begin(), expected.end());
  for (const auto& [at, data] : expected) {
    const QueuedEvent e = q.pop();
    ASSERT_EQ(e.at_ns, at);
    ASSERT_EQ(e.data, data);
  }
  EXPECT_TRUE(q.empty());
}

TEST(Scheduler, MatchesASortOnManyRandomEventsWithTies) {
  Scheduler q;
  Rng r(9);
  Pending expected;
  for (uint64_t i = 0; i < 20'000; ++i) {
    const int64_t at = r.between(0, 500);  // many ties
    q.push(at, EventType::deliver, 0, i);
    expected.push_back({at, i});
    if (i % 3 == 0) expect_pop_of_smallest(q, expected);  // interleave pops, as a run does
  }
  expect_drained_in_order(q, expected);
}

// In-order pushes land in the lanes, which hold events in 2048-event chunks: many chunks, drained
// to empty and filled again, still pop in (time, insertion) order.
TEST(Scheduler, LanesOfManyChunksDrainRefillAndKeepTheOrder) {
  Scheduler q;
  Rng r(4);
  Pending expected;
  uint64_t next = 0;
  for (int phase = 0; phase < 3; ++phase) {
    std::array<int64_t, 3> stream_at = {0, 0, 0};  // three non-decreasing streams
    const int64_t base = phase * 1'000'000;
    for (int i = 0; i < 9'000; ++i) {
      int64_t& at = stream_at[static_cast<size_t>(i % 3)];
      at += r.between(0, 3);
      q.push(base + at, EventType::deliver, 0, next);
      expected.push_back({base + at, next++});
      if (i % 4 == 0) expect_pop_of_smallest(q, expected);
    }
    expect_drained_in_order(q, expected);
    expected.clear();
  }
}

// A sequence taken early and pushed later (a timer re-armed lazily) pops where a push at the
// time it was taken would have: by time, then by that sequence, also among in-order streams that
// fill the lanes and among ties, where a lane must not take it after a later sequence.
TEST(Scheduler, KeyedPushesPopInTheOrderOfTheSequenceTheyTook) {
  Scheduler q;
  Rng r(12);
  Pending expected;                                // (time, sequence): data holds the sequence
  std::vector<std::pair<int64_t, uint64_t>> held;  // sequences taken, not pushed yet
  std::array<int64_t, 2> stream_at = {0, 0};
  int64_t popped_at = 0;
  uint64_t next_seq = 0;
  for (int i = 0; i < 30'000; ++i) {
    const int what = static_cast<int>(r.between(0, 9));
    if (what < 5) {  // an in-order stream, times often tied
      int64_t& at = stream_at[static_cast<size_t>(what % 2)];
      at = std::max(at, popped_at) + r.between(0, 2);
      q.push(at, EventType::deliver, 0, next_seq);  // takes next_seq
      expected.push_back({at, next_seq++});
    } else if (what < 7) {  // taken now, pushed later at a time no earlier than what has run
      ASSERT_EQ(q.take_seq(), next_seq);
      held.push_back({popped_at + r.between(0, 40), next_seq++});
    } else if (what < 8 && !held.empty()) {
      const size_t k = static_cast<size_t>(r.between(0, static_cast<int64_t>(held.size()) - 1));
      auto [at, seq] = held[k];
      at = std::max(at, popped_at);
      held.erase(held.begin() + static_cast<std::ptrdiff_t>(k));
      q.push_keyed(at, seq, EventType::timer, 0, seq);
      expected.push_back({at, seq});
    } else if (!expected.empty()) {
      popped_at = std::min_element(expected.begin(), expected.end())->first;
      expect_pop_of_smallest(q, expected);
    }
  }
  expect_drained_in_order(q, expected);
}

TEST(Clock, DriftScalesTheMonotonicClock) {
  Clock fast{200'000, 0, 0};  // +200 ppm
  EXPECT_EQ(fast.monotonic(Instant{1'000'000'000}).ns, 1'000'200'000);
  Clock slow{-50'000'000, 0, 0};  // -5%
  EXPECT_EQ(slow.monotonic(Instant{10'000'000'000}).ns, 9'500'000'000);
}

TEST(Clock, WallAddsOffsetAndStepsButMonotonicNeverJumps) {
  Clock c{0, 50'000'000, 0};
  const Instant t{3'000'000'000};
  EXPECT_EQ(c.wall(t).ns, 3'050'000'000);
  c.steps_ns += -2'000'000'000;
  EXPECT_EQ(c.wall(t).ns, 1'050'000'000);
  EXPECT_EQ(c.monotonic(t).ns, 3'000'000'000);
}

TEST(Clock, TimerDeadlineIsTheFirstInstantTheClockReachesTheTarget) {
  Rng r(11);
  for (int i = 0; i < 5'000; ++i) {
    Clock c{r.between(-400'000'000, 400'000'000), 0, 0};
    const Instant now{r.between(0, 1'000'000'000'000)};
    const LocalTime target = c.monotonic(now) + Duration{r.between(0, 100'000'000'000)};
    const Instant at = c.when_monotonic_reaches(target, now);
    ASSERT_GE(at, now);
    ASSERT_GE(c.monotonic(at), target);
    if (at > now) {
      ASSERT_LT(c.monotonic(at - Duration{1}), target);
    }
  }
}

// The 64-bit path of the drift computation gives exactly the 128-bit floor division, on both
// sides of zero and at the edges of where it applies.
TEST(Clock, SkewIsExactlyTheFlooredProduct) {
  const auto wide = [](int64_t since, int64_t drift) {
    const int128 p = static_cast<int128>(since) * drift;
    int128 q = p / Clock::kBillion;
    if (p % Clock::kBillion != 0 && p < 0) --q;
    return static_cast<int64_t>(q);
  };
  Rng r(5);
  const int64_t near = (int64_t{1} << 53) - 1;
  const int64_t drifts[] = {1,
                            -1,
                            999'999'999,
                            -999'999'999,
                            (int64_t{1} << 31) - 1,
                            -(int64_t{1} << 31) + 1,
                            int64_t{1} << 31,
                            3'000'000'000};
  const int64_t sinces[] = {
      0,    1,     -1,       999'999'999, -999'999'999,    1'000'000'000, -1'000'000'000,
      near, -near, near + 1, -near - 1,   int64_t{1} << 60};
  for (int64_t d : drifts) {
    for (int64_t t : sinces) ASSERT_EQ(Clock::skew(t, d), wide(t, d)) << t << " " << d;
  }
  for (int i = 0; i < 100'000; ++i) {
    const int64_t t = r.between(-near, near) >> r.between(0, 40);
    const int64_t d = r.between(-999'999'999, 2'000'000'000) >> r.between(0, 30);
    ASSERT_EQ(Clock::skew(t, d), wide(t, d)) << t << " " << d;
  }
}

// A timer's instant in closed form: first_reaching(delta, rate) is the smallest s whose reading
// floor(s * rate / 1e9) reaches delta (the definition monotonic() uses), on both paths, on both
// sides of zero and at the edges of where the 64-bit path applies.
TEST(Clock, FirstReachingIsTheSmallestInstantWhoseReadingReachesTheTarget) {
  const auto reading = [](int64_t s, int64_t rate) {  // s + skew(s, rate - 1e9), in 128 bits
    const int128 p = static_cast<int128>(s) * rate;
    int128 q = p / Clock::kBillion;
    if (p % Clock::kBillion != 0 && p < 0) --q;
    return q;
  };
  const auto check = [&](int64_t delta, int64_t drift) {
    const int64_t rate = Clock::kBillion + drift;
    const int128 exact = static_cast<int128>(delta) * Clock::kBillion / rate;  // within 1
    if (exact > (int128{1} << 62) || exact < -(int128{1} << 62)) return;       // no int64 instant
    const int64_t s = Clock::first_reaching(delta, rate);
    ASSERT_GE(reading(s, rate), delta) << delta << " " << drift;
    ASSERT_LT(reading(s - 1, rate), delta) << delta << " " << drift;
    ASSERT_EQ(reading(s, rate), s + Clock::skew(s, drift)) << delta << " " << drift;
  };
  Rng r(6);
  const int64_t near = (int64_t{1} << 53) - 1;
  const int64_t drifts[] = {0,
                            1,
                            -1,
                            999'999'999,
                            -999'999'999,
                            (int64_t{1} << 29) - Clock::kBillion,
                            (int64_t{1} << 32) - Clock::kBillion - 1,
                            (int64_t{1} << 32) - Clock::kBillion,
                            3'000'000'000};
  const int64_t deltas[] = {
      0,    1,     -1,       999'999'999, -999'999'999,    1'000'000'000, -1'000'000'000,
      near, -near, near + 1, -near - 1,   int64_t{1} << 60};
  for (int64_t d : drifts) {
    for (int64_t t : deltas) check(t, d);
  }
  for (int i = 0; i < 100'000; ++i) {
    const int64_t t = r.between(-near, near) >> r.between(0, 40);
    const int64_t d = r.between(-999'999'999, 3'000'000'000) >> r.between(0, 30);
    check(t, d);
  }
}

// pop_before is top() and pop() in one: the same events in the same order, none at or after
// the end.
TEST(Scheduler, PopBeforeStopsAtTheEndAndKeepsTheOrder) {
  Scheduler a;
  Scheduler b;
  Rng r(12);
  for (uint64_t i = 0; i < 5'000; ++i) {
    const int64_t at = r.between(0, 1'000);
    a.push(at, EventType::timer, 0, i);
    b.push(at, EventType::timer, 0, i);
  }
  QueuedEvent e;
  while (a.pop_before(700, &e)) {
    ASSERT_FALSE(b.empty());
    ASSERT_LT(b.top().at_ns, 700);
    const QueuedEvent f = b.pop();
    ASSERT_EQ(e.at_ns, f.at_ns);
    ASSERT_EQ(e.data, f.data);
  }
  ASSERT_FALSE(b.empty());
  EXPECT_GE(b.top().at_ns, 700);
  EXPECT_EQ(a.size(), b.size());
  EXPECT_EQ(a.top().data, b.top().data);
  Scheduler none;
  EXPECT_FALSE(none.pop_before(INT64_MAX, &e));
}

TEST(Clock, ASlowClocksTimerFiresLateInTrueTime) {
  Clock slow{-100'000'000, 0, 0};  // runs at 0.9
  const Instant at = slow.when_monotonic_reaches(LocalTime{9'000'000'000}, Instant{0});
  EXPECT_EQ(at.ns, 10'000'000'000);
}

}  // namespace
}  // namespace lockstep::sim
