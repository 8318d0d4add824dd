// Redlock's rules, after its description on redis.io ("Distributed Locks with Redis"): each
// server is SET key value NX PX ttl with compare-and-delete, expiring by its own clock; a client
// holds only with a majority and validity ttl - elapsed - drift left.
#include <gtest/gtest.h>

#include "protocols/redlock/client.hpp"
#include "protocols/redlock/config.hpp"
#include "protocols/redlock/messages.hpp"
#include "protocols/redlock/server.hpp"
#include "tests/protocols/fake_context.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::protocols::testing {
namespace {

using redlock::ClientTimer;
using redlock::Lock;
using redlock::LockReply;
using redlock::MsgType;
using redlock::Unlock;

sim::Duration ms(int64_t v) { return sim::Duration::millis(v); }
sim::Duration sec(int64_t v) { return sim::Duration::seconds(v); }

// Servers a, b, c (0-2), the resource (3), clients c1, c2 (4, 5).
std::vector<sim::NodeInfo> nodes() {
  return {{"a", "server"},       {"b", "server"},  {"c", "server"},
          {"store", "resource"}, {"c1", "client"}, {"c2", "client"}};
}

redlock::Config config() {
  redlock::Config c;
  c.ttl = sec(10);
  c.server_timeout = ms(50);
  c.drift_factor = 0.01;
  c.drift_constant = ms(2);
  c.retry_delay = {ms(50), ms(200)};
  c.expiry_clock = sim::ClockKind::wall;
  return c;
}

redlock::Workload workload() {
  const auto constant = [](sim::Duration d) {
    return sim::Distribution::constant_of(static_cast<double>(d.ns));
  };
  return {constant(sec(1)), constant(sec(3)), ms(500)};
}

sim::Message lock(uint64_t attempt, uint64_t value) {
  return redlock::make_message(MsgType::lock, Lock{attempt, value, uint64_t(sec(10).ns)});
}
sim::Message reply(uint64_t attempt, bool granted, uint64_t token = 0) {
  return redlock::make_message(MsgType::lock_reply, LockReply{attempt, granted ? 1u : 0u, token});
}
bool granted(const Sent& s) { return s.message.as<LockReply>().granted == 1; }

TEST(RedlockServer, SetNx_GrantsTheFirstAndRefusesTheSecond) {
  FakeContext ctx(nodes(), 0);
  redlock::Server server(config());
  server.on_start(ctx);
  ctx.deliver(server, 4, lock(1, 11));
  ctx.deliver(server, 5, lock(1, 22));
  const auto sent = ctx.take_sends();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_TRUE(granted(sent[0]));
  EXPECT_FALSE(granted(sent[1]));
  EXPECT_EQ(server.holder(), 4u);
}

TEST(RedlockServer, KeyExpiresByTheServersOwnWallClock_AStepForwardDropsItEarly) {
  FakeContext ctx(nodes(), 0);
  redlock::Server server(config());
  server.on_start(ctx);
  ctx.deliver(server, 4, lock(1, 11));
  ctx.advance(sec(1));
  ctx.step_wall(sec(15));  // Kleppmann's clock jump
  ctx.deliver(server, 5, lock(1, 22));
  const auto sent = ctx.take_sends();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_TRUE(granted(sent[1])) << "the key should be gone once the wall clock passed its expiry";
  EXPECT_EQ(server.holder(), 5u);
}

TEST(RedlockServer, MonotonicExpiry_IgnoresAWallStep) {
  FakeContext ctx(nodes(), 0);
  redlock::Config c = config();
  c.expiry_clock = sim::ClockKind::monotonic;
  redlock::Server server(c);
  server.on_start(ctx);
  ctx.deliver(server, 4, lock(1, 11));
  ctx.step_wall(sec(15));
  ctx.deliver(server, 5, lock(1, 22));
  EXPECT_FALSE(granted(ctx.take_sends()[1]));
}

TEST(RedlockServer, UnlockDeletesOnlyWithTheHoldersValue) {
  FakeContext ctx(nodes(), 0);
  redlock::Server server(config());
  server.on_start(ctx);
  ctx.deliver(server, 4, lock(1, 11));
  ctx.deliver(server, 5, redlock::make_message(MsgType::unlock, Unlock{22}));
  EXPECT_TRUE(server.has_key());
  ctx.deliver(server, 4, redlock::make_message(MsgType::unlock, Unlock{11}));
  EXPECT_FALSE(server.has_key());
}

TEST(RedlockServer, RestartWithoutPersistence_ForgetsTheKey_WithItKeepsIt) {
  for (const bool persistence : {false, true}) {
    sim::DurableStore store;
    redlock::Config c = config();
    c.persistence = persistence;
    {
      FakeContext ctx(nodes(), 0, &store);
      redlock::Server server(c);
      server.on_start(ctx);
      ctx.deliver(server, 4, lock(1, 11));
    }
    FakeContext ctx(nodes(), 0, &store);
    redlock::Server restarted(c);
    restarted.on_start(ctx);
    EXPECT_EQ(restarted.has_key(), persistence) << "persistence " << persistence;
  }
}

TEST(RedlockServer, RestartDelay_RefusesEverythingUntilItPasses) {
  sim::DurableStore store;
  redlock::Config c = config();
  c.restart_delay = sec(11);
  {
    FakeContext ctx(nodes(), 0, &store);
    redlock::Server first(c);
    first.on_start(ctx);  // first boot: no delay
    ctx.deliver(first, 4, lock(1, 11));
    EXPECT_TRUE(granted(ctx.take_sends()[0]));
  }
  FakeContext ctx(nodes(), 0, &store);
  redlock::Server server(c);
  server.on_start(ctx);
  ctx.deliver(server, 5, lock(1, 22));
  EXPECT_FALSE(granted(ctx.take_sends()[0]));
  ctx.advance(sec(11));
  ctx.deliver(server, 5, lock(2, 22));
  EXPECT_TRUE(granted(ctx.take_sends()[0]));
}

TEST(RedlockConfig, Drift_IsTtlTimesFactorPlusTheConstant) {
  EXPECT_EQ(config().drift(), ms(102));  // 10s * 0.01 + 2ms
}

// Drives a client through one attempt: every server answers `answers[i]` after `each`.
struct Attempt {
  FakeContext ctx{nodes(), 4};
  redlock::Client client{config(), workload(), {0, 1, 2}, 3};

  void run(std::vector<bool> answers, sim::Duration each) {
    client.on_start(ctx);
    ctx.fire(client, static_cast<sim::TimerSlot>(ClientTimer::acquire));
    for (size_t i = 0; i < answers.size(); ++i) {
      const auto sent = ctx.take_sends();
      ASSERT_EQ(sent.size(), 1u);
      ASSERT_EQ(sent[0].to, i);
      ctx.advance(each);
      ctx.deliver(client, static_cast<sim::NodeIndex>(i),
                  reply(sent[0].message.as<Lock>().attempt, answers[i], i + 1));
    }
  }
};

TEST(RedlockClient, AMajorityWithValidityLeft_Holds) {
  Attempt a;
  a.run({true, false, true}, ms(5));
  EXPECT_TRUE(a.client.holding());
  const Observation* acquired = a.ctx.last(obs::lock_acquired);
  ASSERT_NE(acquired, nullptr);
  const sim::Key validity = ::lockstep::testing::key_named("validity_ns");
  EXPECT_EQ(acquired->get(validity), (sec(10) - ms(15) - ms(102)).ns);
  EXPECT_EQ(acquired->get(fld::token), 3) << "the largest grant number of the majority";
}

TEST(RedlockClient, AMinority_FailsUnlocksEveryServerAndRetries) {
  Attempt a;
  a.run({true, false, false}, ms(5));
  EXPECT_FALSE(a.client.holding());
  const auto sent = a.ctx.take_sends();
  ASSERT_EQ(sent.size(), 3u);
  for (const Sent& s : sent) EXPECT_EQ(s.message.type, uint16_t(MsgType::unlock));
  EXPECT_TRUE(a.ctx.pending(static_cast<sim::TimerSlot>(ClientTimer::acquire)));
}

TEST(RedlockClient, AMajorityThatTookLongerThanTheTtl_IsNoLock) {
  Attempt a;
  a.run({true, true, true}, sec(4));  // 12s elapsed against a 10s ttl
  EXPECT_FALSE(a.client.holding());
  EXPECT_EQ(a.ctx.count(obs::lock_acquired), 0u);
}

TEST(RedlockClient, ASilentServer_CostsOnlyTheServerTimeout) {
  FakeContext ctx(nodes(), 4);
  redlock::Client client(config(), workload(), {0, 1, 2}, 3);
  client.on_start(ctx);
  ctx.fire(client, static_cast<sim::TimerSlot>(ClientTimer::acquire));
  ctx.take_sends();
  ctx.fire(client, static_cast<sim::TimerSlot>(ClientTimer::server_timeout));
  const auto sent = ctx.take_sends();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, 1u) << "the next server is asked";
}

TEST(RedlockMessages, WireFormRoundTrips) {
  const sim::Message m = reply(7, true, 9);
  const auto back = redlock::decode(redlock::encode(m));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->as<LockReply>().token, 9u);
  auto bytes = redlock::encode(m);
  bytes[9] = std::byte{2};  // granted is a boolean
  EXPECT_FALSE(redlock::decode(bytes).has_value());
}

}  // namespace
}  // namespace lockstep::protocols::testing
