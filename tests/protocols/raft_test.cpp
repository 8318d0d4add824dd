// Unit tests of Raft leader election: one node driven by hand through a FakeContext, and small
// clusters of FakeContexts wired together by an instant, partitionable in-test network.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "protocols/raft/raft.hpp"
#include "tests/protocols/fake_context.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::protocols::raft {
namespace obs = ::lockstep::testing::obs;
namespace fld = ::lockstep::testing::fld;
namespace {

using testing::FakeContext;
using testing::Observation;
using testing::Sent;

constexpr sim::TimerSlot kElection = static_cast<sim::TimerSlot>(NodeTimer::election);
constexpr sim::TimerSlot kHeartbeat = static_cast<sim::TimerSlot>(NodeTimer::heartbeat);
constexpr sim::NodeIndex kSelf = 0;

sim::Duration ms(int64_t v) { return sim::Duration::millis(v); }
sim::LocalTime at(sim::Duration d) { return sim::LocalTime{} + d; }

Config default_config() {
  Config c;
  c.election_timeout = {ms(150), ms(300)};
  c.heartbeat = ms(50);
  return c;
}

std::vector<sim::NodeInfo> nodes(size_t n) {
  std::vector<sim::NodeInfo> infos;
  for (size_t i = 1; i <= n; ++i) infos.push_back({"n" + std::to_string(i), "node"});
  return infos;
}

sim::Message request_vote(uint64_t term, uint64_t log_length = 0, bool prevote = false) {
  // A log of `log_length` entries of term 0, the stand-in for a history (log_length param).
  return make_message(MsgType::request_vote,
                      RequestVote{term, log_length, 0, prevote ? 1u : 0u});
}
sim::Message vote(uint64_t term, bool granted, bool prevote = false) {
  return make_message(MsgType::vote, Vote{term, granted ? 1u : 0u, prevote ? 1u : 0u});
}
sim::Message append(uint64_t term, uint64_t round = 1) {
  return make_message(MsgType::append_entries, AppendEntries{term, round, 0, 0, 0});
}
sim::Message response(uint64_t term, bool success, uint64_t round) {
  return make_message(MsgType::append_response, AppendResponse{term, success ? 1u : 0u, round, 0, 0});
}

template <class T>
T body_of(const Sent& s, MsgType type) {
  EXPECT_EQ(s.message.type, static_cast<uint16_t>(type));
  return s.message.as<T>();
}

// One node (index 0 of five unless told) on a FakeContext; reboot() builds a fresh instance on
// the same durable store, as a crash and restart do.
class RaftNodeTest : public ::testing::Test {
 protected:
  void boot(Config config = default_config(), size_t n = 5, uint64_t seed = 1) {
    ctx = std::make_unique<FakeContext>(nodes(n), kSelf, &store, seed);
    node = std::make_unique<Node>(config);
    node->on_start(*ctx);
  }
  void reboot(Config config = default_config()) { boot(config); }

  // Delivers `m` from `from` and returns the one reply, which must go back to `from`.
  Sent ask(sim::NodeIndex from, const sim::Message& m) {
    ctx->deliver(*node, from, m);
    auto sent = ctx->take_sends();
    EXPECT_EQ(sent.size(), 1u);
    if (sent.empty()) return Sent{from, sim::Message{}};
    EXPECT_EQ(sent[0].to, from);
    return sent[0];
  }
  Vote vote_reply(sim::NodeIndex from, const sim::Message& m) {
    return body_of<Vote>(ask(from, m), MsgType::vote);
  }

  // Fires the election timer and returns what it broadcast.
  std::vector<Sent> time_out() {
    ctx->fire(*node, kElection);
    return ctx->take_sends();
  }
  // Times out and collects votes from `voters`, making this node leader of the next term.
  void win_election(std::vector<sim::NodeIndex> voters = {1, 2}) {
    time_out();
    for (sim::NodeIndex v : voters) ctx->deliver(*node, v, vote(node->term(), true));
    ASSERT_EQ(node->role(), Role::leader);
    ctx->take_sends();
  }

  sim::DurableStore store;
  std::unique_ptr<FakeContext> ctx;
  std::unique_ptr<Node> node;
};

// --- start, timers ---

TEST_F(RaftNodeTest, Raft_Start_IsFollowerWithElectionTimeoutDrawnFromTheRange) {
  std::set<int64_t> draws;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    boot(default_config(), 5, seed);
    EXPECT_EQ(node->role(), Role::follower);
    EXPECT_EQ(node->term(), 0u);
    const auto due = ctx->due(kElection);
    ASSERT_TRUE(due.has_value());
    EXPECT_GE(*due, at(ms(150)));
    EXPECT_LE(*due, at(ms(300)));
    EXPECT_FALSE(ctx->pending(kHeartbeat));
    draws.insert(due->ns);
  }
  EXPECT_GT(draws.size(), 15u) << "timeouts are randomized per node";
}

TEST_F(RaftNodeTest, Raft_Follower_HeartbeatResetsElectionTimerAndIsAcknowledged) {
  boot();
  ctx->advance(ms(140));
  const Sent reply = ask(3, append(0, 7));
  const auto r = body_of<AppendResponse>(reply, MsgType::append_response);
  EXPECT_EQ(r.success, 1u);
  EXPECT_EQ(r.round, 7u);
  EXPECT_EQ(node->leader(), 3u);
  const auto due = ctx->due(kElection);
  ASSERT_TRUE(due.has_value());
  EXPECT_GE(*due, at(ms(140 + 150))) << "the timeout restarts at the heartbeat";
  // Heartbeats every 100ms keep the follower from ever campaigning.
  for (int i = 0; i < 20; ++i) {
    ctx->run_for(*node, ms(100));
    ask(3, append(0));
  }
  EXPECT_EQ(ctx->count(obs::election_started), 0u);
  EXPECT_EQ(node->role(), Role::follower);
}

// --- voting ---

TEST_F(RaftNodeTest, Raft_Vote_OneVotePerTerm) {
  boot();
  const Vote first = vote_reply(1, request_vote(1));
  EXPECT_EQ(first.granted, 1u);
  EXPECT_EQ(first.term, 1u);
  EXPECT_EQ(node->voted_for(), 1u);
  const Observation* granted = ctx->last(obs::vote_granted);
  ASSERT_NE(granted, nullptr);
  EXPECT_EQ(granted->get(fld::term), 1);
  EXPECT_EQ(granted->get(fld::candidate), 1);

  EXPECT_EQ(vote_reply(2, request_vote(1)).granted, 0u) << "a second candidate in the same term";
  EXPECT_EQ(vote_reply(1, request_vote(1)).granted, 1u) << "the same candidate asking again";
  EXPECT_EQ(ctx->count(obs::vote_granted), 1u) << "one vote, observed once";
}

TEST_F(RaftNodeTest, Raft_Vote_RefusesCandidateWithShorterLogButLearnsItsTerm) {
  Config c = default_config();
  c.log_length = 5;
  boot(c);
  EXPECT_EQ(vote_reply(1, request_vote(3, 4)).granted, 0u);
  EXPECT_EQ(node->term(), 3u) << "a higher term is adopted even when the vote is refused";
  EXPECT_EQ(node->voted_for(), sim::kNoNode);
  EXPECT_EQ(vote_reply(2, request_vote(3, 5)).granted, 1u) << "an equal log is up to date";
  EXPECT_EQ(vote_reply(3, request_vote(4, 9)).granted, 1u) << "a longer log is up to date";
}

TEST_F(RaftNodeTest, Raft_Vote_HigherTermResetsTheVote) {
  boot();
  EXPECT_EQ(vote_reply(1, request_vote(1)).granted, 1u);
  const Vote second = vote_reply(2, request_vote(2));
  EXPECT_EQ(second.granted, 1u);
  EXPECT_EQ(second.term, 2u);
  EXPECT_EQ(node->voted_for(), 2u);
  const Observation* changed = ctx->last(obs::term_changed);
  ASSERT_NE(changed, nullptr);
  EXPECT_EQ(changed->get(fld::term), 2);
}

TEST_F(RaftNodeTest, Raft_Vote_GrantRestartsTheElectionTimerAndRefusalDoesNot) {
  boot();
  ctx->advance(ms(100));
  const auto before = ctx->due(kElection);
  vote_reply(1, request_vote(1));
  ASSERT_TRUE(ctx->due(kElection).has_value());
  EXPECT_GE(*ctx->due(kElection), at(ms(250)));
  const auto after_grant = ctx->due(kElection);
  ctx->advance(ms(10));
  vote_reply(2, request_vote(1));  // refused
  EXPECT_EQ(ctx->due(kElection), after_grant);
  EXPECT_NE(before, after_grant);
}

TEST_F(RaftNodeTest, Raft_StaleRequests_AreRefusedWithTheCurrentTerm) {
  boot();
  vote_reply(1, request_vote(3));
  const Vote refused = vote_reply(2, request_vote(2));
  EXPECT_EQ(refused.granted, 0u);
  EXPECT_EQ(refused.term, 3u);
  const auto r = body_of<AppendResponse>(ask(4, append(2, 9)), MsgType::append_response);
  EXPECT_EQ(r.success, 0u);
  EXPECT_EQ(r.term, 3u) << "so a deposed leader learns the newer term";
  EXPECT_EQ(node->leader(), sim::kNoNode);
}

// --- elections ---

TEST_F(RaftNodeTest, Raft_ElectionTimeout_CampaignsInTheNextTermWithItsOwnVoteDurable) {
  boot();
  const auto sent = time_out();
  EXPECT_EQ(node->role(), Role::candidate);
  EXPECT_EQ(node->term(), 1u);
  EXPECT_EQ(node->voted_for(), kSelf);
  EXPECT_EQ(store.get(std::string(kTermKey)), 1);
  EXPECT_EQ(store.get(std::string(kVotedForKey)), 0);
  ASSERT_EQ(sent.size(), 4u);
  std::set<sim::NodeIndex> to;
  for (const Sent& s : sent) {
    const auto rv = body_of<RequestVote>(s, MsgType::request_vote);
    EXPECT_EQ(rv.term, 1u);
    EXPECT_EQ(rv.prevote, 0u);
    to.insert(s.to);
  }
  EXPECT_EQ(to, (std::set<sim::NodeIndex>{1, 2, 3, 4}));
  const Observation* started = ctx->last(obs::election_started);
  ASSERT_NE(started, nullptr);
  EXPECT_EQ(started->get(fld::term), 1);
  EXPECT_EQ(started->get(fld::prevote), 0);
  EXPECT_TRUE(ctx->pending(kElection));
}

TEST_F(RaftNodeTest, Raft_Election_MajorityWinsAndDuplicateVotesDoNotCount) {
  boot();
  time_out();
  ctx->deliver(*node, 1, vote(1, true));
  ctx->deliver(*node, 1, vote(1, true));  // the network duplicated it
  EXPECT_EQ(node->role(), Role::candidate) << "two of five is no majority";
  ctx->deliver(*node, 2, vote(1, false));
  EXPECT_EQ(node->role(), Role::candidate);
  ctx->deliver(*node, 3, vote(1, true));
  EXPECT_EQ(node->role(), Role::leader);
  const Observation* elected = ctx->last(obs::leader_elected);
  ASSERT_NE(elected, nullptr);
  EXPECT_EQ(elected->get(fld::term), 1);
  // It announces itself at once and keeps beating; without check_quorum no election timer.
  const auto sent = ctx->take_sends();
  EXPECT_EQ(sent.size(), 4u);
  for (const Sent& s : sent) EXPECT_EQ(body_of<AppendEntries>(s, MsgType::append_entries).term, 1u);
  EXPECT_EQ(ctx->due(kHeartbeat), ctx->mono() + ms(50));
  EXPECT_FALSE(ctx->pending(kElection));
  ctx->deliver(*node, 4, vote(1, true));
  EXPECT_EQ(ctx->count(obs::leader_elected), 1u);
}

TEST_F(RaftNodeTest, Raft_SplitVote_NoMajorityMeansANewElectionInTheNextTerm) {
  boot();
  time_out();
  ctx->deliver(*node, 1, vote(1, true));
  for (sim::NodeIndex v : {2u, 3u, 4u}) ctx->deliver(*node, v, vote(1, false));
  EXPECT_EQ(node->role(), Role::candidate);
  const auto sent = time_out();
  EXPECT_EQ(node->term(), 2u);
  EXPECT_EQ(node->role(), Role::candidate);
  EXPECT_EQ(sent.size(), 4u);
  EXPECT_EQ(ctx->count(obs::election_started), 2u);
  ctx->deliver(*node, 1, vote(1, true));  // a late vote from the lost round
  ctx->deliver(*node, 2, vote(2, true));
  EXPECT_EQ(node->role(), Role::candidate) << "the late vote counts for nothing";
  ctx->deliver(*node, 3, vote(2, true));
  EXPECT_EQ(node->role(), Role::leader);
}

TEST_F(RaftNodeTest, Raft_Candidate_HeartbeatFromTheTermsWinnerMakesItFollow) {
  boot();
  time_out();
  const auto r = body_of<AppendResponse>(ask(2, append(1)), MsgType::append_response);
  EXPECT_EQ(r.success, 1u);
  EXPECT_EQ(node->role(), Role::follower);
  EXPECT_EQ(node->term(), 1u);
  EXPECT_EQ(node->leader(), 2u);
}

TEST_F(RaftNodeTest, Raft_Leader_StepsDownOnAHigherTerm) {
  boot();
  win_election();
  ASSERT_TRUE(ctx->pending(kHeartbeat));
  const auto r = body_of<AppendResponse>(ask(3, append(4)), MsgType::append_response);
  EXPECT_EQ(r.success, 1u);
  EXPECT_EQ(node->role(), Role::follower);
  EXPECT_EQ(node->term(), 4u);
  EXPECT_EQ(node->leader(), 3u);
  const Observation* down = ctx->last(obs::leader_stepped_down);
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(down->get(fld::term), 1) << "the term it led";
  EXPECT_EQ(down->text, "higher_term");
  EXPECT_FALSE(ctx->pending(kHeartbeat));
  EXPECT_TRUE(ctx->pending(kElection));
}

TEST_F(RaftNodeTest, Raft_Leader_RefusesAnotherLeaderOfItsOwnTerm) {
  boot();
  win_election();
  const auto r = body_of<AppendResponse>(ask(4, append(1)), MsgType::append_response);
  EXPECT_EQ(r.success, 0u);
  EXPECT_EQ(node->role(), Role::leader);
}

// --- heartbeats and confirmation ---

TEST_F(RaftNodeTest, Raft_Leader_ConfirmedOncePerRoundWhenAMajorityAcknowledges) {
  boot();
  win_election();
  ctx->fire(*node, kHeartbeat);
  const auto sent = ctx->take_sends();
  ASSERT_EQ(sent.size(), 4u);
  const uint64_t round = body_of<AppendEntries>(sent[0], MsgType::append_entries).round;
  EXPECT_EQ(round, 2u) << "round 1 went out on election";
  ctx->deliver(*node, 1, response(1, true, round - 1));  // late: the previous round
  ctx->deliver(*node, 2, response(1, true, round));
  ctx->deliver(*node, 2, response(1, true, round));  // duplicated
  EXPECT_EQ(ctx->count(obs::leader_confirmed), 0u) << "itself and one peer of five";
  ctx->deliver(*node, 3, response(1, false, round));  // a refusal is no acknowledgement
  EXPECT_EQ(ctx->count(obs::leader_confirmed), 0u);
  ctx->deliver(*node, 4, response(1, true, round));
  ASSERT_EQ(ctx->count(obs::leader_confirmed), 1u) << "itself and two peers of five";
  EXPECT_EQ(ctx->last(obs::leader_confirmed)->get(fld::term), 1);
  ctx->deliver(*node, 1, response(1, true, round));
  ctx->deliver(*node, 3, response(1, true, round));
  EXPECT_EQ(ctx->count(obs::leader_confirmed), 1u) << "once per round";
  EXPECT_EQ(ctx->due(kHeartbeat), ctx->mono() + ms(50));
}

TEST_F(RaftNodeTest, Raft_SingleNode_ElectsItselfAndConfirmsEveryRound) {
  ctx = std::make_unique<FakeContext>(nodes(1), kSelf, &store, 1);
  node = std::make_unique<Node>(default_config());
  node->on_start(*ctx);
  ctx->fire(*node, kElection);
  EXPECT_EQ(node->role(), Role::leader);
  ctx->run_for(*node, ms(120));
  EXPECT_EQ(ctx->count(obs::leader_confirmed), 3u);
  EXPECT_TRUE(ctx->sends.empty());
}

// --- prevote ---

Config with_prevote() {
  Config c = default_config();
  c.prevote = true;
  return c;
}

TEST_F(RaftNodeTest, Raft_PreVote_RoundDoesNotBumpTheTermUntilItSucceeds) {
  boot(with_prevote());
  const auto sent = time_out();
  EXPECT_EQ(node->role(), Role::pre_candidate);
  EXPECT_EQ(node->term(), 0u);
  EXPECT_EQ(node->voted_for(), sim::kNoNode);
  EXPECT_FALSE(store.contains(std::string(kTermKey)));
  EXPECT_EQ(ctx->count(obs::term_changed), 0u);
  ASSERT_EQ(sent.size(), 4u);
  const auto rv = body_of<RequestVote>(sent[0], MsgType::request_vote);
  EXPECT_EQ(rv.term, 1u) << "the term it would campaign in";
  EXPECT_EQ(rv.prevote, 1u);
  const Observation* started = ctx->last(obs::election_started);
  ASSERT_NE(started, nullptr);
  EXPECT_EQ(started->get(fld::term), 1);
  EXPECT_EQ(started->get(fld::prevote), 1);
  // Failed rounds repeat without moving the term.
  time_out();
  time_out();
  EXPECT_EQ(node->term(), 0u);
  // A majority of prevotes starts the real election.
  ctx->deliver(*node, 1, vote(1, true, true));
  ctx->deliver(*node, 2, vote(1, true, true));
  EXPECT_EQ(node->role(), Role::candidate);
  EXPECT_EQ(node->term(), 1u);
  const auto real = ctx->take_sends();
  ASSERT_EQ(real.size(), 4u);
  EXPECT_EQ(body_of<RequestVote>(real[0], MsgType::request_vote).prevote, 0u);
}

TEST_F(RaftNodeTest, Raft_PreVote_VoterGrantsWithoutMovingItsTermOnlyWhenNoLeaderWasHeard) {
  boot(with_prevote());
  const Vote granted = vote_reply(1, request_vote(1, 0, true));
  EXPECT_EQ(granted.granted, 1u);
  EXPECT_EQ(granted.prevote, 1u);
  EXPECT_EQ(granted.term, 1u);
  EXPECT_EQ(node->term(), 0u);
  EXPECT_EQ(node->voted_for(), sim::kNoNode);
  EXPECT_EQ(ctx->count(obs::vote_granted), 0u) << "a prevote is not a vote";
  EXPECT_EQ(vote_reply(1, request_vote(0, 0, true)).granted, 0u) << "not above our term";

  ask(2, append(3));  // a leader of term 3
  ctx->advance(ms(149));
  const Vote refused = vote_reply(1, request_vote(4, 0, true));
  EXPECT_EQ(refused.granted, 0u) << "the leader was heard within the minimum timeout";
  EXPECT_EQ(refused.term, 3u);
  ctx->advance(ms(1));
  EXPECT_EQ(vote_reply(1, request_vote(4, 0, true)).granted, 1u);
  EXPECT_EQ(node->term(), 3u);
}

TEST_F(RaftNodeTest, Raft_PreVote_RefusedWithAHigherTermBringsThePreCandidateUpToDate) {
  boot(with_prevote());
  time_out();
  ctx->deliver(*node, 1, vote(5, false, true));
  EXPECT_EQ(node->term(), 5u);
  EXPECT_EQ(node->role(), Role::follower);
}

TEST_F(RaftNodeTest, Raft_PreVote_RefusesShorterLog) {
  Config c = with_prevote();
  c.log_length = 3;
  boot(c);
  EXPECT_EQ(vote_reply(1, request_vote(1, 2, true)).granted, 0u);
  EXPECT_EQ(vote_reply(1, request_vote(1, 3, true)).granted, 1u);
}

// --- check_quorum ---

Config with_check_quorum() {
  Config c = default_config();
  c.check_quorum = true;
  return c;
}

TEST_F(RaftNodeTest, Raft_CheckQuorum_LeaderUnheardByAMajorityStepsDown) {
  boot(with_check_quorum());
  win_election();  // voters 1 and 2 open the lease now
  const sim::LocalTime elected = ctx->mono();
  EXPECT_EQ(ctx->due(kElection), elected + ms(150));
  ctx->advance(ms(100));
  const uint64_t round = 1;
  ctx->deliver(*node, 3, response(1, true, round));
  ctx->deliver(*node, 4, response(1, true, round));
  ctx->fire(*node, kElection);  // at +150ms: nodes 3 and 4 answered 50ms ago
  EXPECT_EQ(node->role(), Role::leader);
  EXPECT_EQ(ctx->due(kElection), elected + ms(250)) << "when their answers turn 150ms old";
  ctx->run_until(*node, elected + ms(249));
  EXPECT_EQ(node->role(), Role::leader);
  ctx->run_until(*node, elected + ms(250));
  EXPECT_EQ(node->role(), Role::follower);
  const Observation* down = ctx->last(obs::leader_stepped_down);
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(down->text, "check_quorum");
  EXPECT_EQ(down->get(fld::term), 1);
  EXPECT_EQ(node->term(), 1u) << "stepping down moves no term";
}

TEST_F(RaftNodeTest, Raft_CheckQuorum_LeaderKeptAnsweredByAMajorityStays) {
  boot(with_check_quorum());
  win_election();
  for (int i = 0; i < 40; ++i) {
    ctx->run_for(*node, ms(50));  // a heartbeat round each time
    for (sim::NodeIndex peer : {1u, 2u}) ctx->deliver(*node, peer, response(1, true, 1));
  }
  EXPECT_EQ(node->role(), Role::leader);
  EXPECT_EQ(ctx->count(obs::leader_stepped_down), 0u);
}

TEST_F(RaftNodeTest, Raft_CheckQuorum_FollowerWithALiveLeaderIgnoresRequestVote) {
  boot(with_check_quorum());
  ask(2, append(1));
  ctx->advance(ms(100));
  ctx->deliver(*node, 4, request_vote(7));
  EXPECT_TRUE(ctx->take_sends().empty()) << "dropped unanswered";
  EXPECT_EQ(node->term(), 1u);
  EXPECT_EQ(node->leader(), 2u);
  ctx->advance(ms(50));  // the lease (minimum election timeout) has run out
  EXPECT_EQ(vote_reply(4, request_vote(7)).granted, 1u);
  EXPECT_EQ(node->term(), 7u);
}

TEST_F(RaftNodeTest, Raft_WithoutCheckQuorum_FollowerWithALiveLeaderStillVotes) {
  boot();
  ask(2, append(1));
  ctx->advance(ms(10));
  EXPECT_EQ(vote_reply(4, request_vote(2)).granted, 1u);
  EXPECT_EQ(node->term(), 2u);
}

// --- persist_vote ---

TEST_F(RaftNodeTest, Raft_PersistVote_RestartedNodeRemembersItsTermAndVote) {
  boot();
  EXPECT_EQ(vote_reply(1, request_vote(3)).granted, 1u);
  reboot();
  EXPECT_EQ(node->term(), 3u);
  EXPECT_EQ(node->voted_for(), 1u);
  EXPECT_EQ(vote_reply(2, request_vote(3)).granted, 0u) << "it voted in term 3 already";
}

TEST_F(RaftNodeTest, Raft_PersistVoteFalse_RestartedNodeVotesTwiceInOneTerm) {
  Config c = default_config();
  c.persist_vote = false;
  boot(c);
  EXPECT_EQ(vote_reply(1, request_vote(3)).granted, 1u);
  EXPECT_FALSE(store.contains(std::string(kTermKey)));
  EXPECT_FALSE(store.contains(std::string(kVotedForKey)));
  reboot(c);
  EXPECT_EQ(node->term(), 0u);
  EXPECT_EQ(node->voted_for(), sim::kNoNode);
  EXPECT_EQ(vote_reply(2, request_vote(3)).granted, 1u) << "the classic bug: a second vote";
}

// Delegates to a FakeContext and records, at each send, what durable storage held then.
class StoreAtSend final : public sim::Context {
 public:
  explicit StoreAtSend(FakeContext& inner) : inner_(inner) {}
  sim::NodeIndex self() const override { return inner_.self(); }
  const sim::Directory& directory() const override { return inner_.directory(); }
  sim::LocalTime now(sim::ClockKind c) const override { return inner_.now(c); }
  void send(sim::NodeIndex to, const sim::Message& m) override {
    const sim::DurableStore& s = inner_.durable();
    at_send.emplace_back(s.get(std::string(kTermKey), -9), s.get(std::string(kVotedForKey), -9));
    inner_.send(to, m);
  }
  void set_timer(sim::TimerSlot slot, sim::Duration after) override {
    inner_.set_timer(slot, after);
  }
  void cancel_timer(sim::TimerSlot slot) override { inner_.cancel_timer(slot); }
  sim::DurableStore& durable() override { return inner_.durable(); }
  sim::Rng& rng() override { return inner_.rng(); }
  const sim::Vocabulary& vocabulary() const override { return inner_.vocabulary(); }
  sim::Payload payload(std::span<const std::byte> b) override { return inner_.payload(b); }
  void observe(sim::Kind k, std::initializer_list<sim::Field> f, std::string_view t) override {
    inner_.observe(k, f, t);
  }
  std::vector<std::pair<int64_t, int64_t>> at_send;  // (term, voted_for)

 private:
  FakeContext& inner_;
};

TEST_F(RaftNodeTest, Raft_PersistVote_TermAndVoteAreDurableBeforeAnyReplyLeaves) {
  boot();
  StoreAtSend probe(*ctx);
  node->on_message(probe, 2, request_vote(4));
  ASSERT_EQ(probe.at_send.size(), 1u);
  EXPECT_EQ(probe.at_send[0], std::make_pair(int64_t{4}, int64_t{2}));
  node->on_timer(probe, kElection);  // campaigns in term 5
  ASSERT_EQ(probe.at_send.size(), 5u);
  for (size_t i = 1; i < 5; ++i) {
    EXPECT_EQ(probe.at_send[i], std::make_pair(int64_t{5}, int64_t{0}));
  }
  node->on_message(probe, 3, request_vote(6, 0));  // refused for no reason but the term
  node->on_message(probe, 1, request_vote(7, 0));
  EXPECT_EQ(probe.at_send.back(), std::make_pair(int64_t{7}, int64_t{1}));
}

// --- a cluster over an instant in-test network ---

// N nodes on FakeContexts whose clocks move together. Messages are delivered at once, in send
// order, unless a cut link drops them; timers fire in due order (ties by node index).
class Cluster {
 public:
  Cluster(size_t n, const Config& config, uint64_t seed = 1)
      : stores_(n), cut_(n, std::vector<bool>(n)) {
    for (sim::NodeIndex i = 0; i < n; ++i) {
      ctx.push_back(std::make_unique<FakeContext>(nodes(n), i, &stores_[i], seed * 100 + i));
      node.push_back(std::make_unique<Node>(config));
      node[i]->on_start(*ctx[i]);
    }
  }

  void isolate(sim::NodeIndex a, bool on) {
    for (sim::NodeIndex b = 0; b < size(); ++b) {
      if (b != a) cut_[a][b] = cut_[b][a] = on;
    }
  }
  size_t size() const { return node.size(); }

  void run_for(sim::Duration d) {
    const sim::LocalTime until = ctx[0]->mono() + d;
    for (int guard = 0; guard < 100'000; ++guard) {
      auto next = earliest();
      if (!next || next->first > until) break;
      advance_all(next->first);
      ctx[next->second.first]->fire(*node[next->second.first], next->second.second);
      settle();
    }
    advance_all(until);
  }

  std::vector<sim::NodeIndex> leaders() const {
    std::vector<sim::NodeIndex> out;
    for (sim::NodeIndex i = 0; i < size(); ++i) {
      if (node[i]->role() == Role::leader) out.push_back(i);
    }
    return out;
  }
  size_t count(sim::NodeIndex i, sim::Kind kind) const { return ctx[i]->count(kind); }

  std::vector<std::unique_ptr<FakeContext>> ctx;
  std::vector<std::unique_ptr<Node>> node;

 private:
  using Due = std::pair<sim::LocalTime, std::pair<sim::NodeIndex, sim::TimerSlot>>;
  std::optional<Due> earliest() const {
    std::optional<Due> best;
    for (sim::NodeIndex i = 0; i < size(); ++i) {
      for (sim::TimerSlot slot : {kElection, kHeartbeat}) {
        const auto due = ctx[i]->due(slot);
        if (due && (!best || *due < best->first)) best = Due{*due, {i, slot}};
      }
    }
    return best;
  }
  void advance_all(sim::LocalTime t) {
    for (auto& c : ctx) {
      if (t > c->mono()) c->advance(t - c->mono());
    }
  }
  void settle() {
    for (int guard = 0; guard < 10'000; ++guard) {
      bool any = false;
      for (sim::NodeIndex from = 0; from < size(); ++from) {
        for (const Sent& s : ctx[from]->take_sends()) {
          any = true;
          if (!cut_[from][s.to]) ctx[s.to]->deliver(*node[s.to], from, s.message);
        }
      }
      if (!any) return;
    }
    FAIL() << "messages never settled";
  }

  std::vector<sim::DurableStore> stores_;
  std::vector<std::vector<bool>> cut_;
};

TEST(RaftCluster, Raft_Cluster_ElectsExactlyOneLeaderAndKeepsIt) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Cluster c(5, default_config(), seed);
    c.run_for(ms(400));
    ASSERT_EQ(c.leaders().size(), 1u) << "seed " << seed;
    const sim::NodeIndex leader = c.leaders()[0];
    const uint64_t term = c.node[leader]->term();
    c.run_for(sim::Duration::seconds(5));
    EXPECT_EQ(c.leaders(), std::vector<sim::NodeIndex>{leader}) << "seed " << seed;
    EXPECT_EQ(c.node[leader]->term(), term) << "heartbeats keep every follower quiet";
    EXPECT_GE(c.count(leader, obs::leader_confirmed), 100u);
  }
}

TEST(RaftCluster, Raft_Cluster_IneligibleNodesNeverLead) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Config c = default_config();
    Cluster cluster(5, c, seed);
    // Nodes 0 and 1 have shorter logs than the other three.
    for (sim::NodeIndex i = 0; i < 5; ++i) {
      Config own = c;
      own.log_length = i < 2 ? 1 : 4;
      cluster.node[i] = std::make_unique<Node>(own);
      cluster.node[i]->on_start(*cluster.ctx[i]);
    }
    cluster.run_for(sim::Duration::seconds(3));
    const auto leaders = cluster.leaders();
    ASSERT_EQ(leaders.size(), 1u) << "seed " << seed;
    EXPECT_GE(leaders[0], 2u) << "seed " << seed;
  }
}

// A follower cut off from everyone campaigns on its own. Without PreVote its term climbs, and
// when it rejoins, that term deposes the leader the majority was following.
TEST(RaftCluster, Raft_Cluster_RejoiningNodeWithoutPreVoteDeposesTheLeader) {
  Cluster c(5, default_config(), 3);
  c.run_for(ms(400));
  ASSERT_EQ(c.leaders().size(), 1u);
  const sim::NodeIndex leader = c.leaders()[0];
  const sim::NodeIndex loner = (leader + 1) % 5;
  c.isolate(loner, true);
  c.run_for(sim::Duration::seconds(2));
  EXPECT_GT(c.node[loner]->term(), c.node[leader]->term() + 3);
  c.isolate(loner, false);
  c.run_for(ms(100));
  EXPECT_EQ(c.count(leader, obs::leader_stepped_down), 1u);
  EXPECT_EQ(c.ctx[leader]->last(obs::leader_stepped_down)->text, "higher_term");
}

TEST(RaftCluster, Raft_Cluster_RejoiningNodeWithPreVoteDoesNotDisrupt) {
  Cluster c(5, with_prevote(), 3);
  c.run_for(ms(600));
  ASSERT_EQ(c.leaders().size(), 1u);
  const sim::NodeIndex leader = c.leaders()[0];
  const uint64_t term = c.node[leader]->term();
  const sim::NodeIndex loner = (leader + 1) % 5;
  c.isolate(loner, true);
  c.run_for(sim::Duration::seconds(2));
  EXPECT_GT(c.count(loner, obs::election_started), 3u) << "it keeps trying";
  EXPECT_EQ(c.node[loner]->term(), term) << "but PreVote rounds move no term";
  c.isolate(loner, false);
  c.run_for(sim::Duration::seconds(2));
  EXPECT_EQ(c.leaders(), std::vector<sim::NodeIndex>{leader});
  EXPECT_EQ(c.count(leader, obs::leader_stepped_down), 0u);
  EXPECT_EQ(c.node[leader]->term(), term);
  EXPECT_EQ(c.node[loner]->leader(), leader) << "it follows the leader again";
}

TEST(RaftCluster, Raft_Cluster_IsolatedLeaderWithCheckQuorumStepsDown) {
  Cluster c(5, with_check_quorum(), 2);
  c.run_for(ms(400));
  ASSERT_EQ(c.leaders().size(), 1u);
  const sim::NodeIndex old = c.leaders()[0];
  c.isolate(old, true);
  c.run_for(sim::Duration::seconds(1));
  EXPECT_NE(c.node[old]->role(), Role::leader) << "alone, it campaigns in vain";
  ASSERT_EQ(c.count(old, obs::leader_stepped_down), 1u);
  EXPECT_EQ(c.ctx[old]->last(obs::leader_stepped_down)->text, "check_quorum");
  const auto leaders = c.leaders();
  ASSERT_EQ(leaders.size(), 1u) << "the majority elected a new leader";
  EXPECT_NE(leaders[0], old);
}

// --- messages, config, registration ---

std::vector<sim::Message> one_of_each() {
  constexpr uint64_t big = 0x0123456789abcdefull;
  return {
      make_message(MsgType::request_vote, RequestVote{big, 7, 5, 1}),
      make_message(MsgType::vote, Vote{UINT64_MAX, 1, 0}),
      make_message(MsgType::append_entries, AppendEntries{3, big, 4, 2, 1}),
      make_message(MsgType::append_response, AppendResponse{big, 0, 9, 1, 3}),
  };
}

TEST(RaftMessages, Raft_EncodeDecode_RoundTripsEveryType) {
  const auto messages = one_of_each();
  ASSERT_EQ(messages.size(), kMsgTypeCount);
  ASSERT_EQ(message_names().size(), kMsgTypeCount);
  for (const sim::Message& m : messages) {
    const auto decoded = decode(encode(m));
    ASSERT_TRUE(decoded.has_value()) << message_names()[m.type];
    EXPECT_EQ(decoded->type, m.type);
    EXPECT_EQ(decoded->size, m.size);
    EXPECT_EQ(decoded->body, m.body) << message_names()[m.type];
    EXPECT_EQ(term_of(*decoded), term_of(m));
  }
}

TEST(RaftMessages, Raft_Encode_IsTypeByteThenLittleEndianFields) {
  const auto bytes = encode(make_message(MsgType::vote, Vote{0x0102030405060708ull, 1, 0}));
  ASSERT_EQ(bytes.size(), 25u);
  EXPECT_EQ(bytes[0], std::byte{1});
  EXPECT_EQ(bytes[1], std::byte{0x08});
  EXPECT_EQ(bytes[8], std::byte{0x01});
  EXPECT_EQ(bytes[9], std::byte{1});
  EXPECT_EQ(bytes[17], std::byte{0});
}

TEST(RaftMessages, Raft_Decode_RejectsTruncatedPaddedOrUnknownInput) {
  for (const sim::Message& m : one_of_each()) {
    const auto bytes = encode(m);
    for (size_t len = 0; len < bytes.size(); ++len) {
      EXPECT_FALSE(decode(std::span(bytes).first(len)).has_value())
          << message_names()[m.type] << " cut to " << len;
    }
    auto longer = bytes;
    longer.push_back(std::byte{0});
    EXPECT_FALSE(decode(longer).has_value()) << message_names()[m.type];
  }
  auto bytes = encode(make_message(MsgType::append_entries, AppendEntries{1, 2, 0, 0, 0}));
  for (int type : {4, 5, 0x7f, 0xff}) {
    bytes[0] = static_cast<std::byte>(type);
    EXPECT_FALSE(decode(bytes).has_value()) << type;
  }
}

TEST(RaftMessages, Raft_Decode_RejectsBooleansOtherThanZeroOrOne) {
  auto rv = encode(make_message(MsgType::request_vote, RequestVote{1, 2, 1, 1}));
  rv[25] = std::byte{2};  // prevote
  EXPECT_FALSE(decode(rv).has_value());
  auto v = encode(make_message(MsgType::vote, Vote{1, 1, 0}));
  v[16] = std::byte{1};  // granted's high byte
  EXPECT_FALSE(decode(v).has_value());
  auto r = encode(make_message(MsgType::append_response, AppendResponse{1, 0, 2, 0, 0}));
  r[9] = std::byte{0xff};  // success
  EXPECT_FALSE(decode(r).has_value());
  r[9] = std::byte{1};
  EXPECT_TRUE(decode(r).has_value());
}

sim::Params default_params() {
  sim::Params p;
  p.set("election_timeout", sim::DurationRange{ms(150), ms(300)});
  p.set("heartbeat", ms(50));
  p.set("prevote", false);
  p.set("check_quorum", false);
  p.set("persist_vote", true);
  p.set("ack_before_fsync", false);
  p.set("log_length", int64_t{0});
  p.set("replicate", false);
  p.set("propose_every", sim::Duration::zero());
  p.set("reset_timer_on_higher_term", true);
  return p;
}

TEST(RaftSpec, Raft_Spec_DeclaresNodeRoleLeaderTargetAndDefaults) {
  const sim::ProtocolSpec s = spec();
  EXPECT_EQ(s.name, "raft");
  ASSERT_EQ(s.roles.size(), 1u);
  EXPECT_EQ(s.roles[0].name, "node");
  ASSERT_EQ(s.claims.size(), 1u);
  EXPECT_EQ(s.claims[0].role, "leader");
  EXPECT_EQ(s.messages, (std::vector<std::string_view>{"request_vote", "vote", "append_entries",
                                                       "append_response"}));
  std::vector<std::pair<std::string_view, std::string_view>> defaults;
  for (const auto& p : s.params) {
    defaults.emplace_back(p.name, p.default_yaml);
    EXPECT_FALSE(p.meaning.empty()) << p.name;
  }
  EXPECT_EQ(defaults, (std::vector<std::pair<std::string_view, std::string_view>>{
                          {"election_timeout", "[150ms, 300ms]"},
                          {"heartbeat", "50ms"},
                          {"prevote", "false"},
                          {"check_quorum", "false"},
                          {"persist_vote", "true"},
                          {"ack_before_fsync", "false"},
                          {"log_length", "0"},
                          {"replicate", "false"},
                          {"propose_every", "0s"},
                          {"reset_timer_on_higher_term", "true"},
                      }));
  const Config c = Config::from(default_params());
  EXPECT_EQ(c.election_timeout.min, ms(150));
  EXPECT_EQ(c.election_timeout.max, ms(300));
  EXPECT_TRUE(c.persist_vote);
}

TEST(RaftSpec, Raft_Make_RejectsUnknownRolesAndUnusableParams) {
  const sim::Directory dir(nodes(3));
  sim::Params p = default_params();
  EXPECT_NE(make({1, dir[1], dir, p, sim::Params{}}), nullptr);
  const sim::NodeInfo stranger{"x", "leader"};
  EXPECT_THROW(make({0, stranger, dir, p, sim::Params{}}), std::invalid_argument);
  p.set("heartbeat", sim::Duration::zero());
  EXPECT_THROW(Config::from(p), std::invalid_argument);
  p = default_params();
  p.set("election_timeout", sim::DurationRange{sim::Duration::zero(), ms(10)});
  EXPECT_THROW(Config::from(p), std::invalid_argument);
  p = default_params();
  p.set("log_length", int64_t{-1});
  EXPECT_THROW(Config::from(p), std::invalid_argument);
}

}  // namespace
}  // namespace lockstep::protocols::raft
