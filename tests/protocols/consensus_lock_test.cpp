// Unit tests of the consensus-backed lock: the replicated state machine on its own (sessions,
// revisions, the lowest create revision holds the lock, etcd's Mutex rule) and the client driven
// by hand through a FakeContext (leader hints, retries with backoff, the history it records).
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "protocols/consensus_lock/consensus_lock.hpp"
#include "tests/protocols/fake_context.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::protocols::consensus_lock {
namespace {

using testing::FakeContext;

raft::Entry session(sim::NodeIndex client, uint64_t req) {
  return raft::Entry{1, 0, static_cast<uint64_t>(Op::session), {client, req, 5'000'000'000}};
}
raft::Entry revoke(uint64_t lease, sim::NodeIndex client = 0, uint64_t req = 0) {
  const uint64_t by = req == 0 ? 0 : uint64_t{client} + 1;
  return raft::Entry{1, 0, static_cast<uint64_t>(Op::revoke), {lease, by, req}};
}

TEST(ConsensusLockMachine, LowestCreateRevisionHoldsTheLock) {
  Machine m;
  m.apply(1, session(5, 1));
  m.apply(2, session(6, 1));
  ASSERT_EQ(m.holder(), std::optional<uint64_t>(1));
  EXPECT_EQ(m.leases().at(1).create_revision, 1u);
  EXPECT_EQ(m.leases().at(2).create_revision, 2u);
  m.apply(3, revoke(1, 5, 2));
  EXPECT_EQ(m.holder(), std::optional<uint64_t>(2)) << "the next key once the lower one is gone";
  EXPECT_TRUE(m.released(5, 2));
  EXPECT_EQ(m.revision(), 3u) << "a delete is a revision too";
  m.apply(4, revoke(2));
  EXPECT_FALSE(m.holder().has_value());
}

TEST(ConsensusLockMachine, RetriedAcquireMakesOneSession) {
  Machine m;
  m.apply(1, session(5, 7));
  m.apply(2, session(5, 7));  // the same request, proposed again after a timeout
  EXPECT_EQ(m.leases().size(), 1u);
  EXPECT_EQ(m.lease_of(5, 7), std::optional<uint64_t>(1));
  EXPECT_EQ(m.revision(), 1u);
}

TEST(ConsensusLockMachine, TokensOnlyGrow) {
  Machine m;
  uint64_t last = 0;
  for (uint64_t i = 1; i <= 20; i += 2) {
    m.apply(i, session(static_cast<sim::NodeIndex>(i % 3), i));
    const uint64_t token = m.leases().at(i).create_revision;
    EXPECT_GT(token, last);
    last = token;
    m.apply(i + 1, revoke(i));
  }
}

// --- client ---

std::vector<sim::NodeInfo> cluster() {
  return {{"s1", "server"},
          {"s2", "server"},
          {"s3", "server"},
          {"c1", "client"},
          {"store", "resource"}};
}

Config client_config() {
  Config c;
  c.ttl = sim::Duration::seconds(2);
  c.request_timeout = sim::Duration::millis(300);
  c.backoff = {sim::Duration::millis(20), sim::Duration::millis(80)};
  return c;
}

Workload workload() {
  Workload w;
  w.acquire_every = sim::Distribution::constant_of(sim::Duration::millis(10).ns);
  w.hold = sim::Distribution::constant_of(sim::Duration::seconds(1).ns);
  w.write_every = sim::Duration::millis(100);
  return w;
}

constexpr sim::TimerSlot slot(ClientTimer t) { return static_cast<sim::TimerSlot>(t); }

class ConsensusLockClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx = std::make_unique<FakeContext>(cluster(), 3);
    client = std::make_unique<Client>(client_config(), workload());
    client->on_start(*ctx);
    ctx->fire(*client, slot(ClientTimer::next));
  }
  std::unique_ptr<FakeContext> ctx;
  std::unique_ptr<Client> client;
};

TEST_F(ConsensusLockClientTest, FollowsTheLeaderHintAtOnce) {
  auto sent = ctx->take_sends();
  ASSERT_EQ(sent.size(), 1u);
  const sim::NodeIndex first = sent[0].to;
  const uint64_t req = sent[0].message.as<Request>().req;
  const sim::NodeIndex leader = first == 2 ? 1 : 2;
  ctx->deliver(
      *client, first,
      make_message(MsgType::acquire_reply, Reply{req, static_cast<uint64_t>(Status::not_leader), 0,
                                                 0, uint64_t{leader} + 1}));
  sent = ctx->take_sends();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, leader);
  EXPECT_EQ(sent[0].message.as<Request>().req, req) << "a retry repeats the request number";
}

TEST_F(ConsensusLockClientTest, TimeoutRetriesAtTheNextServerAfterABackoffThatDoubles) {
  const sim::NodeIndex first = ctx->take_sends()[0].to;
  ctx->fire(*client, slot(ClientTimer::timeout));
  ASSERT_TRUE(ctx->pending(slot(ClientTimer::retry)));
  const auto due = *ctx->due(slot(ClientTimer::retry)) - ctx->mono();
  EXPECT_GE(due, sim::Duration::millis(20));
  EXPECT_LE(due, sim::Duration::millis(40)) << "backoff plus jitter up to the backoff";
  ctx->fire(*client, slot(ClientTimer::retry));
  const auto sent = ctx->take_sends();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0].to, first);
  ctx->fire(*client, slot(ClientTimer::timeout));
  const auto again = *ctx->due(slot(ClientTimer::retry)) - ctx->mono();
  EXPECT_GE(again, sim::Duration::millis(40)) << "doubled";
}

TEST_F(ConsensusLockClientTest, GrantWithTokenIsAcquiredAndRecordedInTheHistory) {
  const auto first = ctx->take_sends()[0];
  const uint64_t req = first.message.as<Request>().req;
  ctx->deliver(*client, first.to, make_message(MsgType::acquire_reply, Reply{req, 0, 0, 4, 0}));
  EXPECT_EQ(client->state(), Client::State::acquiring) << "a session alone is not the lock";
  ctx->deliver(*client, first.to, make_message(MsgType::acquire_reply, Reply{req, 0, 9, 4, 0}));
  EXPECT_EQ(client->state(), Client::State::holding);
  EXPECT_EQ(client->token(), 9u);
  const auto* ok = ctx->last(::lockstep::testing::kind_named("op.ok"));
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->get(::lockstep::testing::key_named("f")), 1);
  EXPECT_EQ(ok->get(::lockstep::testing::key_named("value")), 9);
}

// --- session_deadline: a holder whose keepalives go unanswered gives the lock up ---

// etcd's client lease keepalive ends a session whose keepalives are not answered within its TTL
// and reconnects to another server (clientv3 lease.go, concurrency.Session.Done); here the
// deadline counts from when the answered request left, so it falls before the service's.
class SessionDeadlineTest : public ConsensusLockClientTest {
 protected:
  void SetUp() override {
    ctx = std::make_unique<FakeContext>(cluster(), 3);
    Config c = client_config();
    c.session_deadline = true;
    client = std::make_unique<Client>(c, workload());
    client->on_start(*ctx);
    ctx->fire(*client, slot(ClientTimer::next));
    const auto first = ctx->take_sends()[0];
    sent_at = ctx->mono();
    server = first.to;
    ctx->advance(sim::Duration::millis(5));
    const uint64_t req = first.message.as<Request>().req;
    ctx->deliver(*client, server, make_message(MsgType::acquire_reply, Reply{req, 0, 9, 4, 0}));
  }
  sim::LocalTime sent_at{};
  sim::NodeIndex server = 0;
};

TEST_F(SessionDeadlineTest, TheLeaseRunsOutATtlAfterTheAcquireLeftAndTheHoldEnds) {
  ASSERT_EQ(client->state(), Client::State::holding);
  ASSERT_TRUE(ctx->pending(slot(ClientTimer::session)));
  EXPECT_EQ(*ctx->due(slot(ClientTimer::session)), sent_at + sim::Duration::seconds(2))
      << "counted from the request's departure, not the answer's arrival";
  ctx->fire(*client, slot(ClientTimer::session));
  EXPECT_EQ(client->state(), Client::State::idle);
  EXPECT_NE(ctx->last(::lockstep::testing::kind_named("lock.lost")), nullptr);
}

TEST_F(SessionDeadlineTest, AnAnsweredKeepaliveMovesTheDeadlineAndAnUnansweredOneFailsOver) {
  ctx->take_sends();
  ctx->fire(*client, slot(ClientTimer::keepalive));
  const sim::LocalTime keepalive_left = ctx->mono();
  auto sent = ctx->take_sends();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message.type, static_cast<uint16_t>(MsgType::keepalive));
  EXPECT_EQ(sent[0].to, server);
  ctx->advance(sim::Duration::millis(5));
  ctx->deliver(*client, server, make_message(MsgType::keepalive_reply, Reply{0, 0, 0, 4, 0}));
  EXPECT_EQ(*ctx->due(slot(ClientTimer::session)), keepalive_left + sim::Duration::seconds(2));
  // The next keepalive is answered by nobody: the one after goes to another server.
  ctx->fire(*client, slot(ClientTimer::keepalive));
  sent = ctx->take_sends();
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(sent.back().to, server);
  ctx->fire(*client, slot(ClientTimer::keepalive));
  sent = ctx->take_sends();
  ASSERT_FALSE(sent.empty());
  EXPECT_NE(sent.back().to, server) << "an unanswered keepalive fails over";
  EXPECT_EQ(*ctx->due(slot(ClientTimer::session)), keepalive_left + sim::Duration::seconds(2))
      << "unanswered keepalives do not extend the lease";
}

// --- record_writes: the holder's writes in the history ---

class RecordWritesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Config c = client_config();
    c.record_writes = true;
    ctx = std::make_unique<FakeContext>(cluster(), 3);
    client = std::make_unique<Client>(c, workload());
    client->on_start(*ctx);
    ctx->fire(*client, slot(ClientTimer::next));
    const auto first = ctx->take_sends()[0];
    const uint64_t req = first.message.as<Request>().req;
    ctx->deliver(*client, first.to, make_message(MsgType::acquire_reply, Reply{req, 0, 9, 4, 0}));
    ASSERT_EQ(client->state(), Client::State::holding);
  }
  // Fires the write timer: the write sent to the store.
  ResourceWrite write() {
    ctx->fire(*client, slot(ClientTimer::write));
    const auto sent = ctx->take_sends();
    EXPECT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent.at(0).to, kStore);
    return sent.at(0).message.as<ResourceWrite>();
  }
  void ack(uint64_t seq, bool accepted) {
    ctx->deliver(*client, kStore,
                 sim::Message::of(static_cast<uint16_t>(MsgType::write_reply),
                                  ResourceAck{seq, accepted ? 1u : 0u}));
  }
  const testing::Observation* last(std::string_view kind) {
    return ctx->last(::lockstep::testing::kind_named(kind));
  }
  static int64_t field(const testing::Observation* o, std::string_view key) {
    EXPECT_NE(o, nullptr) << key;
    return o == nullptr ? -1 : o->get(::lockstep::testing::key_named(key)).value_or(-1);
  }
  static constexpr sim::NodeIndex kStore = 4;
  std::unique_ptr<FakeContext> ctx;
  std::unique_ptr<Client> client;
};

TEST_F(RecordWritesTest, FirstWriteIsPlainThenEachUpdateIsACasFromTheLastValue) {
  const ResourceWrite w1 = write();
  const auto* invoke = last("op.invoke");
  ASSERT_NE(invoke, nullptr);
  EXPECT_EQ(field(invoke, "f"), 4) << "the first write of a tenure knows no value";
  EXPECT_EQ(field(invoke, "key"), 2);
  const int64_t v1 = field(invoke, "value");
  EXPECT_FALSE(ctx->pending(slot(ClientTimer::write))) << "one open op: wait for the answer";
  ack(w1.seq, true);
  EXPECT_EQ(field(last("op.ok"), "f"), 4);
  ASSERT_TRUE(ctx->pending(slot(ClientTimer::write)));
  const ResourceWrite w2 = write();
  EXPECT_EQ(w2.token, 9u);
  invoke = last("op.invoke");
  EXPECT_EQ(field(invoke, "f"), 5);
  EXPECT_EQ(field(invoke, "expect"), v1);
  EXPECT_NE(field(invoke, "value"), v1);
  ack(w2.seq, false);  // fencing refused it: certainly not applied
  EXPECT_EQ(field(last("op.fail"), "f"), 5);
  write();
  EXPECT_EQ(field(last("op.invoke"), "expect"), v1) << "a refused update changed nothing";
}

TEST_F(RecordWritesTest, UnansweredWriteIsResentAndTheReleaseWaitsForIt) {
  const ResourceWrite w1 = write();
  ctx->fire(*client, slot(ClientTimer::write_timeout));
  auto sent = ctx->take_sends();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message.as<ResourceWrite>().seq, w1.seq) << "the same write again";
  EXPECT_EQ(ctx->count(::lockstep::testing::kind_named("op.info")), 0u);
  ctx->fire(*client, slot(ClientTimer::next));  // the hold is over, but the write is open
  EXPECT_TRUE(ctx->take_sends().empty()) << "no release before the write is answered";
  ack(w1.seq, true);
  sent = ctx->take_sends();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message.type, static_cast<uint16_t>(MsgType::release));
  EXPECT_EQ(field(last("op.ok"), "f"), 4);
  EXPECT_EQ(field(last("op.invoke"), "f"), 2);
}

TEST_F(RecordWritesTest, ANeverAnsweredWriteIsUnknownWhenTheReleaseStopsWaiting) {
  write();
  ctx->fire(*client, slot(ClientTimer::next));
  ctx->fire(*client, slot(ClientTimer::write_timeout));
  EXPECT_EQ(field(last("op.info"), "f"), 4);
  const auto sent = ctx->take_sends();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message.type, static_cast<uint16_t>(MsgType::release));
}

}  // namespace
}  // namespace lockstep::protocols::consensus_lock
