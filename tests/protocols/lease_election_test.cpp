// Unit tests of lease election: the store's compare-and-swap, the candidates' client-go rules
// (expiry judged only on their own monotonic clock from when they saw the record change,
// renewal, the renew deadline), fencing tokens, the resource, and the wire form.
#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "protocols/lease_election/candidate.hpp"
#include "protocols/lease_election/lease_election.hpp"
#include "protocols/lease_election/store.hpp"
#include "tests/protocols/fake_context.hpp"
#include "tests/support/vocabulary.hpp"

namespace lockstep::protocols::lease_election {
namespace obs = ::lockstep::testing::obs;
namespace fld = ::lockstep::testing::fld;
namespace {

using testing::FakeContext;
using testing::Sent;

sim::Duration ms(int64_t v) { return sim::Duration::millis(v); }
sim::Duration sec(int64_t v) { return sim::Duration::seconds(v); }
sim::LocalTime at(sim::Duration d) { return sim::LocalTime{d.ns}; }

constexpr sim::NodeIndex kStore = 0;
constexpr sim::NodeIndex kC1 = 1;
constexpr sim::NodeIndex kC2 = 2;
constexpr sim::NodeIndex kResource = 3;

constexpr sim::TimerSlot kTick = static_cast<sim::TimerSlot>(CandidateTimer::tick);
constexpr sim::TimerSlot kDeadline = static_cast<sim::TimerSlot>(CandidateTimer::renew_deadline);
constexpr sim::TimerSlot kWrite = static_cast<sim::TimerSlot>(CandidateTimer::write);

std::vector<sim::NodeInfo> nodes() {
  return {{"store", "store"}, {"c1", "candidate"}, {"c2", "candidate"}, {"res", "resource"}};
}

// The defaults as param_specs() declares them: 15s lease, 10s renew deadline, 2s retry period.
sim::Params default_params(bool fencing = false) {
  sim::Params p;
  p.set("lease_duration", sec(15));
  p.set("renew_deadline", sec(10));
  p.set("retry_period", sec(2));
  p.set("fencing", fencing);
  return p;
}

Config config() { return Config::from(default_params()); }

Workload workload() {
  sim::Params w;
  w.set("write_every", ms(500));
  return Workload::from(w);
}

template <class T>
sim::Message msg(MsgType type, const T& body) {
  return make_message(type, body);
}

template <class T>
T body_of(const Sent& sent, MsgType type) {
  if (sent.message.type != static_cast<uint16_t>(type)) {
    ADD_FAILURE() << "expected " << message_names()[static_cast<size_t>(type)] << ", got "
                  << (sent.message.type < kMsgTypeCount ? message_names()[sent.message.type]
                                                        : std::string_view("?"));
    return T{};
  }
  return sent.message.as<T>();
}

Record held_by(sim::NodeIndex holder, uint64_t transitions, int64_t renew_time_ns = 0) {
  return Record{holder, transitions, sec(15).ns, renew_time_ns};
}

// Candidate c1 with its context; helpers answer its requests as a store would.
struct CandidateFixture {
  CandidateFixture() : ctx(nodes(), kC1), candidate(config(), workload(), kStore, kResource) {}

  // The one request the last step sent, which must go to the store.
  Sent request() {
    auto sends = ctx.take_sends();
    std::vector<Sent> to_store;
    for (const Sent& s : sends) {
      if (s.to == kStore) to_store.push_back(s);
    }
    EXPECT_EQ(to_store.size(), 1u);
    return to_store.empty() ? Sent{kStore, {}} : to_store.back();
  }
  // Answers a pending Get with `version` and `record`.
  void reply_to_get(uint64_t version, const Record& record) {
    const Get get = body_of<Get>(request(), MsgType::get);
    ctx.deliver(candidate, kStore, msg(MsgType::get_reply, GetReply{get.req, version, record}));
  }
  // Boots the candidate at mono 0 and makes it leader of `term` (taking the record at
  // `version`).
  void become_leader(uint64_t term = 1, uint64_t version = 0) {
    candidate.on_start(ctx);
    // An unheld record (never written, or let go): taken at once, as a new transition.
    reply_to_get(version, Record{kNoHolder, term - 1, 0, 0});
    const Sent s = request();
    const Update u = body_of<Update>(s, MsgType::update);
    ctx.deliver(candidate, kStore, msg(MsgType::update_ok, UpdateOk{u.req, version + 1}));
    ASSERT_TRUE(candidate.leading());
    ctx.take_sends();
  }

  FakeContext ctx;
  Candidate candidate;
};

// ---------------------------------------------------------------------------------------------
// The store

struct StoreFixture {
  explicit StoreFixture(sim::DurableStore* durable = nullptr) : ctx(nodes(), kStore, durable) {
    store.on_start(ctx);
  }
  Sent ask(sim::NodeIndex from, const sim::Message& m) {
    ctx.deliver(store, from, m);
    auto sends = ctx.take_sends();
    EXPECT_EQ(sends.size(), 1u);
    EXPECT_EQ(sends.empty() ? sim::kNoNode : sends[0].to, from) << "replies go to the asker";
    return sends.empty() ? Sent{} : sends[0];
  }

  FakeContext ctx;
  Store store;
};

TEST(LeaseElectionStore, LeaseElection_Store_StartsWithTheEmptyRecordAtVersionZero) {
  StoreFixture f;
  const GetReply r = body_of<GetReply>(f.ask(kC1, msg(MsgType::get, Get{9})), MsgType::get_reply);
  EXPECT_EQ(r.req, 9u);
  EXPECT_EQ(r.version, 0u);
  EXPECT_EQ(r.record.holder, kNoHolder);
  EXPECT_EQ(r.record.transitions, 0u);
}

TEST(LeaseElectionStore, LeaseElection_Store_UpdateOnTheCurrentVersionAppliesAndBumpsIt) {
  StoreFixture f;
  const Record mine = held_by(kC1, 1, 12345);
  const UpdateOk ok =
      body_of<UpdateOk>(f.ask(kC1, msg(MsgType::update, Update{3, 0, mine})), MsgType::update_ok);
  EXPECT_EQ(ok.req, 3u);
  EXPECT_EQ(ok.version, 1u);
  EXPECT_EQ(f.store.version(), 1u);
  EXPECT_EQ(f.store.record(), mine);
  const GetReply r = body_of<GetReply>(f.ask(kC2, msg(MsgType::get, Get{1})), MsgType::get_reply);
  EXPECT_EQ(r.version, 1u);
  EXPECT_EQ(r.record, mine);
}

TEST(LeaseElectionStore, LeaseElection_Store_UpdateOnAStaleVersionConflictsWithTheCurrentRecord) {
  StoreFixture f;
  const Record first = held_by(kC1, 1);
  f.ask(kC1, msg(MsgType::update, Update{1, 0, first}));
  // c2 read version 0 too and lost the race.
  const Sent s = f.ask(kC2, msg(MsgType::update, Update{7, 0, held_by(kC2, 1)}));
  const UpdateConflict c = body_of<UpdateConflict>(s, MsgType::update_conflict);
  EXPECT_EQ(c.req, 7u);
  EXPECT_EQ(c.version, 1u);
  EXPECT_EQ(c.record, first);
  EXPECT_EQ(f.store.version(), 1u) << "a refused update changes nothing";
  EXPECT_EQ(f.store.record(), first);
  // A version from the future conflicts as well.
  const Sent future = f.ask(kC2, msg(MsgType::update, Update{8, 5, held_by(kC2, 1)}));
  EXPECT_EQ(future.message.type, static_cast<uint16_t>(MsgType::update_conflict));
}

TEST(LeaseElectionStore, LeaseElection_Store_KeepsTheRecordAcrossItsOwnCrash) {
  sim::DurableStore durable;
  const Record rec = held_by(kC2, 4, -77);
  {
    StoreFixture f(&durable);
    f.ask(kC1, msg(MsgType::update, Update{1, 0, held_by(kC1, 1)}));
    f.ask(kC2, msg(MsgType::update, Update{2, 1, rec}));
  }
  StoreFixture restarted(&durable);
  EXPECT_EQ(restarted.store.version(), 2u);
  EXPECT_EQ(restarted.store.record(), rec);
}

// ---------------------------------------------------------------------------------------------
// Candidates

TEST(LeaseElectionCandidate, LeaseElection_Candidate_AcquiresAnEmptyRecordAtOnceAsTermOne) {
  CandidateFixture f;
  f.candidate.on_start(f.ctx);
  f.reply_to_get(0, Record{kNoHolder, 0, 0, 0});
  const auto* started = f.ctx.last(obs::election_started);
  ASSERT_NE(started, nullptr);
  EXPECT_EQ(started->get(fld::term), 1);
  EXPECT_EQ(started->get(fld::prevote), 0);
  const Update u = body_of<Update>(f.request(), MsgType::update);
  EXPECT_EQ(u.expected_version, 0u);
  EXPECT_EQ(u.record.holder, kC1);
  EXPECT_EQ(u.record.transitions, 1u);
  EXPECT_EQ(u.record.lease_duration_ns, sec(15).ns);
  EXPECT_FALSE(f.candidate.leading()) << "not before the store says so";
  f.ctx.deliver(f.candidate, kStore, msg(MsgType::update_ok, UpdateOk{u.req, 1}));
  EXPECT_TRUE(f.candidate.leading());
  EXPECT_EQ(f.ctx.last(obs::leader_elected)->get(fld::term), 1);
  EXPECT_EQ(f.ctx.count(obs::leader_confirmed), 0u) << "an acquire is not a renewal";
  EXPECT_EQ(f.ctx.due(kWrite), at(sim::Duration::zero()));
  EXPECT_EQ(f.ctx.due(kDeadline), at(sec(10)));
}

// A candidate that keeps reading a record held by c2 (term 3). Runs its ticks until `until`,
// answering every Get with `version_at(now)`, and returns when (on its monotonic clock) it first
// tried to acquire, if it did; the acquiring Update is left in the context's sends.
template <class VersionAt>
std::optional<sim::LocalTime> first_acquire(CandidateFixture& f, sim::LocalTime until,
                                            int64_t renew_time_ns, VersionAt version_at) {
  f.candidate.on_start(f.ctx);
  for (int guard = 0; guard < 1000; ++guard) {
    const Get get = body_of<Get>(f.request(), MsgType::get);
    const GetReply reply{get.req, version_at(f.ctx.mono()), held_by(kC2, 3, renew_time_ns)};
    f.ctx.deliver(f.candidate, kStore, msg(MsgType::get_reply, reply));
    if (!f.ctx.sends.empty()) return f.ctx.mono();  // the reply made it acquire
    if (f.ctx.due(kTick) > until) return std::nullopt;
    f.ctx.fire(f.candidate, kTick);
  }
  ADD_FAILURE() << "ran away";
  return std::nullopt;
}

TEST(LeaseElectionCandidate,
     LeaseElection_Candidate_TakesOverOnlyAfterLeaseDurationWithoutChangeOnItsOwnClock) {
  // Whatever the wall clock says and whatever renew time the holder wrote, a record that stops
  // changing at mono 0 is taken over at the first try after 15s: the try at 16s.
  const int64_t renew_times[] = {0, std::numeric_limits<int64_t>::min(),
                                 std::numeric_limits<int64_t>::max(), -sec(86400).ns};
  const sim::Duration wall_offsets[] = {sim::Duration::zero(), sec(300), -sec(500),
                                        sec(365 * 86400)};
  for (const int64_t renew_time : renew_times) {
    for (const sim::Duration offset : wall_offsets) {
      CandidateFixture f;
      f.ctx.step_wall(offset);
      const auto when =
          first_acquire(f, at(sec(60)), renew_time, [](sim::LocalTime) { return uint64_t{5}; });
      ASSERT_TRUE(when.has_value()) << renew_time << " " << offset.ns;
      EXPECT_EQ(*when, at(sec(16))) << renew_time << " " << offset.ns;
      EXPECT_EQ(f.candidate.observed_at(), at(sim::Duration::zero()));
      // The record it writes carries its own wall clock, for others to ignore.
      const Update u = body_of<Update>(f.request(), MsgType::update);
      EXPECT_EQ(u.record.renew_time_ns, (at(sec(16)) + offset).ns);
    }
  }
}

TEST(LeaseElectionCandidate, LeaseElection_Candidate_ExpiryIsStrictlyAfterLeaseDuration) {
  CandidateFixture f;
  f.candidate.on_start(f.ctx);
  f.reply_to_get(5, held_by(kC2, 3));  // seen at mono 0
  // A try at exactly 15s: 0 + 15s is not before now, so the lease still stands.
  f.ctx.advance(sec(15));
  f.ctx.fire(f.candidate, kTick);
  f.reply_to_get(5, held_by(kC2, 3));
  EXPECT_TRUE(f.ctx.sends.empty());
  EXPECT_EQ(f.ctx.count(obs::election_started), 0u);
  // One nanosecond later it has expired.
  f.ctx.advance(sim::Duration::nanos(1));
  f.ctx.fire(f.candidate, kTick);
  f.reply_to_get(5, held_by(kC2, 3));
  EXPECT_EQ(body_of<Update>(f.request(), MsgType::update).expected_version, 5u);
}

TEST(LeaseElectionCandidate, LeaseElection_Candidate_AnyChangeRestartsTheWait) {
  CandidateFixture f;
  // The holder renews (the version moves) until 8s, then stops: the wait runs from 8s.
  const auto when = first_acquire(f, at(sec(60)), 0, [](sim::LocalTime now) {
    return now <= at(sec(8)) ? static_cast<uint64_t>(10 + now.ns / sec(2).ns) : uint64_t{14};
  });
  ASSERT_TRUE(when.has_value());
  EXPECT_EQ(*when, at(sec(24)));
  EXPECT_EQ(f.candidate.observed_at(), at(sec(8)));
}

TEST(LeaseElectionCandidate, LeaseElection_Candidate_AcquireCasesOnTheVersionItSawAsANewTerm) {
  CandidateFixture f;
  ASSERT_TRUE(first_acquire(f, at(sec(60)), 0, [](sim::LocalTime) { return uint64_t{5}; }));
  const Update u = body_of<Update>(f.request(), MsgType::update);
  EXPECT_EQ(u.expected_version, 5u);
  EXPECT_EQ(u.record.holder, kC1);
  EXPECT_EQ(u.record.transitions, 4u) << "c2 held term 3";
  EXPECT_EQ(f.ctx.last(obs::election_started)->get(fld::term), 4);
}

TEST(LeaseElectionCandidate, LeaseElection_Candidate_LosingTheRaceRestartsTheWait) {
  CandidateFixture f;
  f.candidate.on_start(f.ctx);
  f.reply_to_get(0, Record{kNoHolder, 0, 0, 0});
  const Update u = body_of<Update>(f.request(), MsgType::update);
  EXPECT_EQ(u.expected_version, 0u);
  f.ctx.advance(ms(3));
  f.ctx.deliver(f.candidate, kStore,
                msg(MsgType::update_conflict, UpdateConflict{u.req, 1, held_by(kC2, 1)}));
  EXPECT_FALSE(f.candidate.leading());
  EXPECT_EQ(f.candidate.observed_version(), 1u);
  EXPECT_EQ(f.candidate.observed_at(), at(ms(3)));
  EXPECT_EQ(f.ctx.count(obs::leader_elected), 0u);
}

TEST(LeaseElectionCandidate, LeaseElection_Candidate_ObservesTermChangesOfTheRecord) {
  CandidateFixture f;
  f.candidate.on_start(f.ctx);
  f.reply_to_get(4, held_by(kC2, 3));
  EXPECT_EQ(f.ctx.last(obs::term_changed)->get(fld::term), 3);
  f.ctx.fire(f.candidate, kTick);
  f.reply_to_get(5, held_by(kC2, 3));
  EXPECT_EQ(f.ctx.count(obs::term_changed), 1u) << "a renewal is not a new term";
}

TEST(LeaseElectionCandidate, LeaseElection_Leader_RenewsEveryRetryPeriodAndIsConfirmed) {
  CandidateFixture f;
  f.become_leader(/*term=*/1, /*version=*/0);
  f.ctx.run_until(f.candidate, at(sec(2)) - ms(1));
  f.ctx.take_sends();  // the writes
  f.ctx.run_until(f.candidate, at(sec(2)));
  const Update u = body_of<Update>(f.request(), MsgType::update);
  EXPECT_EQ(u.expected_version, 1u) << "the leader cases on the version it wrote";
  EXPECT_EQ(u.record.holder, kC1);
  EXPECT_EQ(u.record.transitions, 1u) << "renewing is not a transition";
  f.ctx.advance(ms(5));
  f.ctx.deliver(f.candidate, kStore, msg(MsgType::update_ok, UpdateOk{u.req, 2}));
  ASSERT_EQ(f.ctx.count(obs::leader_confirmed), 1u);
  EXPECT_EQ(f.ctx.last(obs::leader_confirmed)->get(fld::term), 1);
  EXPECT_EQ(f.ctx.due(kDeadline), at(sec(12))) << "10s from when the renewal was sent";
}

TEST(LeaseElectionCandidate, LeaseElection_Leader_StopsActingAtRenewDeadlineWithoutSuccess) {
  CandidateFixture f;
  f.become_leader();
  // The store stops answering: renewals go out every 2s, nothing comes back.
  f.ctx.run_until(f.candidate, at(sec(10)) - ms(1));
  EXPECT_TRUE(f.candidate.leading());
  size_t renewals = 0;
  for (const Sent& s : f.ctx.take_sends()) {
    if (s.message.type == static_cast<uint16_t>(MsgType::update)) ++renewals;
  }
  EXPECT_EQ(renewals, 4u) << "at 2, 4, 6 and 8s";
  f.ctx.run_until(f.candidate, at(sec(10)));
  EXPECT_FALSE(f.candidate.leading());
  const auto* down = f.ctx.last(obs::leader_stepped_down);
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(down->text, "renew_deadline");
  EXPECT_EQ(down->get(fld::term), 1);
  EXPECT_FALSE(f.ctx.pending(kWrite)) << "no more writes";
  EXPECT_TRUE(f.ctx.pending(kTick)) << "it keeps trying, as a candidate";
}

TEST(LeaseElectionCandidate, LeaseElection_Leader_ConflictWithAnotherHolderStepsDownAtOnce) {
  CandidateFixture f;
  f.become_leader();
  f.ctx.fire(f.candidate, kTick);
  const Update u = body_of<Update>(f.request(), MsgType::update);
  f.ctx.deliver(f.candidate, kStore,
                msg(MsgType::update_conflict, UpdateConflict{u.req, 3, held_by(kC2, 2)}));
  EXPECT_FALSE(f.candidate.leading());
  EXPECT_EQ(f.ctx.last(obs::leader_stepped_down)->text, "lease_lost");
}

TEST(LeaseElectionCandidate, LeaseElection_Leader_ConflictWithItsOwnRecordKeepsLeading) {
  CandidateFixture f;
  f.become_leader();
  f.ctx.fire(f.candidate, kTick);
  const Update u = body_of<Update>(f.request(), MsgType::update);
  // An earlier renewal whose answer was lost moved the version to 2.
  f.ctx.deliver(f.candidate, kStore,
                msg(MsgType::update_conflict, UpdateConflict{u.req, 2, held_by(kC1, 1)}));
  EXPECT_TRUE(f.candidate.leading());
  f.ctx.fire(f.candidate, kTick);
  EXPECT_EQ(body_of<Update>(f.request(), MsgType::update).expected_version, 2u);
  EXPECT_EQ(f.ctx.count(obs::leader_confirmed), 0u) << "an unanswered renewal earns nothing";
}

TEST(LeaseElectionCandidate, LeaseElection_Candidate_IgnoresLateRepliesToAbandonedRequests) {
  CandidateFixture f;
  f.candidate.on_start(f.ctx);
  const Get first = body_of<Get>(f.request(), MsgType::get);
  f.ctx.fire(f.candidate, kTick);  // the first Get went unanswered; a new one supersedes it
  f.ctx.deliver(f.candidate, kStore,
                msg(MsgType::get_reply, GetReply{first.req, 0, Record{kNoHolder, 0, 0, 0}}));
  EXPECT_EQ(f.ctx.count(obs::election_started), 0u);
  EXPECT_EQ(f.request().message.type, static_cast<uint16_t>(MsgType::get));
}

TEST(LeaseElectionCandidate, LeaseElection_Leader_WritesWithItsTermAsTheFencingToken) {
  CandidateFixture f;
  f.become_leader(/*term=*/7, /*version=*/12);
  EXPECT_EQ(f.candidate.term(), 7u);
  f.ctx.run_until(f.candidate, at(ms(1000)));
  std::vector<uint64_t> seqs;
  for (const Sent& s : f.ctx.take_sends()) {
    if (s.to != kResource) continue;
    const Write w = body_of<Write>(s, MsgType::write);
    EXPECT_EQ(w.token, 7u);
    seqs.push_back(w.seq);
  }
  EXPECT_EQ(seqs, (std::vector<uint64_t>{1, 2, 3})) << "at 0, 500 and 1000ms";
}

TEST(LeaseElectionCandidate, LeaseElection_Candidate_RetakesARecordThatStillNamesItUnderItsTerm) {
  CandidateFixture f;
  f.become_leader(/*term=*/3, /*version=*/8);
  f.ctx.run_until(f.candidate, at(sec(10)));
  ASSERT_FALSE(f.candidate.leading());
  f.ctx.take_sends();
  // Nobody took over: the record still names c1, so it may take it back at once, same term.
  f.ctx.fire(f.candidate, kTick);
  f.reply_to_get(9, held_by(kC1, 3));
  const Update u = body_of<Update>(f.request(), MsgType::update);
  EXPECT_EQ(u.expected_version, 9u);
  EXPECT_EQ(u.record.transitions, 3u);
  EXPECT_EQ(f.ctx.last(obs::election_started)->get(fld::term), 3);
}

TEST(LeaseElectionCandidate, LeaseElection_Candidate_WithoutAResourceWritesNothing) {
  FakeContext ctx({{"store", "store"}, {"c1", "candidate"}}, 1);
  Candidate c(config(), workload(), 0, sim::kNoNode);
  c.on_start(ctx);
  const Get get = ctx.take_sends().at(0).message.as<Get>();
  ctx.deliver(c, 0, msg(MsgType::get_reply, GetReply{get.req, 0, Record{kNoHolder, 0, 0, 0}}));
  const Update u = ctx.take_sends().at(0).message.as<Update>();
  ctx.deliver(c, 0, msg(MsgType::update_ok, UpdateOk{u.req, 1}));
  EXPECT_TRUE(c.leading());
  EXPECT_FALSE(ctx.pending(kWrite));
}

// ---------------------------------------------------------------------------------------------
// Config, make, wire form

TEST(LeaseElectionConfig, LeaseElection_Config_RefusesWhatClientGoRefuses) {
  for (const std::string name : {"lease_duration", "renew_deadline", "retry_period"}) {
    sim::Params p = default_params();
    p.set(name, sim::Duration::zero());
    EXPECT_THROW(Config::from(p), std::invalid_argument) << name;
  }
  sim::Params p = default_params();
  p.set("renew_deadline", sec(15));
  EXPECT_THROW(Config::from(p), std::invalid_argument) << "renew_deadline = lease_duration";
  p = default_params();
  p.set("retry_period", sec(10));
  EXPECT_THROW(Config::from(p), std::invalid_argument) << "retry_period = renew_deadline";
  EXPECT_TRUE(Config::from(default_params(true)).fencing);
}

TEST(LeaseElectionConfig, LeaseElection_Make_NeedsOneStoreAndAtMostOneResource) {
  const sim::Params params = default_params();
  sim::Params w;
  w.set("write_every", ms(500));
  const sim::Directory dir(nodes());
  for (sim::NodeIndex i = 0; i < dir.size(); ++i) {
    EXPECT_NE(make({i, dir[i], dir, params, w}), nullptr) << dir[i].id;
  }
  const sim::Directory no_store(std::vector<sim::NodeInfo>{{"c1", "candidate"}});
  EXPECT_THROW(make({0, no_store[0], no_store, params, w}), std::invalid_argument);
  const sim::Directory two_resources(
      {{"s", "store"}, {"c1", "candidate"}, {"r1", "resource"}, {"r2", "resource"}});
  EXPECT_THROW(make({1, two_resources[1], two_resources, params, w}), std::invalid_argument);
  const sim::Directory no_resource({{"s", "store"}, {"c1", "candidate"}});
  EXPECT_NE(make({1, no_resource[1], no_resource, params, w}), nullptr);
  const sim::NodeInfo stranger{"x", "leader"};
  EXPECT_THROW(make({0, stranger, dir, params, w}), std::invalid_argument);
  EXPECT_EQ(spec().roles.at(0).name, "candidate") << "the default role comes first";
  ASSERT_EQ(spec().claims.size(), 1u);
  EXPECT_EQ(spec().claims[0].role, "leader");
}

std::vector<sim::Message> one_of_each() {
  constexpr uint64_t big = 0x0123456789abcdefull;
  const Record rec{kNoHolder, big, sec(15).ns, std::numeric_limits<int64_t>::min()};
  return {
      msg(MsgType::get, Get{big}),
      msg(MsgType::get_reply, GetReply{1, 2, rec}),
      msg(MsgType::update, Update{3, big, Record{2, 5, -1, 99}}),
      msg(MsgType::update_ok, UpdateOk{UINT64_MAX, 4}),
      msg(MsgType::update_conflict, UpdateConflict{5, 6, rec}),
      msg(MsgType::write, Write{7, big}),
  };
}

TEST(LeaseElectionMessages, LeaseElection_Encode_IsTypeByteThenLittleEndianFields) {
  const auto bytes =
      encode(msg(MsgType::update, Update{0x0102030405060708ull, 9, Record{2, 3, 4, -1}}));
  ASSERT_EQ(bytes.size(), 49u);
  EXPECT_EQ(bytes[0], std::byte{2});
  EXPECT_EQ(bytes[1], std::byte{0x08});
  EXPECT_EQ(bytes[8], std::byte{0x01});
  EXPECT_EQ(bytes[9], std::byte{9});
  EXPECT_EQ(bytes[17], std::byte{2}) << "the record's holder follows in place";
  for (size_t i = 41; i < 49; ++i) EXPECT_EQ(bytes[i], std::byte{0xff}) << "-1 renew time";
}

TEST(LeaseElectionMessages, LeaseElection_EncodeDecode_RoundTripsEveryType) {
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
  EXPECT_EQ(decode(encode(messages[1]))->as<GetReply>().record, messages[1].as<GetReply>().record);
}

TEST(LeaseElectionMessages, LeaseElection_Decode_RejectsTruncatedPaddedOrUnknownInput) {
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
  auto bytes = encode(msg(MsgType::get, Get{1}));
  for (int type : {6, 7, 0x7f, 0xff}) {
    bytes[0] = static_cast<std::byte>(type);
    EXPECT_FALSE(decode(bytes).has_value()) << type;
  }
}

}  // namespace
}  // namespace lockstep::protocols::lease_election
