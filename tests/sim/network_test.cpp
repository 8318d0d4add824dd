// Each network behaviour on its own: loss, duplication, ordering, partitions, cuts, isolation.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/core/network.hpp"

namespace lockstep::sim {
namespace {

NetworkSpec spec_with(Distribution latency, double loss = 0, double duplicate = 0,
                      Ordering ordering = Ordering::any) {
  NetworkSpec s;
  s.latency_ns = latency;
  s.loss = loss;
  s.duplicate = duplicate;
  s.ordering = ordering;
  return s;
}

Distribution uniform_ms(double lo, double hi) {
  return Distribution{Distribution::Kind::uniform, lo * 1e6, hi * 1e6};
}

TEST(Network, ConstantLatencyDeliversAfterExactlyThatLong) {
  Network n(spec_with(Distribution::constant_of(3e6)), 2, Rng(1));
  const Route r = n.route(0, 1, Instant{1'000});
  ASSERT_EQ(r.dropped, DropReason::none);
  ASSERT_EQ(r.copies, 1);
  EXPECT_EQ(r.deliver_at_ns[0], 3'001'000);
}

TEST(Network, LossOneDropsEverythingLossZeroNothing) {
  Network lossy(spec_with(Distribution::constant_of(1e6), 1.0), 2, Rng(1));
  Network clean(spec_with(Distribution::constant_of(1e6), 0.0), 2, Rng(1));
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(lossy.route(0, 1, Instant{}).dropped, DropReason::loss);
    EXPECT_EQ(clean.route(0, 1, Instant{}).dropped, DropReason::none);
  }
}

TEST(Network, LossRateIsRespectedOnAverage) {
  Network n(spec_with(Distribution::constant_of(1e6), 0.2), 2, Rng(2));
  int dropped = 0;
  for (int i = 0; i < 10'000; ++i) dropped += n.route(0, 1, Instant{}).dropped == DropReason::loss;
  EXPECT_NEAR(dropped, 2'000, 200);
}

TEST(Network, DuplicateOneDeliversTwoCopies) {
  Network n(spec_with(uniform_ms(1, 5), 0, 1.0), 2, Rng(1));
  const Route r = n.route(0, 1, Instant{});
  EXPECT_EQ(r.copies, 2);
}

TEST(Network, FifoLinksNeverReorderButAnyLinksDo) {
  Network fifo(spec_with(uniform_ms(1, 50), 0, 0, Ordering::fifo), 2, Rng(4));
  Network any(spec_with(uniform_ms(1, 50), 0, 0, Ordering::any), 2, Rng(4));
  int64_t last_fifo = 0;
  int64_t last_any = 0;
  bool any_reordered = false;
  for (int i = 0; i < 1'000; ++i) {
    const Instant now{i * 100'000};
    const int64_t f = fifo.route(0, 1, now).deliver_at_ns[0];
    const int64_t a = any.route(0, 1, now).deliver_at_ns[0];
    ASSERT_GE(f, last_fifo);
    any_reordered |= a < last_any;
    last_fifo = f;
    last_any = a;
  }
  EXPECT_TRUE(any_reordered);
}

TEST(Network, PerLinkOverrideAppliesToThatDirectionOnly) {
  NetworkSpec s = spec_with(Distribution::constant_of(1e6));
  s.links.push_back({0, 1, Distribution::constant_of(30e6), 0.0, std::nullopt, std::nullopt});
  Network n(s, 2, Rng(1));
  EXPECT_EQ(n.route(0, 1, Instant{}).deliver_at_ns[0], 30'000'000);
  EXPECT_EQ(n.route(1, 0, Instant{}).deliver_at_ns[0], 1'000'000);
}

TEST(Network, BlockedLinksDropAndOverlappingBlocksHealIndependently) {
  Network n(spec_with(Distribution::constant_of(1e6)), 3, Rng(1));
  const std::vector<std::pair<NodeIndex, NodeIndex>> cut01 = {{0, 1}};
  const std::vector<std::pair<NodeIndex, NodeIndex>> both01 = {{0, 1}, {1, 0}};
  n.block(cut01, +1);
  EXPECT_EQ(n.route(0, 1, Instant{}).dropped, DropReason::partition);
  EXPECT_EQ(n.route(1, 0, Instant{}).dropped, DropReason::none);  // one-way
  EXPECT_EQ(n.route(0, 2, Instant{}).dropped, DropReason::none);
  n.block(both01, +1);
  n.block(cut01, -1);
  EXPECT_FALSE(n.reachable(0, 1));  // still blocked by the second fault
  n.block(both01, -1);
  EXPECT_TRUE(n.reachable(0, 1));
  EXPECT_TRUE(n.reachable(1, 0));
}

// Issue 17: 65,536 overlapping cuts of one link overflowed a 16-bit count and tripped an
// assertion when they healed. The count is wide enough for any number of faults a scenario holds.
TEST(Network, MoreOverlappingBlocksThanA16BitCount_StillHealExactly) {
  Network n(spec_with(Distribution::constant_of(1e6)), 2, Rng(1));
  const std::vector<std::pair<NodeIndex, NodeIndex>> cut01 = {{0, 1}};
  constexpr int kBlocks = 70'000;
  for (int i = 0; i < kBlocks; ++i) n.block(cut01, +1);
  for (int i = 0; i < kBlocks - 1; ++i) n.block(cut01, -1);
  EXPECT_FALSE(n.reachable(0, 1));  // one block still holds
  n.block(cut01, -1);
  EXPECT_TRUE(n.reachable(0, 1));
}

TEST(Network, SameSeedSameFates) {
  Network a(spec_with(uniform_ms(1, 9), 0.3, 0.1), 4, Rng(77));
  Network b(spec_with(uniform_ms(1, 9), 0.3, 0.1), 4, Rng(77));
  for (int i = 0; i < 1'000; ++i) {
    const Route x = a.route(i % 4, (i + 1) % 4, Instant{i});
    const Route y = b.route(i % 4, (i + 1) % 4, Instant{i});
    ASSERT_EQ(x.dropped, y.dropped);
    ASSERT_EQ(x.copies, y.copies);
    ASSERT_EQ(x.deliver_at_ns[0], y.deliver_at_ns[0]);
  }
}

}  // namespace
}  // namespace lockstep::sim
