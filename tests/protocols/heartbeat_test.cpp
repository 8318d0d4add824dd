// Unit tests of the heartbeat mesh node: its send schedule, what it records, its wire form.
#include <gtest/gtest.h>

#include <vector>

#include "protocols/heartbeat/heartbeat.hpp"
#include "tests/protocols/fake_context.hpp"

namespace lockstep::protocols::heartbeat {
namespace {

using testing::FakeContext;

constexpr sim::TimerSlot kBeat = static_cast<sim::TimerSlot>(NodeTimer::beat);

std::vector<sim::NodeInfo> mesh(size_t n) {
  std::vector<sim::NodeInfo> nodes;
  for (size_t i = 0; i < n; ++i) nodes.push_back({"n" + std::to_string(i + 1), "node"});
  return nodes;
}

TEST(Heartbeat, Heartbeat_FirstBeat_IsStaggeredByIndex) {
  for (sim::NodeIndex i = 0; i < 4; ++i) {
    FakeContext ctx(mesh(4), i);
    Node node(sim::Duration::millis(10));
    node.on_start(ctx);
    EXPECT_EQ(ctx.due(kBeat), sim::LocalTime{2'500'000 * static_cast<int64_t>(i)}) << i;
  }
}

TEST(Heartbeat, Heartbeat_EachBeat_GoesToEveryOtherNodeInOrderThenRearms) {
  FakeContext ctx(mesh(4), 2);
  Node node(sim::Duration::millis(10));
  node.on_start(ctx);
  for (uint64_t beat = 1; beat <= 3; ++beat) {
    ctx.fire(node, kBeat);
    const auto sent = ctx.take_sends();
    ASSERT_EQ(sent.size(), 3u);
    const sim::NodeIndex expected[] = {0, 1, 3};
    for (size_t k = 0; k < sent.size(); ++k) {
      EXPECT_EQ(sent[k].to, expected[k]);
      EXPECT_EQ(sent[k].message.type, kBeatType);
      EXPECT_EQ(sent[k].message.as<Beat>().seq, beat);
    }
    EXPECT_EQ(ctx.due(kBeat), sim::LocalTime{5'000'000 + 10'000'000 * static_cast<int64_t>(beat)});
  }
  EXPECT_EQ(node.beats_sent(), 3u);
  EXPECT_TRUE(ctx.observations.empty()) << "the mesh observes nothing";
}

TEST(Heartbeat, Heartbeat_Delivery_RecordsLocalTimeOfLastBeatPerSender) {
  FakeContext ctx(mesh(3), 0);
  Node node(sim::Duration::millis(10));
  node.on_start(ctx);
  ASSERT_EQ(node.last_heard().size(), 3u);
  ctx.advance(sim::Duration::millis(7));
  ctx.deliver(node, 2, sim::Message::of(kBeatType, Beat{1}));
  ctx.advance(sim::Duration::millis(5));
  ctx.deliver(node, 1, sim::Message::of(kBeatType, Beat{1}));
  EXPECT_EQ(node.last_heard()[0], sim::LocalTime{});
  EXPECT_EQ(node.last_heard()[1], sim::LocalTime{12'000'000});
  EXPECT_EQ(node.last_heard()[2], sim::LocalTime{7'000'000});
  EXPECT_TRUE(ctx.sends.empty());
}

TEST(Heartbeat, Heartbeat_Make_RejectsUnknownRoleAndZeroInterval) {
  const sim::Directory dir(mesh(2));
  const sim::NodeInfo wrong{"x", "client"};
  sim::Params params;
  params.set("interval", sim::Duration::millis(10));
  const sim::Params workload;
  EXPECT_THROW(make({0, wrong, dir, params, workload}), std::invalid_argument);
  EXPECT_NE(make({0, dir[0], dir, params, workload}), nullptr);
  params.set("interval", sim::Duration::zero());
  EXPECT_THROW(make({0, dir[0], dir, params, workload}), std::invalid_argument);
}

TEST(Heartbeat, Heartbeat_EncodeDecode_RoundTripsAndRejectsDamage) {
  const sim::Message m = sim::Message::of(kBeatType, Beat{0x1122334455667788ull});
  const auto bytes = encode(m);
  ASSERT_EQ(bytes.size(), 9u);
  EXPECT_EQ(bytes[1], std::byte{0x88});
  const auto back = decode(bytes);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->as<Beat>().seq, 0x1122334455667788ull);
  EXPECT_FALSE(decode(std::span(bytes).first(8)).has_value());
  auto wrong_type = bytes;
  wrong_type[0] = std::byte{1};
  EXPECT_FALSE(decode(wrong_type).has_value());
}

}  // namespace
}  // namespace lockstep::protocols::heartbeat
