// zk_lock's rules: sessions and ephemeral nodes (ZooKeeper Programmer's Guide), the Locks recipe
// (ZooKeeper Recipes and Solutions, "Locks"), and Chubby's lock-delay and grace period (Burrows,
// "The Chubby lock service", §2.4 and §2.8).
#include <gtest/gtest.h>

#include "protocols/zk_lock/client.hpp"
#include "protocols/zk_lock/config.hpp"
#include "protocols/zk_lock/messages.hpp"
#include "protocols/zk_lock/server.hpp"
#include "tests/protocols/fake_context.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::protocols::testing {
namespace {

using namespace zk_lock;  // NOLINT: the protocol's own words read best unqualified here

sim::Duration ms(int64_t v) { return sim::Duration::millis(v); }
sim::Duration sec(int64_t v) { return sim::Duration::seconds(v); }

// zk (0), store (1), c1..c3 (2-4).
std::vector<sim::NodeInfo> nodes() {
  return {{"zk", "server"},
          {"store", "resource"},
          {"c1", "client"},
          {"c2", "client"},
          {"c3", "client"}};
}

Config config(Variant variant = Variant::recipe) {
  Config c;
  c.session_timeout = sec(4);
  c.ping_every = sec(1);
  c.request_timeout = ms(500);
  c.variant = variant;
  return c;
}

template <class T>
sim::Message msg(MsgType type, const T& body) {
  return make_message(type, body);
}

// A server with one session per client (session ids 1, 2, 3 for c1, c2, c3) and one lock node
// each, created in that order.
struct Queue {
  FakeContext ctx{nodes(), 0};
  Server server;
  explicit Queue(Config c = config()) : server(c) {
    server.on_start(ctx);
    for (sim::NodeIndex client = 2; client <= 4; ++client) {
      ctx.deliver(server, client, msg(MsgType::connect, Connect{1, uint64_t(sec(4).ns)}));
    }
    for (uint64_t s = 1; s <= 3; ++s) {
      ctx.deliver(server, static_cast<sim::NodeIndex>(s + 1), msg(MsgType::create, Create{s, 10}));
    }
    ctx.take_sends();
  }
  std::vector<uint64_t> seqs() const {
    std::vector<uint64_t> out;
    for (const auto& [seq, node] : server.nodes()) out.push_back(seq);
    return out;
  }
  CheckReply check(uint64_t session, uint64_t seq) {
    ctx.deliver(server, static_cast<sim::NodeIndex>(session + 1),
                msg(MsgType::check, Check{session, 20, seq}));
    return ctx.take_sends().back().message.as<CheckReply>();
  }
};

TEST(ZkServer, Recipe_LowestHoldsAndEachOtherWatchesItsImmediatePredecessor) {
  Queue q;
  const auto seqs = q.seqs();
  ASSERT_EQ(seqs.size(), 3u);
  EXPECT_EQ(q.check(1, seqs[0]).lowest, 1u);
  const CheckReply second = q.check(2, seqs[1]);
  EXPECT_EQ(second.lowest, 0u);
  EXPECT_EQ(second.watched, seqs[0]);
  EXPECT_EQ(q.check(3, seqs[2]).watched, seqs[1]) << "the predecessor, not the lowest";
}

TEST(ZkServer, Recipe_ADeletionFiresOneWatch_TheHerdVariantFiresAll) {
  for (const Variant v : {Variant::recipe, Variant::herd}) {
    Queue q(config(v));
    const auto seqs = q.seqs();
    q.check(2, seqs[1]);
    q.check(3, seqs[2]);
    q.ctx.deliver(q.server, 2, msg(MsgType::remove, Remove{1, 30, seqs[0]}));
    size_t notified = 0;
    for (const Sent& s : q.ctx.take_sends())
      notified += s.message.type == uint16_t(MsgType::notify);
    EXPECT_EQ(notified, v == Variant::herd ? 2u : 1u);
  }
}

TEST(ZkServer, WatchesAreOneShot) {
  Queue q;
  const auto seqs = q.seqs();
  q.check(2, seqs[1]);
  q.ctx.deliver(q.server, 2, msg(MsgType::remove, Remove{1, 30, seqs[0]}));
  EXPECT_EQ(q.server.watch_count(), 0u);
}

TEST(ZkServer, ASilentSessionExpires_ItsEphemeralNodeGoesAndTheWatchFires) {
  Queue q;
  const auto seqs = q.seqs();
  q.check(2, seqs[1]);
  // c2 and c3 keep pinging; c1 falls silent.
  for (int i = 0; i < 5; ++i) {
    q.ctx.advance(sec(1));
    q.ctx.deliver(q.server, 3, msg(MsgType::ping, Ping{2, 0}));
    q.ctx.deliver(q.server, 4, msg(MsgType::ping, Ping{3, 0}));
    q.ctx.run_for(q.server, sim::Duration::zero());
  }
  EXPECT_EQ(q.server.sessions().count(1), 0u);
  EXPECT_EQ(q.server.nodes().count(seqs[0]), 0u);
  bool notified = false;
  for (const Sent& s : q.ctx.take_sends()) {
    notified |= s.message.type == uint16_t(MsgType::notify) && s.to == 3;
  }
  EXPECT_TRUE(notified);
}

TEST(ZkServer, LockDelay_KeepsAnExpiredHoldersNodeThatLong) {
  Config c = config();
  c.lock_delay = sec(3);
  Queue q(c);
  const auto seqs = q.seqs();
  for (int i = 0; i < 5; ++i) {
    q.ctx.advance(sec(1));
    q.ctx.deliver(q.server, 3, msg(MsgType::ping, Ping{2, 0}));
    q.ctx.deliver(q.server, 4, msg(MsgType::ping, Ping{3, 0}));
    q.ctx.run_for(q.server, sim::Duration::zero());
  }
  EXPECT_EQ(q.server.sessions().count(1), 0u);
  EXPECT_EQ(q.server.nodes().count(seqs[0]), 1u) << "still there during the lock delay";
  EXPECT_EQ(q.check(2, seqs[1]).lowest, 0u);
  q.ctx.deliver(q.server, 3, msg(MsgType::ping, Ping{2, 0}));
  q.ctx.deliver(q.server, 4, msg(MsgType::ping, Ping{3, 0}));
  q.ctx.run_for(q.server, sec(3));
  EXPECT_EQ(q.server.nodes().count(seqs[0]), 0u);
}

TEST(ZkServer, Find_ReturnsTheNodeThisSessionOwns) {
  Queue q;
  q.ctx.deliver(q.server, 3, msg(MsgType::find, Find{2, 40}));
  const auto r = q.ctx.take_sends().back().message.as<NodeReply>();
  EXPECT_EQ(r.status, uint64_t(Status::ok));
  EXPECT_EQ(r.seq, q.seqs()[1]);
}

TEST(ZkServer, CzxidsOnlyGrow) {
  Queue q;
  uint64_t last = 0;
  for (const auto& [seq, node] : q.server.nodes()) {
    EXPECT_GT(node.czxid, last);
    last = node.czxid;
  }
}

// A restarted server forgets its sessions but must not hand their ids out again: a reused id
// let the forgotten client's pings keep the new client's session alive and mixed up their
// watches, so a waiter was never woken (zk-lock/matrix-crash, 41 of 200 seeds). ZooKeeper seeds
// session ids with the server id and the clock (SessionTrackerImpl.initializeNextSession).
TEST(ZkServer, ARestartedServerNeverReusesASessionId) {
  Queue q;  // sessions 1, 2, 3 and three nodes: the durable zxid is 3 as well
  q.ctx.deliver(q.server, 2, msg(MsgType::connect, Connect{2, uint64_t(sec(4).ns)}));  // session 4
  Server restarted(config());
  restarted.on_start(q.ctx);  // the same durable store, nothing else
  q.ctx.take_sends();
  q.ctx.deliver(restarted, 3, msg(MsgType::connect, Connect{1, uint64_t(sec(4).ns)}));
  const auto sent = q.ctx.take_sends();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message.as<Connected>().session, 5u);
}

// A client connected with session 7.
struct Connected_ {
  FakeContext ctx{nodes(), 2};
  Client client;
  explicit Connected_(Config c = config())
      : client(c,
               {sim::Distribution::constant_of(1e9), sim::Distribution::constant_of(30e9), ms(500)},
               0, 1) {
    client.on_start(ctx);
    const auto attempt = ctx.take_sends().back().message.as<Connect>().attempt;
    ctx.deliver(client, 0, msg(MsgType::connected, zk_lock::Connected{attempt, 7}));
    ctx.fire(client, static_cast<sim::TimerSlot>(ClientTimer::acquire));
  }
  uint64_t last_req() { return ctx.sends.back().message.as<Create>().req; }
};

TEST(ZkClient, ALostCreateReply_IsFollowedByFindNotASecondCreate) {
  Connected_ c;
  ASSERT_EQ(c.ctx.sends.back().message.type, uint16_t(MsgType::create));
  c.ctx.take_sends();
  c.ctx.fire(c.client, static_cast<sim::TimerSlot>(ClientTimer::request));
  ASSERT_EQ(c.ctx.sends.back().message.type, uint16_t(MsgType::find));
  EXPECT_EQ(c.client.phase(), Phase::finding);
}

TEST(ZkClient, WithoutFindOnRetry_ALostCreateReplyCreatesAgain) {
  Config cfg = config();
  cfg.find_on_retry = false;
  Connected_ c(cfg);
  c.ctx.take_sends();
  c.ctx.fire(c.client, static_cast<sim::TimerSlot>(ClientTimer::request));
  EXPECT_EQ(c.ctx.sends.back().message.type, uint16_t(MsgType::create));
}

TEST(ZkClient, HoldsWithTheCzxidAsToken_OnlyWhenLowest) {
  Connected_ c;
  c.ctx.deliver(c.client, 0, msg(MsgType::node_reply, NodeReply{c.last_req(), 0, 5, 42}));
  ASSERT_EQ(c.client.phase(), Phase::checking);
  const auto req = c.ctx.sends.back().message.as<Check>().req;
  c.ctx.deliver(c.client, 0, msg(MsgType::check_reply, CheckReply{req, 0, 0, 4}));
  EXPECT_EQ(c.client.phase(), Phase::waiting);
  EXPECT_EQ(c.client.watched(), 4u);
  c.ctx.deliver(c.client, 0, msg(MsgType::notify, Notify{4}));
  const auto req2 = c.ctx.sends.back().message.as<Check>().req;
  c.ctx.deliver(c.client, 0, msg(MsgType::check_reply, CheckReply{req2, 0, 1, 0}));
  EXPECT_EQ(c.client.phase(), Phase::holding);
  EXPECT_EQ(c.ctx.last(obs::lock_acquired)->get(fld::token), 42);
}

TEST(ZkClient, Grace_KeepsTheBeliefPastTheSessionTimeoutThenLetsGo) {
  Config cfg = config();
  cfg.grace = sec(2);
  Connected_ c(cfg);
  c.ctx.deliver(c.client, 0, msg(MsgType::node_reply, NodeReply{c.last_req(), 0, 1, 1}));
  const auto req = c.ctx.sends.back().message.as<Check>().req;
  c.ctx.deliver(c.client, 0, msg(MsgType::check_reply, CheckReply{req, 0, 1, 0}));
  ASSERT_EQ(c.client.phase(), Phase::holding);
  // No pong ever comes: the session view ends 4s after the connect, then 2s of jeopardy.
  c.ctx.run_until(c.client, sim::LocalTime{sec(4).ns});
  EXPECT_EQ(c.ctx.count(::lockstep::testing::kind_named("zk.jeopardy")), 1u);
  EXPECT_EQ(c.client.phase(), Phase::holding);
  c.ctx.run_until(c.client, sim::LocalTime{sec(6).ns});
  EXPECT_EQ(c.ctx.count(obs::lock_expired), 1u);
  EXPECT_NE(c.client.phase(), Phase::holding);
}

TEST(ZkMessages, WireFormRoundTrips) {
  const sim::Message m = msg(MsgType::check_reply, CheckReply{1, 0, 1, 9});
  const auto back = zk_lock::decode(zk_lock::encode(m));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->as<CheckReply>().watched, 9u);
}

}  // namespace
}  // namespace lockstep::protocols::testing
