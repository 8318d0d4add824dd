// Unit tests of the bully election node: who answers and who wins, how silence and timeouts
// restart elections, how terms grow, the majority rule for leader.confirmed, and the wire form.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocols/bully/bully.hpp"
#include "protocols/bully/node.hpp"
#include "tests/protocols/fake_context.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::protocols::bully {
namespace obs = ::lockstep::testing::obs;
namespace fld = ::lockstep::testing::fld;
namespace {

using testing::FakeContext;
using testing::Sent;

sim::Duration ms(int64_t v) { return sim::Duration::millis(v); }
sim::Duration sec(int64_t v) { return sim::Duration::seconds(v); }

constexpr sim::TimerSlot kAnswerWait = static_cast<sim::TimerSlot>(NodeTimer::answer_wait);
constexpr sim::TimerSlot kCoordinatorWait =
    static_cast<sim::TimerSlot>(NodeTimer::coordinator_wait);
constexpr sim::TimerSlot kLeaderSilence = static_cast<sim::TimerSlot>(NodeTimer::leader_silence);
constexpr sim::TimerSlot kHeartbeat = static_cast<sim::TimerSlot>(NodeTimer::heartbeat);

std::vector<sim::NodeInfo> mesh(size_t n) {
  std::vector<sim::NodeInfo> nodes;
  for (size_t i = 0; i < n; ++i) nodes.push_back({"n" + std::to_string(i + 1), "node"});
  return nodes;
}

// The defaults as param_specs() declares them: heartbeat 1s, leader_timeout 3s,
// answer_timeout 500ms, coordinator_timeout 2s, priority from the index.
sim::Params default_params(int64_t priority = kPriorityFromIndex) {
  sim::Params p;
  p.set("heartbeat", sec(1));
  p.set("leader_timeout", sec(3));
  p.set("answer_timeout", ms(500));
  p.set("coordinator_timeout", sec(2));
  p.set("priority", priority);
  return p;
}

Config config(int64_t priority = kPriorityFromIndex) {
  return Config::from(default_params(priority));
}

template <class T>
sim::Message msg(MsgType type, const T& body) {
  return make_message(type, body);
}

template <class T>
T body_of(const Sent& sent, MsgType type) {
  if (sent.message.type != static_cast<uint16_t>(type)) {
    ADD_FAILURE() << "expected " << message_names()[static_cast<size_t>(type)] << ", got type "
                  << sent.message.type;
    return T{};
  }
  return sent.message.as<T>();
}

// The sends of one type, in order.
std::vector<Sent> of_type(const std::vector<Sent>& sends, MsgType type) {
  std::vector<Sent> out;
  for (const Sent& s : sends) {
    if (s.message.type == static_cast<uint16_t>(type)) out.push_back(s);
  }
  return out;
}

// One node of a five-node cluster (index 0..4, default rank = index) with its own context.
struct Fixture {
  explicit Fixture(sim::NodeIndex self, int64_t priority = kPriorityFromIndex,
                   sim::DurableStore* store = nullptr, size_t nodes = 5)
      : ctx(mesh(nodes), self, store), node(config(priority)) {}

  // Starts the node and clears what its first election sent.
  void start() {
    node.on_start(ctx);
    ctx.take_sends();
  }
  // Starts the node and makes it coordinator (nobody answers its election).
  void start_as_coordinator() {
    start();
    ctx.fire(node, kAnswerWait);
    ASSERT_EQ(node.state(), State::leading);
    ctx.take_sends();
  }
  // Starts the node and has it follow `coordinator` (of `priority`, default its index) in `term`.
  void start_following(sim::NodeIndex coordinator, uint64_t term,
                       int64_t priority = kPriorityFromIndex) {
    start();
    if (priority == kPriorityFromIndex) priority = static_cast<int64_t>(coordinator);
    ctx.deliver(node, coordinator, msg(MsgType::coordinator, Coordinator{term, priority}));
    ASSERT_EQ(node.state(), State::following);
    ctx.take_sends();
  }
  void ack(sim::NodeIndex from, uint64_t term, uint64_t round, bool accepted = true) {
    ctx.deliver(node, from,
                msg(MsgType::heartbeat_ack, HeartbeatAck{term, round, accepted ? 1u : 0u}));
  }

  FakeContext ctx;
  Node node;
};

TEST(Bully, Bully_FirstBoot_SendsElectionWithItsPriorityToEveryOtherNode) {
  Fixture f(2);
  f.node.on_start(f.ctx);
  EXPECT_EQ(f.node.state(), State::electing);
  const auto sends = f.ctx.take_sends();
  ASSERT_EQ(sends.size(), 4u);
  const sim::NodeIndex expected[] = {0, 1, 3, 4};
  for (size_t k = 0; k < sends.size(); ++k) {
    EXPECT_EQ(sends[k].to, expected[k]);
    const Election e = body_of<Election>(sends[k], MsgType::election);
    EXPECT_EQ(e.term, 0u);
    EXPECT_EQ(e.priority, 2);
  }
  const auto* started = f.ctx.last(obs::election_started);
  ASSERT_NE(started, nullptr);
  EXPECT_EQ(started->get(fld::term), 1) << "the term it would take";
  EXPECT_EQ(started->get(fld::prevote), 0);
  EXPECT_EQ(f.ctx.due(kAnswerWait), sim::LocalTime{ms(500).ns});
}

TEST(Bully, Bully_HighestNode_BecomesCoordinatorWhenNobodyAnswers) {
  Fixture f(4);
  f.start();
  f.ctx.fire(f.node, kAnswerWait);
  EXPECT_EQ(f.node.state(), State::leading);
  EXPECT_EQ(f.node.coordinator(), 4u);
  const auto* elected = f.ctx.last(obs::leader_elected);
  ASSERT_NE(elected, nullptr);
  EXPECT_EQ(elected->get(fld::term), 1);
  const auto sends = f.ctx.take_sends();
  const auto coordinators = of_type(sends, MsgType::coordinator);
  ASSERT_EQ(coordinators.size(), 4u);
  for (const Sent& s : coordinators) {
    EXPECT_EQ(body_of<Coordinator>(s, MsgType::coordinator).term, 1u);
    EXPECT_EQ(body_of<Coordinator>(s, MsgType::coordinator).priority, 4);
  }
  EXPECT_EQ(of_type(sends, MsgType::heartbeat).size(), 4u) << "the first round goes out at once";
  EXPECT_TRUE(f.ctx.pending(kHeartbeat));
}

TEST(Bully, Bully_ElectionFromLowerNode_IsAnsweredAndStartsOwnElection) {
  Fixture f(2);
  f.start_following(4, 1);
  f.ctx.deliver(f.node, 0, msg(MsgType::election, Election{1, 0}));
  const auto sends = f.ctx.take_sends();
  const auto answers = of_type(sends, MsgType::answer);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].to, 0u);
  EXPECT_EQ(of_type(sends, MsgType::election).size(), 4u);
  EXPECT_EQ(f.node.state(), State::electing);
  EXPECT_EQ(f.ctx.count(obs::election_started), 2u) << "boot, then the lower node's";
}

TEST(Bully, Bully_ElectionFromHigherNode_IsNotAnswered) {
  Fixture f(2);
  f.start_following(4, 1);
  f.ctx.deliver(f.node, 3, msg(MsgType::election, Election{1, 3}));
  EXPECT_TRUE(f.ctx.take_sends().empty());
  EXPECT_EQ(f.node.state(), State::following);
}

TEST(Bully, Bully_Answer_SuppressesTheClaimAndWaitsForACoordinator) {
  Fixture f(1);
  f.start();
  f.ctx.deliver(f.node, 3, msg(MsgType::answer, Answer{0}));
  EXPECT_EQ(f.node.state(), State::awaiting);
  EXPECT_FALSE(f.ctx.pending(kAnswerWait));
  EXPECT_EQ(f.ctx.due(kCoordinatorWait), sim::LocalTime{sec(2).ns});
  f.ctx.run_for(f.node, sec(1));
  EXPECT_EQ(f.ctx.count(obs::leader_elected), 0u);
  // The Coordinator ends the wait.
  f.ctx.deliver(f.node, 4, msg(MsgType::coordinator, Coordinator{1, 4}));
  EXPECT_EQ(f.node.state(), State::following);
  EXPECT_EQ(f.node.coordinator(), 4u);
  EXPECT_FALSE(f.ctx.pending(kCoordinatorWait));
  EXPECT_EQ(f.ctx.count(obs::leader_elected), 0u);
}

TEST(Bully, Bully_CoordinatorTimeout_RestartsTheElection) {
  Fixture f(1);
  f.start();
  f.ctx.deliver(f.node, 3, msg(MsgType::answer, Answer{0}));
  f.ctx.fire(f.node, kCoordinatorWait);
  EXPECT_EQ(f.node.state(), State::electing);
  EXPECT_EQ(f.ctx.count(obs::election_started), 2u);
  EXPECT_EQ(of_type(f.ctx.take_sends(), MsgType::election).size(), 4u);
  // Nobody answers the second time: the higher nodes are gone, so this node takes over.
  f.ctx.fire(f.node, kAnswerWait);
  EXPECT_EQ(f.node.state(), State::leading);
}

TEST(Bully, Bully_HeartbeatSilence_StartsAnElectionAfterLeaderTimeout) {
  Fixture f(2);
  f.start_following(4, 1);
  // Heartbeats keep pushing the deadline back.
  for (uint64_t round = 1; round <= 5; ++round) {
    f.ctx.run_for(f.node, sec(1));
    f.ctx.deliver(f.node, 4, msg(MsgType::heartbeat, Heartbeat{1, round, 4}));
    EXPECT_EQ(f.node.state(), State::following);
  }
  const auto acks = of_type(f.ctx.take_sends(), MsgType::heartbeat_ack);
  ASSERT_EQ(acks.size(), 5u);
  EXPECT_EQ(body_of<HeartbeatAck>(acks[4], MsgType::heartbeat_ack).accepted, 1u);
  EXPECT_EQ(f.ctx.count(obs::election_started), 1u);
  // Then silence: nothing until leader_timeout after the last heartbeat.
  const sim::LocalTime last = f.ctx.mono();
  f.ctx.run_until(f.node, last + sec(3) - ms(1));
  EXPECT_EQ(f.node.state(), State::following);
  f.ctx.run_until(f.node, last + sec(3));
  EXPECT_EQ(f.node.state(), State::electing);
  EXPECT_EQ(f.ctx.count(obs::election_started), 2u);
}

TEST(Bully, Bully_Terms_NewCoordinatorTakesTheHighestSeenPlusOne) {
  sim::DurableStore store;
  {
    Fixture f(4, kPriorityFromIndex, &store);
    f.start();
    // A lower node's election carries term 7, from a reign this node never saw.
    f.ctx.deliver(f.node, 0, msg(MsgType::election, Election{7, 0}));
    EXPECT_EQ(f.node.term(), 7u);
    const auto* changed = f.ctx.last(obs::term_changed);
    ASSERT_NE(changed, nullptr);
    EXPECT_EQ(changed->get(fld::term), 7);
    f.ctx.fire(f.node, kAnswerWait);
    EXPECT_EQ(f.ctx.last(obs::leader_elected)->get(fld::term), 8);
    EXPECT_EQ(f.node.leader_term(), 8u);
  }
  // The highest term is durable: a restart never reuses a term it knew of.
  Fixture again(4, kPriorityFromIndex, &store);
  again.node.on_start(again.ctx);
  EXPECT_EQ(again.node.term(), 8u);
}

TEST(Bully, Bully_Terms_OnlyGrow) {
  Fixture f(2);
  f.start_following(4, 5);
  f.ctx.deliver(f.node, 3, msg(MsgType::coordinator, Coordinator{3, 3}));
  EXPECT_EQ(f.node.term(), 5u) << "an older term is not taken";
  EXPECT_EQ(f.node.coordinator(), 4u) << "nor is its stale coordinator";
  f.ctx.deliver(f.node, 3, msg(MsgType::heartbeat, Heartbeat{3, 1, 3}));
  const auto acks = of_type(f.ctx.take_sends(), MsgType::heartbeat_ack);
  ASSERT_EQ(acks.size(), 1u);
  // The ack tells the stale coordinator the newer term.
  EXPECT_EQ(body_of<HeartbeatAck>(acks[0], MsgType::heartbeat_ack).term, 5u);
  EXPECT_EQ(body_of<HeartbeatAck>(acks[0], MsgType::heartbeat_ack).accepted, 0u);
}

TEST(Bully, Bully_Confirmation_NeedsAcksFromAMajorityOfAllNodes) {
  Fixture f(4);
  f.start_as_coordinator();
  const uint64_t term = f.node.leader_term();
  f.ack(0, term, 1);
  f.ack(0, term, 1);  // a duplicate counts once
  f.ack(1, term, 1, /*accepted=*/false);
  f.ack(2, term, 0);  // an older round
  EXPECT_EQ(f.ctx.count(obs::leader_confirmed), 0u) << "2 of 5 is not a majority";
  f.ack(3, term, 1);
  ASSERT_EQ(f.ctx.count(obs::leader_confirmed), 1u) << "3 of 5 is";
  EXPECT_EQ(f.ctx.last(obs::leader_confirmed)->get(fld::term), static_cast<int64_t>(term));
  f.ack(2, term, 1);
  EXPECT_EQ(f.ctx.count(obs::leader_confirmed), 1u) << "once per round";
  // The next round starts from zero again.
  f.ctx.fire(f.node, kHeartbeat);
  f.ack(0, term, 2);
  EXPECT_EQ(f.ctx.count(obs::leader_confirmed), 1u);
  f.ack(1, term, 2);
  EXPECT_EQ(f.ctx.count(obs::leader_confirmed), 2u);
}

TEST(Bully, Bully_CoordinatorCutOffInAMinority_IsNeverConfirmed) {
  Fixture f(4);
  f.start_as_coordinator();
  for (uint64_t round = 2; round <= 10; ++round) {
    f.ctx.fire(f.node, kHeartbeat);
    f.ack(3, f.node.leader_term(), round);  // the one node on its side of the partition
  }
  EXPECT_EQ(f.ctx.count(obs::leader_confirmed), 0u);
  EXPECT_EQ(f.node.state(), State::leading) << "bully has no quorum rule: it keeps leading";
}

TEST(Bully, Bully_SingleNode_ConfirmsItselfEachRound) {
  Fixture f(0, kPriorityFromIndex, nullptr, 1);
  f.node.on_start(f.ctx);
  EXPECT_TRUE(f.ctx.take_sends().empty());
  f.ctx.fire(f.node, kAnswerWait);
  EXPECT_EQ(f.ctx.count(obs::leader_confirmed), 1u);
  f.ctx.fire(f.node, kHeartbeat);
  EXPECT_EQ(f.ctx.count(obs::leader_confirmed), 2u);
}

TEST(Bully, Bully_StaleCoordinator_StepsDownOnANewerTermAndElectsAgain) {
  Fixture f(4);
  f.start_as_coordinator();
  ASSERT_EQ(f.node.leader_term(), 1u);
  // After a partition heals, a follower of the coordinator elected meanwhile acks with term 2.
  f.ack(0, 2, 1, /*accepted=*/false);
  const auto* down = f.ctx.last(obs::leader_stepped_down);
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(down->get(fld::term), 1);
  EXPECT_EQ(down->text, "stale_term");
  EXPECT_EQ(f.node.state(), State::electing);
  EXPECT_EQ(f.ctx.last(obs::election_started)->get(fld::term), 3);
  f.ctx.fire(f.node, kAnswerWait);
  EXPECT_EQ(f.ctx.last(obs::leader_elected)->get(fld::term), 3);
}

TEST(Bully, Bully_Coordinator_OutrankedByAHigherClaimStepsDownAndFollows) {
  Fixture f(3);
  f.start_as_coordinator();
  f.ctx.deliver(f.node, 4, msg(MsgType::coordinator, Coordinator{2, 4}));
  const auto* down = f.ctx.last(obs::leader_stepped_down);
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(down->text, "outranked");
  EXPECT_EQ(f.node.state(), State::following);
  EXPECT_EQ(f.node.coordinator(), 4u);
  EXPECT_FALSE(f.ctx.pending(kHeartbeat));
}

TEST(Bully, Bully_Coordinator_BulliesALowerRivalUnderAFreshTerm) {
  Fixture f(4);
  f.start_as_coordinator();
  // A lower node became coordinator of term 2 while this one was cut off.
  f.ctx.deliver(f.node, 3, msg(MsgType::heartbeat, Heartbeat{2, 4, 3}));
  EXPECT_EQ(f.node.state(), State::leading);
  EXPECT_EQ(f.node.leader_term(), 3u);
  EXPECT_EQ(f.ctx.last(obs::leader_elected)->get(fld::term), 3);
  EXPECT_EQ(f.ctx.count(obs::leader_stepped_down), 0u);
  const auto coordinators = of_type(f.ctx.take_sends(), MsgType::coordinator);
  EXPECT_EQ(coordinators.size(), 4u);
}

TEST(Bully, Bully_Coordinator_StepsDownWhenAHigherNodeStartsAnElection) {
  Fixture f(3);
  f.start_as_coordinator();
  f.ctx.deliver(f.node, 4, msg(MsgType::election, Election{0, 4}));
  EXPECT_EQ(f.ctx.last(obs::leader_stepped_down)->text, "outranked");
  EXPECT_EQ(f.node.state(), State::awaiting);
  EXPECT_TRUE(f.ctx.pending(kCoordinatorWait));
  EXPECT_TRUE(of_type(f.ctx.take_sends(), MsgType::answer).empty());
}

TEST(Bully, Bully_Coordinator_AnswersALowerElectionWithItsCoordinatorMessage) {
  Fixture f(4);
  f.start_as_coordinator();
  f.ctx.deliver(f.node, 1, msg(MsgType::election, Election{1, 1}));
  const auto sends = f.ctx.take_sends();
  ASSERT_EQ(sends.size(), 2u);
  EXPECT_EQ(sends[0].to, 1u);
  EXPECT_EQ(sends[0].message.type, static_cast<uint16_t>(MsgType::answer));
  EXPECT_EQ(sends[1].to, 1u);
  EXPECT_EQ(body_of<Coordinator>(sends[1], MsgType::coordinator).term, 1u);
  EXPECT_EQ(f.ctx.count(obs::leader_elected), 1u) << "no new term for a lost message";
}

TEST(Bully, Bully_PriorityParam_OverridesTheIndex) {
  Fixture low_index(0, /*priority=*/10);
  low_index.start_following(4, 1, /*priority=*/20);
  // Node 0 ranks 10, above node 4's 4: it answers node 4 and starts its own election.
  low_index.ctx.deliver(low_index.node, 4, msg(MsgType::election, Election{1, 4}));
  EXPECT_EQ(of_type(low_index.ctx.take_sends(), MsgType::answer).size(), 1u);
  EXPECT_EQ(low_index.node.state(), State::electing);

  Fixture high_index(4);
  high_index.start_following(0, 1, /*priority=*/10);
  high_index.ctx.deliver(high_index.node, 0, msg(MsgType::election, Election{1, 10}));
  EXPECT_TRUE(of_type(high_index.ctx.take_sends(), MsgType::answer).empty());
}

TEST(Bully, Bully_Restart_ListensForAHeartbeatBeforeElecting) {
  sim::DurableStore store;
  {
    Fixture first(4, kPriorityFromIndex, &store);
    first.start_as_coordinator();  // term 1
  }
  Fixture f(4, kPriorityFromIndex, &store);
  f.node.on_start(f.ctx);
  EXPECT_EQ(f.node.state(), State::listening);
  EXPECT_TRUE(f.ctx.take_sends().empty());
  EXPECT_EQ(f.ctx.count(obs::election_started), 0u);
  // The coordinator elected while it was down heartbeats it: it learns term 4 and bullies.
  f.ctx.deliver(f.node, 3, msg(MsgType::heartbeat, Heartbeat{4, 9, 3}));
  EXPECT_EQ(f.node.state(), State::electing);
  EXPECT_EQ(f.ctx.last(obs::election_started)->get(fld::term), 5);
  f.ctx.fire(f.node, kAnswerWait);
  EXPECT_EQ(f.ctx.last(obs::leader_elected)->get(fld::term), 5);
}

TEST(Bully, Bully_Restart_ElectsAfterLeaderTimeoutOfSilence) {
  sim::DurableStore store;
  store.put(kBootsKey, 1);
  Fixture f(2, kPriorityFromIndex, &store);
  f.node.on_start(f.ctx);
  EXPECT_EQ(f.ctx.due(kLeaderSilence), sim::LocalTime{sec(3).ns});
  f.ctx.fire(f.node, kLeaderSilence);
  EXPECT_EQ(f.node.state(), State::electing);
}

TEST(Bully, Bully_Config_RejectsZeroPeriodsAndPrioritiesBelowMinusOne) {
  for (std::string name :
       {"heartbeat", "leader_timeout", "answer_timeout", "coordinator_timeout"}) {
    sim::Params p = default_params();
    p.set(name, sim::Duration::zero());
    EXPECT_THROW(Config::from(p), std::invalid_argument) << name;
  }
  EXPECT_THROW(Config::from(default_params(-2)), std::invalid_argument);
  EXPECT_EQ(Config::from(default_params(0)).priority, 0);
}

TEST(Bully, Bully_Make_BuildsNodesAndRejectsOtherRoles) {
  const sim::Directory dir({{"n1", "node"}, {"x", "server"}});
  const sim::Params params = default_params();
  EXPECT_NE(make({0, dir[0], dir, params, sim::Params{}}), nullptr);
  EXPECT_THROW(make({1, dir[1], dir, params, sim::Params{}}), std::invalid_argument);
  ASSERT_EQ(spec().claims.size(), 1u);
  EXPECT_EQ(spec().claims[0].role, "leader");
  EXPECT_EQ(spec().messages.size(), kMsgTypeCount);
}

std::vector<sim::Message> one_of_each() {
  constexpr uint64_t big = 0x0123456789abcdefull;
  return {
      msg(MsgType::election, Election{big, -1}),
      msg(MsgType::answer, Answer{UINT64_MAX}),
      msg(MsgType::coordinator, Coordinator{7, INT64_MIN}),
      msg(MsgType::heartbeat, Heartbeat{1, big, 42}),
      msg(MsgType::heartbeat_ack, HeartbeatAck{big, 2, 1}),
  };
}

TEST(BullyMessages, Bully_Encode_IsTypeByteThenLittleEndianTwosComplementFields) {
  const auto bytes = encode(msg(MsgType::election, Election{0x0102030405060708ull, -2}));
  ASSERT_EQ(bytes.size(), 17u);
  EXPECT_EQ(bytes[0], std::byte{0});
  EXPECT_EQ(bytes[1], std::byte{0x08});
  EXPECT_EQ(bytes[8], std::byte{0x01});
  EXPECT_EQ(bytes[9], std::byte{0xfe});
  for (size_t i = 10; i < 17; ++i) EXPECT_EQ(bytes[i], std::byte{0xff});
}

TEST(BullyMessages, Bully_EncodeDecode_RoundTripsEveryType) {
  const auto messages = one_of_each();
  ASSERT_EQ(messages.size(), kMsgTypeCount);
  ASSERT_EQ(message_names().size(), kMsgTypeCount);
  for (const sim::Message& m : messages) {
    const auto decoded = decode(encode(m));
    ASSERT_TRUE(decoded.has_value()) << message_names()[m.type];
    EXPECT_EQ(decoded->type, m.type);
    EXPECT_EQ(decoded->size, m.size);
    EXPECT_EQ(decoded->body, m.body) << message_names()[m.type];
  }
  EXPECT_EQ(decode(encode(one_of_each()[2]))->as<Coordinator>().priority, INT64_MIN);
}

TEST(BullyMessages, Bully_Decode_RejectsTruncatedPaddedOrUnknownInput) {
  for (const sim::Message& m : one_of_each()) {
    const auto bytes = encode(m);
    for (size_t len = 0; len < bytes.size(); ++len) {
      EXPECT_FALSE(decode(std::span(bytes).first(len)).has_value())
          << message_names()[m.type] << " cut to " << len;
    }
    auto longer = bytes;
    longer.push_back(std::byte{0});
    EXPECT_FALSE(decode(longer).has_value()) << message_names()[m.type] << " with a trailing byte";
  }
  auto bytes = encode(msg(MsgType::answer, Answer{1}));
  for (int type : {5, 6, 0x7f, 0xff}) {
    bytes[0] = static_cast<std::byte>(type);
    EXPECT_FALSE(decode(bytes).has_value()) << type;
  }
}

}  // namespace
}  // namespace lockstep::protocols::bully
