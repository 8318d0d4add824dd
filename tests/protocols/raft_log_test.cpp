// Unit tests of Raft's replicated log: the Log type on its own (consistency check, conflict
// truncation, the up-to-date rule), the AppendEntries payload on the wire, and one node driven by
// hand through a FakeContext for the commit rule, persistence and the election timer knob. Each
// test names the rule of the Raft paper it checks.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "protocols/raft/raft.hpp"
#include "tests/protocols/fake_context.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::protocols::raft {
namespace {

using testing::FakeContext;
using testing::Sent;

constexpr sim::TimerSlot kElection = static_cast<sim::TimerSlot>(NodeTimer::election);

sim::Duration ms(int64_t v) { return sim::Duration::millis(v); }

Entry entry(uint64_t term, uint64_t id) { return Entry{term, id, 1, {0, 0, 0}}; }

Log log_of(std::vector<uint64_t> terms) {
  Log log;
  uint64_t id = 0;
  for (uint64_t t : terms) log.append(entry(t, ++id));
  return log;
}

std::vector<uint64_t> terms_of(const Log& log) {
  std::vector<uint64_t> out;
  for (uint64_t i = 1; i <= log.last_index(); ++i) out.push_back(log.at(i).term);
  return out;
}

// --- Log ---

TEST(RaftLog, Raft_Log_ConsistencyCheckNeedsTheEntryAtPrevIndexWithPrevTerm) {  // Fig. 2 rule 2
  const Log log = log_of({1, 1, 2});
  EXPECT_TRUE(log.matches(0, 0)) << "the empty prefix always matches";
  EXPECT_TRUE(log.matches(3, 2));
  EXPECT_FALSE(log.matches(3, 1)) << "same index, other term";
  EXPECT_FALSE(log.matches(4, 2)) << "beyond the end";
}

TEST(RaftLog, Raft_Log_ConflictTruncatesTheEntryAndAllThatFollow) {  // §5.3, Fig. 2 rule 3
  Log log = log_of({1, 1, 2, 2, 2});
  const std::vector<Entry> incoming = {entry(1, 20), entry(3, 21)};
  const uint64_t changed = log.merge(1, incoming);
  EXPECT_EQ(changed, 3u);
  EXPECT_EQ(terms_of(log), (std::vector<uint64_t>{1, 1, 3}));
  EXPECT_EQ(log.at(3).id, 21u);
}

TEST(RaftLog, Raft_Log_StaleShorterAppendKeepsLaterEntries) {  // §5.3: only conflicts truncate
  Log log = log_of({1, 1, 1, 1});
  const std::vector<Entry> incoming = {entry(1, 2)};
  const uint64_t changed = log.merge(1, incoming);
  EXPECT_EQ(changed, 5u) << "nothing changed";
  EXPECT_EQ(log.last_index(), 4u);
}

TEST(RaftLog, Raft_UpToDate_ComparesLastTermThenIndex) {  // §5.4.1
  EXPECT_TRUE(at_least_as_up_to_date({3, 1}, {2, 9})) << "a later last term wins, shorter or not";
  EXPECT_FALSE(at_least_as_up_to_date({2, 9}, {3, 1}));
  EXPECT_TRUE(at_least_as_up_to_date({2, 5}, {2, 5})) << "equal logs are up to date";
  EXPECT_FALSE(at_least_as_up_to_date({2, 4}, {2, 5})) << "same term: the longer log wins";
}

TEST(RaftLog, Raft_AppendEntries_PayloadRoundTripsOnTheWire) {
  FakeContext ctx({{"n1", "node"}, {"n2", "node"}}, 0);
  const std::vector<Entry> entries = {entry(2, 7), Entry{3, 8, 4, {1, 2, 3}}};
  sim::Message m = make_message(MsgType::append_entries, AppendEntries{3, 1, 4, 2, 4});
  m.payload = ctx.payload_of(std::span<const Entry>(entries));
  const std::vector<std::byte> bytes = encode(m);
  EXPECT_EQ(bytes.size(), 1 + 5 * 8 + 4 + 2 * sizeof(Entry));
  EXPECT_FALSE(decode(bytes).has_value()) << "the header-only decoder refuses a payload";
  const auto view = decode_view(bytes);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->header.body, m.body);
  ASSERT_EQ(view->payload.size(), 2 * sizeof(Entry));
  EXPECT_EQ(std::memcmp(view->payload.data(), entries.data(), view->payload.size()), 0);
  std::vector<std::byte> ragged = bytes;
  ragged.pop_back();
  ragged[1 + 5 * 8] = std::byte{2 * sizeof(Entry) - 1};  // a length that is not whole entries
  EXPECT_FALSE(decode_view(ragged).has_value());
}

// --- one node ---

std::vector<sim::NodeInfo> five() {
  std::vector<sim::NodeInfo> out;
  for (int i = 1; i <= 5; ++i) out.push_back({"n" + std::to_string(i), "node"});
  return out;
}

Config log_config() {
  Config c;
  c.election_timeout = {ms(150), ms(300)};
  c.heartbeat = ms(50);
  c.replicate = true;
  return c;
}

class RaftLogNodeTest : public ::testing::Test {
 protected:
  void boot(Config config = log_config()) {
    ctx = std::make_unique<FakeContext>(five(), 0, &store, 1);
    node = std::make_unique<Node>(config);
    node->on_start(*ctx);
  }
  void preload(std::vector<uint64_t> terms) {
    uint64_t id = 100;
    for (uint64_t t : terms) {
      const Entry e = entry(t, ++id);
      store.append(kLogName, std::as_bytes(std::span<const Entry>(&e, 1)));
    }
    store.put(kTermKey, static_cast<int64_t>(terms.empty() ? 0 : terms.back()));
  }
  void win() {
    ctx->fire(*node, kElection);
    for (sim::NodeIndex v : {1u, 2u}) {
      ctx->deliver(*node, v, make_message(MsgType::vote, Vote{node->term(), 1, 0}));
    }
    ASSERT_EQ(node->role(), Role::leader);
    ctx->take_sends();
  }
  void ack(sim::NodeIndex from, uint64_t match) {
    ctx->deliver(
        *node, from,
        make_message(MsgType::append_response, AppendResponse{node->term(), 1, 1, 0, match}));
  }
  size_t applied() const { return ctx->count(::lockstep::testing::kind_named("log.applied")); }

  sim::DurableStore store;
  std::unique_ptr<FakeContext> ctx;
  std::unique_ptr<Node> node;
};

TEST_F(RaftLogNodeTest, Raft_Vote_RefusedToCandidateWithOlderLastTerm) {  // §5.4.1
  preload({1, 2});
  boot();
  ctx->deliver(*node, 1,
               make_message(MsgType::request_vote, RequestVote{3, 5, 1, 0}));  // longer, older
  auto sent = ctx->take_sends();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message.as<Vote>().granted, 0u);
  ctx->deliver(*node, 2, make_message(MsgType::request_vote, RequestVote{3, 2, 2, 0}));
  sent = ctx->take_sends();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message.as<Vote>().granted, 1u);
}

TEST_F(RaftLogNodeTest, Raft_Commit_OlderTermEntryOnlyWithACurrentTermEntry) {  // §5.4.2, Fig. 8
  preload({1});
  boot();
  win();  // term 2; the no-op of term 2 is index 2
  ASSERT_EQ(node->log().last_index(), 2u);
  ack(1, 1);
  ack(2, 1);
  EXPECT_EQ(node->commit_index(), 0u) << "a majority stores index 1, but it is of term 1";
  EXPECT_EQ(applied(), 0u);
  ack(1, 2);
  EXPECT_EQ(node->commit_index(), 0u) << "two of five";
  ack(2, 2);
  EXPECT_EQ(node->commit_index(), 2u) << "the current term's entry commits, and the older with it";
  EXPECT_EQ(applied(), 2u);
}

TEST_F(RaftLogNodeTest, Raft_Follower_PersistsEntriesAndTruncatesConflictsOnDisk) {  // §5.3
  preload({1, 1, 1});
  boot();
  const std::vector<Entry> incoming = {entry(2, 50)};
  sim::Message m = make_message(MsgType::append_entries, AppendEntries{2, 1, 1, 1, 0});
  m.payload = ctx->payload_of(std::span<const Entry>(incoming));
  ctx->deliver(*node, 3, m);
  const auto sent = ctx->take_sends();
  ASSERT_EQ(sent.size(), 1u);
  const auto r = sent[0].message.as<AppendResponse>();
  EXPECT_EQ(r.mismatch, 0u);
  EXPECT_EQ(r.match, 2u);
  ASSERT_EQ(store.log_size(kLogName), 2u) << "the conflicting suffix is gone from the disk too";
  node = std::make_unique<Node>(log_config());
  node->on_start(*ctx);
  EXPECT_EQ(node->log().last_index(), 2u) << "a restart reads the log back";
  EXPECT_EQ(node->log().at(2).id, 50u);
}

TEST_F(RaftLogNodeTest, Raft_Follower_MismatchAnswersWithItsLastIndexAsHint) {  // §5.3
  preload({1});
  boot();
  ctx->deliver(*node, 3, make_message(MsgType::append_entries, AppendEntries{1, 1, 7, 1, 0}));
  const auto sent = ctx->take_sends();
  ASSERT_EQ(sent.size(), 1u);
  const auto r = sent[0].message.as<AppendResponse>();
  EXPECT_EQ(r.success, 1u) << "still accepted as leader";
  EXPECT_EQ(r.mismatch, 1u);
  EXPECT_EQ(r.match, 1u);
}

// etcd resets the election timer when a RequestVote moves it to a higher term; the paper's
// rules do not (only a granted vote or a current leader's AppendEntries reset it, §5.2).
TEST_F(RaftLogNodeTest, Raft_HigherTermRefusedVote_ResetsTimerOnlyWhenConfigured) {
  for (bool reset : {true, false}) {
    Config c = log_config();
    c.reset_timer_on_higher_term = reset;
    store = sim::DurableStore{};
    preload({1, 1});
    boot(c);
    const auto before = ctx->due(kElection);
    ctx->advance(ms(100));
    ctx->deliver(*node, 1, make_message(MsgType::request_vote, RequestVote{5, 1, 1, 0}));
    EXPECT_EQ(node->term(), 5u);
    ASSERT_EQ(ctx->take_sends()[0].message.as<Vote>().granted, 0u);
    if (reset) {
      EXPECT_NE(ctx->due(kElection), before) << "reset";
    } else {
      EXPECT_EQ(ctx->due(kElection), before) << "left running";
    }
  }
}

}  // namespace
}  // namespace lockstep::protocols::raft
