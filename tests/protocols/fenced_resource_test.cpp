// Unit tests of the one guarded resource (protocols/common): what it accepts with fencing on and
// off, and the highest token kept across a restart. lease_lock and lease_election both use it.
#include <gtest/gtest.h>

#include "protocols/common/fenced_resource.hpp"
#include "tests/protocols/lease_lock_fixture.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::protocols::testing {
namespace {

using lease_lock::MsgType;

// A resource as lease_lock builds it (its write message type).
FencedResource resource(bool fencing) {
  return FencedResource(fencing, static_cast<uint16_t>(MsgType::write));
}

void write(FakeContext& ctx, FencedResource& r, sim::NodeIndex from, uint64_t token) {
  ctx.deliver(r, from, msg(MsgType::write, ResourceWrite{token, 1}));
}

TEST(FencedResource, FencedResource_WithoutFencing_AcceptsStaleToken) {
  FakeContext ctx(lock_nodes(), kResource);
  FencedResource r = resource(false);
  r.on_start(ctx);
  write(ctx, r, kC2, 2);
  write(ctx, r, kC1, 1);
  EXPECT_EQ(ctx.count(obs::resource_write), 2u);
  EXPECT_EQ(ctx.count(obs::resource_rejected), 0u);
  const Observation* last = ctx.last(obs::resource_write);
  EXPECT_EQ(last->get(fld::writer), kC1);
  EXPECT_EQ(last->get(fld::token), 1);
  EXPECT_EQ(r.highest(), 2u);
}

TEST(FencedResource, FencedResource_WithFencing_RejectsLowerTokenAcceptsEqual) {
  FakeContext ctx(lock_nodes(), kResource);
  FencedResource r = resource(true);
  r.on_start(ctx);
  write(ctx, r, kC2, 2);
  write(ctx, r, kC1, 1);
  ASSERT_EQ(ctx.count(obs::resource_rejected), 1u);
  const Observation* rejected = ctx.last(obs::resource_rejected);
  EXPECT_EQ(rejected->get(fld::writer), kC1);
  EXPECT_EQ(rejected->get(fld::token), 1);
  EXPECT_EQ(rejected->get(fld::highest), 2);

  write(ctx, r, kC2, 2);
  write(ctx, r, kC1, 3);
  EXPECT_EQ(ctx.count(obs::resource_write), 3u);
  EXPECT_EQ(r.highest(), 3u);
}

TEST(FencedResource, WithAnAckType_AnswersEveryWriteWithItsSeqAndWhetherItWasApplied) {
  FakeContext ctx(lock_nodes(), kResource);
  constexpr uint16_t kAck = 40;
  FencedResource r(true, static_cast<uint16_t>(MsgType::write), kAck);
  r.on_start(ctx);
  ctx.deliver(r, kC2, msg(MsgType::write, ResourceWrite{2, 7}));
  ctx.deliver(r, kC1, msg(MsgType::write, ResourceWrite{1, 3}));
  const auto sent = ctx.take_sends();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].to, kC2);
  EXPECT_EQ(sent[0].message.type, kAck);
  EXPECT_EQ(sent[0].message.as<ResourceAck>().seq, 7u);
  EXPECT_EQ(sent[0].message.as<ResourceAck>().accepted, 1u);
  EXPECT_EQ(sent[1].to, kC1);
  EXPECT_EQ(sent[1].message.as<ResourceAck>().seq, 3u);
  EXPECT_EQ(sent[1].message.as<ResourceAck>().accepted, 0u) << "fencing refused it";
  // Without an ack type (every other protocol) the resource sends nothing.
  FencedResource quiet = resource(true);
  quiet.on_start(ctx);
  ctx.deliver(quiet, kC2, msg(MsgType::write, ResourceWrite{2, 1}));
  EXPECT_TRUE(ctx.take_sends().empty());
}

TEST(FencedResource, FencedResource_HighestTokenSurvivesRestart) {
  sim::DurableStore store;
  {
    FakeContext ctx(lock_nodes(), kResource, &store);
    FencedResource r = resource(true);
    r.on_start(ctx);
    write(ctx, r, kC2, 5);
  }
  FakeContext ctx(lock_nodes(), kResource, &store);
  FencedResource r = resource(true);
  r.on_start(ctx);
  EXPECT_EQ(r.highest(), 5u);
  write(ctx, r, kC1, 4);
  EXPECT_EQ(ctx.count(obs::resource_rejected), 1u);
}

}  // namespace
}  // namespace lockstep::protocols::testing
