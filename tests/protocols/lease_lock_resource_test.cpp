// Unit tests of the guarded resource: what it accepts with fencing on and off.
#include <gtest/gtest.h>

#include "protocols/lease_lock/resource.hpp"
#include "tests/protocols/lease_lock_fixture.hpp"

namespace lockstep::protocols::testing {
namespace {

using lease_lock::MsgType;
using lease_lock::Resource;
using lease_lock::Write;

lease_lock::Config fencing(bool on) {
  lease_lock::Config c = default_config();
  c.fencing = on;
  return c;
}

void write(FakeContext& ctx, Resource& r, sim::NodeIndex from, uint64_t token) {
  ctx.deliver(r, from, msg(MsgType::write, Write{token, 1}));
}

TEST(ResourceTest, LeaseLock_Resource_WithoutFencing_AcceptsStaleToken) {
  FakeContext ctx(lock_nodes(), kResource);
  Resource r(fencing(false));
  r.on_start(ctx);
  write(ctx, r, kC2, 2);
  write(ctx, r, kC1, 1);
  EXPECT_EQ(ctx.count(sim::Kind::resource_write), 2u);
  EXPECT_EQ(ctx.count(sim::Kind::resource_rejected), 0u);
  const Observation* last = ctx.last(sim::Kind::resource_write);
  EXPECT_EQ(last->get(sim::Key::writer), kC1);
  EXPECT_EQ(last->get(sim::Key::token), 1);
  EXPECT_EQ(r.highest(), 2u);
}

TEST(ResourceTest, LeaseLock_Resource_WithFencing_RejectsLowerTokenAcceptsEqual) {
  FakeContext ctx(lock_nodes(), kResource);
  Resource r(fencing(true));
  r.on_start(ctx);
  write(ctx, r, kC2, 2);
  write(ctx, r, kC1, 1);
  ASSERT_EQ(ctx.count(sim::Kind::resource_rejected), 1u);
  const Observation* rejected = ctx.last(sim::Kind::resource_rejected);
  EXPECT_EQ(rejected->get(sim::Key::writer), kC1);
  EXPECT_EQ(rejected->get(sim::Key::token), 1);
  EXPECT_EQ(rejected->get(sim::Key::highest), 2);

  write(ctx, r, kC2, 2);
  write(ctx, r, kC1, 3);
  EXPECT_EQ(ctx.count(sim::Kind::resource_write), 3u);
  EXPECT_EQ(r.highest(), 3u);
}

TEST(ResourceTest, LeaseLock_Resource_HighestTokenSurvivesRestart) {
  sim::DurableStore store;
  {
    FakeContext ctx(lock_nodes(), kResource, &store);
    Resource r(fencing(true));
    r.on_start(ctx);
    write(ctx, r, kC2, 5);
  }
  FakeContext ctx(lock_nodes(), kResource, &store);
  Resource r(fencing(true));
  r.on_start(ctx);
  EXPECT_EQ(r.highest(), 5u);
  write(ctx, r, kC1, 4);
  EXPECT_EQ(ctx.count(sim::Kind::resource_rejected), 1u);
}

}  // namespace
}  // namespace lockstep::protocols::testing
