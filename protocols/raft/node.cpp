#include "protocols/raft/node.hpp"

#include <algorithm>
#include <cassert>
#include <functional>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols::raft {
namespace {

constexpr sim::TimerSlot kElection = static_cast<sim::TimerSlot>(NodeTimer::election);
constexpr sim::TimerSlot kHeartbeat = static_cast<sim::TimerSlot>(NodeTimer::heartbeat);
constexpr sim::TimerSlot kPropose = static_cast<sim::TimerSlot>(NodeTimer::propose);

uint64_t flag(bool b) { return b ? 1 : 0; }

}  // namespace

void Node::on_start(sim::Context& ctx) {
  obs_ = ElectionObservations::resolve(ctx.vocabulary());
  const size_t n = ctx.directory().size();
  assert(n > 0);
  assert(ctx.self() < n);
  members_.assign(ctx.directory().with_role(ctx.directory()[ctx.self()].role).begin(),
                  ctx.directory().with_role(ctx.directory()[ctx.self()].role).end());
  member_.assign(n, false);
  for (sim::NodeIndex i : members_) member_[i] = true;
  assert(is_member(ctx.self()));
  log_obs_ = LogObservations::resolve(ctx.vocabulary());
  next_.assign(n, 1);
  match_.assign(n, 0);
  granted_.assign(n, false);
  acked_round_.assign(n, 0);
  last_ack_.assign(n, std::nullopt);
  if (config_.persist_vote) {
    const sim::Storage& store = ctx.durable();
    term_ = static_cast<uint64_t>(store.get(kTermKey, 0));
    const int64_t vote = store.get(kVotedForKey, -1);
    voted_for_ = vote < 0 ? sim::kNoNode : static_cast<sim::NodeIndex>(vote);
    assert(voted_for_ == sim::kNoNode || voted_for_ < n);
  }
  load_log(ctx);
  reset_election_timer(ctx);
}

void Node::on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) {
  assert(from < member_.size() && is_member(from));
  assert(from != ctx.self());
  assert(message.type < kMsgTypeCount);
  const uint64_t term = term_of(message);
  if (term > term_ && !admit_higher_term(ctx, from, message)) return;
  if (term < term_) return on_stale(ctx, from, message);
  switch (static_cast<MsgType>(message.type)) {
    case MsgType::request_vote: {
      const auto request = message.as<RequestVote>();
      if (request.prevote != 0) return on_prevote_request(ctx, from, request);
      return on_request_vote(ctx, from, request);
    }
    case MsgType::vote:
      return on_vote(ctx, from, message.as<Vote>());
    case MsgType::append_entries:
      if (config_.replicate) {
        return on_replicated_append(ctx, from, message.as<AppendEntries>(),
                                    message.payload.items<Entry>());
      }
      return on_append_entries(ctx, from, message.as<AppendEntries>());
    case MsgType::append_response:
      return on_append_response(ctx, from, message.as<AppendResponse>());
  }
}

void Node::on_durable(sim::Context& ctx, sim::StorageTicket) {
  outbox_.on_durable(ctx);
  bool advanced = false;
  while (!unsynced_.empty() && ctx.durable().durable(unsynced_.front().first)) {
    durable_index_ = std::max(durable_index_, unsynced_.front().second);
    unsynced_.pop_front();
    advanced = true;
  }
  if (advanced && role_ == Role::leader) advance_commit(ctx);
}

void Node::on_timer(sim::Context& ctx, sim::TimerSlot slot) {
  if (slot == kHeartbeat) {
    assert(role_ == Role::leader && "the heartbeat timer is cancelled on stepping down");
    return heartbeat_round(ctx);
  }
  if (slot == kPropose) return on_propose_timer(ctx);
  assert(slot == kElection);
  on_election_timeout(ctx);
}

bool Node::heard_leader_recently(const sim::Context& ctx) const {
  if (role_ == Role::leader) return true;
  return heard_leader_at_.has_value() && ctx.now() - *heard_leader_at_ < config_.min_timeout();
}

// A higher term normally makes this node a follower in that term. Three messages carry a higher
// term without proving that term exists: a PreVote request and a granted PreVote answer (both
// name a term nobody has entered yet), and, with check_quorum, a RequestVote reaching a node that
// still has a live leader, which is dropped unanswered so a node that was cut off cannot depose a
// leader the majority still follows.
bool Node::admit_higher_term(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) {
  const auto type = static_cast<MsgType>(message.type);
  if (type == MsgType::request_vote) {
    if (config_.check_quorum && heard_leader_recently(ctx)) return false;
    if (message.as<RequestVote>().prevote != 0) return true;
  }
  if (type == MsgType::vote) {
    const auto vote = message.as<Vote>();
    if (vote.prevote != 0 && vote.granted != 0) return true;
  }
  const sim::NodeIndex leader = type == MsgType::append_entries ? from : sim::kNoNode;
  // A RequestVote that moves us to its term restarts the election timer only when configured
  // to (etcd's raft does; the paper's rules restart it on granting a vote, §5.2, Fig. 2).
  const bool reset = type != MsgType::request_vote || config_.reset_timer_on_higher_term;
  become_follower(ctx, term_of(message), leader, "higher_term", reset);
  assert(term_ == term_of(message));
  return true;
}

// Requests from an older term are refused with our term, which brings the sender up to date: a
// deposed leader cut off from the others learns of the newer term from its own heartbeats'
// answers. Answers from an older term are ignored.
void Node::on_stale(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) {
  assert(term_of(message) < term_);
  switch (static_cast<MsgType>(message.type)) {
    case MsgType::request_vote: {
      const uint64_t prevote = message.as<RequestVote>().prevote;
      outbox_.send(ctx, from, make_message(MsgType::vote, Vote{term_, 0, prevote}),
                   config_.ack_before_fsync);
      return;
    }
    case MsgType::append_entries: {
      const uint64_t round = message.as<AppendEntries>().round;
      outbox_.send(ctx, from,
                   make_message(MsgType::append_response, AppendResponse{term_, 0, round, 0, 0}),
                   config_.ack_before_fsync);
      return;
    }
    case MsgType::vote:
    case MsgType::append_response:
      return;
  }
}

void Node::on_request_vote(sim::Context& ctx, sim::NodeIndex from, const RequestVote& request) {
  assert(request.term == term_);
  // One vote per term. A node that already follows a leader in this term votes for no one else
  // (a leader has voted for itself, so this also refuses).
  const bool free = voted_for_ == from || (voted_for_ == sim::kNoNode && leader_ == sim::kNoNode);
  // §5.4.1: grant only to a candidate whose log is at least as up-to-date as ours.
  const bool up_to_date =
      at_least_as_up_to_date({request.last_log_term, request.last_log_index}, log_.last());
  const bool grant = free && up_to_date;
  if (grant && voted_for_ != from) {
    voted_for_ = from;
    persist(ctx);  // before the reply: a vote that a crash could forget may be given twice
    ctx.observe(obs_.vote_granted, {{obs_.term, as_field(term_)}, {obs_.candidate, from}});
  }
  if (grant) reset_election_timer(ctx);
  outbox_.send(ctx, from, make_message(MsgType::vote, Vote{term_, flag(grant), 0}),
               config_.ack_before_fsync);
}

// A PreVote names the term the sender would campaign in. It is granted when that term is above
// ours (the sender's own term is at least ours), no leader has been heard from within the
// minimum election timeout, and the sender's log is up to date. Granting changes nothing here.
void Node::on_prevote_request(sim::Context& ctx, sim::NodeIndex from, const RequestVote& request) {
  assert(request.term >= term_);
  const bool up_to_date =
      at_least_as_up_to_date({request.last_log_term, request.last_log_index}, log_.last());
  const bool grant = request.term > term_ && !heard_leader_recently(ctx) && up_to_date;
  const uint64_t term = grant ? request.term : term_;
  outbox_.send(ctx, from, make_message(MsgType::vote, Vote{term, flag(grant), 1}),
               config_.ack_before_fsync);
}

void Node::on_vote(sim::Context& ctx, sim::NodeIndex from, const Vote& vote) {
  // A refusal at our term or below changes nothing: the election timeout starts the next round.
  if (vote.granted == 0) return;
  if (vote.prevote != 0) {
    if (role_ != Role::pre_candidate || vote.term != term_ + 1) return;  // an earlier round
    if (tally(from)) campaign(ctx);
    return;
  }
  assert(vote.term == term_);
  if (role_ != Role::candidate) return;  // already won, or gave up
  if (tally(from)) become_leader(ctx);
}

void Node::on_append_entries(sim::Context& ctx, sim::NodeIndex from, const AppendEntries& append) {
  assert(append.term == term_);
  if (role_ == Role::leader) {
    // Another leader in our own term: possible only when a voter forgot its vote
    // (persist_vote: false). Refuse, and let the checkers see both leaders.
    outbox_.send(
        ctx, from,
        make_message(MsgType::append_response, AppendResponse{term_, 0, append.round, 0, 0}),
        config_.ack_before_fsync);
    return;
  }
  // A (pre)candidate in this term learns that someone already won it.
  role_ = Role::follower;
  leader_ = from;
  heard_leader_at_ = ctx.now();
  reset_election_timer(ctx);
  outbox_.send(ctx, from,
               make_message(MsgType::append_response, AppendResponse{term_, 1, append.round, 0, 0}),
               config_.ack_before_fsync);
}

void Node::on_append_response(sim::Context& ctx, sim::NodeIndex from,
                              const AppendResponse& response) {
  assert(response.term == term_);
  if (role_ != Role::leader || response.success == 0) return;
  last_ack_[from] = ctx.now();
  if (config_.replicate) on_replication_response(ctx, from, response);
  if (response.round != round_ || acked_round_[from] == round_) return;  // late or duplicated
  acked_round_[from] = round_;
  ++round_acks_;
  // Counting itself; observed once, when the round first reaches a majority.
  if (round_acks_ + 1 == majority()) {
    ctx.observe(obs_.confirmed, {{obs_.term, as_field(term_)}});
  }
}

void Node::on_election_timeout(sim::Context& ctx) {
  if (role_ == Role::leader) {
    assert(config_.check_quorum && "a leader arms the election slot only for check_quorum");
    return check_quorum(ctx);
  }
  if (config_.prevote) return start_prevote(ctx);
  campaign(ctx);
}

// The leader's quorum lease: it lasts the minimum election timeout from the moment the
// majority-th most recent answer arrived (the leader counts as answering itself now). When it
// runs out the leader steps down; otherwise the timer is set for when it would.
void Node::check_quorum(sim::Context& ctx) {
  assert(role_ == Role::leader);
  const sim::LocalTime now = ctx.now();
  heard_.clear();
  heard_.push_back(now);
  for (sim::NodeIndex i : members_) {
    if (i != ctx.self() && last_ack_[i].has_value()) heard_.push_back(*last_ack_[i]);
  }
  const size_t k = majority() - 1;
  if (heard_.size() <= k) return become_follower(ctx, term_, sim::kNoNode, "check_quorum");
  std::nth_element(heard_.begin(), heard_.begin() + static_cast<std::ptrdiff_t>(k), heard_.end(),
                   std::greater<>());
  const sim::Duration age = now - heard_[k];
  assert(age >= sim::Duration::zero());
  if (age >= config_.min_timeout())
    return become_follower(ctx, term_, sim::kNoNode, "check_quorum");
  ctx.set_timer(kElection, config_.min_timeout() - age);
}

void Node::start_prevote(sim::Context& ctx) {
  assert(role_ != Role::leader);
  role_ = Role::pre_candidate;
  leader_ = sim::kNoNode;
  const uint64_t next = term_ + 1;
  ctx.observe(obs_.started, {{obs_.term, as_field(next)}, {obs_.prevote, 1}});
  if (reset_tally(ctx)) return campaign(ctx);
  reset_election_timer(ctx);
  broadcast(ctx, make_message(MsgType::request_vote,
                              RequestVote{next, log_.last_index(), log_.last_term(), 1}));
}

void Node::campaign(sim::Context& ctx) {
  assert(role_ != Role::leader);
  ++term_;
  voted_for_ = ctx.self();
  leader_ = sim::kNoNode;
  role_ = Role::candidate;
  persist(ctx);  // before any RequestVote leaves: the vote for itself must survive a crash
  ctx.observe(obs_.term_changed, {{obs_.term, as_field(term_)}});
  ctx.observe(obs_.started, {{obs_.term, as_field(term_)}, {obs_.prevote, 0}});
  if (reset_tally(ctx)) return become_leader(ctx);
  reset_election_timer(ctx);
  broadcast(ctx, make_message(MsgType::request_vote,
                              RequestVote{term_, log_.last_index(), log_.last_term(), 0}));
}

void Node::become_leader(sim::Context& ctx) {
  assert(role_ == Role::candidate);
  assert(granted_count_ >= majority());
  role_ = Role::leader;
  leader_ = ctx.self();
  ctx.observe(obs_.elected, {{obs_.term, as_field(term_)}});
  // The voters answered during this election: they open the quorum lease.
  const sim::LocalTime now = ctx.now();
  for (sim::NodeIndex i : members_) {
    last_ack_[i] = granted_[i] ? std::optional(now) : std::nullopt;
  }
  std::fill(acked_round_.begin(), acked_round_.end(), 0);
  round_ = 0;
  if (config_.check_quorum) {
    ctx.set_timer(kElection, config_.min_timeout());
  } else {
    ctx.cancel_timer(kElection);
  }
  if (config_.replicate) start_leader_log(ctx);
  heartbeat_round(ctx);
}

void Node::become_follower(sim::Context& ctx, uint64_t term, sim::NodeIndex leader,
                           std::string_view why, bool reset_timer) {
  assert(term >= term_);
  if (role_ == Role::leader) {
    ctx.observe(obs_.stepped_down, {{obs_.term, as_field(term_)}}, why);
    ctx.cancel_timer(kHeartbeat);
    ctx.cancel_timer(kPropose);
    reset_timer = true;        // a leader's election slot may be cancelled: a follower needs one
    heard_leader_at_.reset();  // its own leadership is no lease on anyone's vote
  }
  role_ = Role::follower;
  leader_ = leader;
  if (term > term_) {
    term_ = term;
    voted_for_ = sim::kNoNode;
    persist(ctx);
    ctx.observe(obs_.term_changed, {{obs_.term, as_field(term_)}});
  }
  if (reset_timer) reset_election_timer(ctx);
}

void Node::heartbeat_round(sim::Context& ctx) {
  assert(role_ == Role::leader);
  ++round_;
  round_acks_ = 0;
  if (config_.replicate) {
    for (sim::NodeIndex to : members_) {
      if (to != ctx.self()) send_append(ctx, to);
    }
  } else {
    broadcast(ctx, make_message(MsgType::append_entries, AppendEntries{term_, round_, 0, 0, 0}));
  }
  ctx.set_timer(kHeartbeat, config_.heartbeat);
  if (majority() == 1) {
    ctx.observe(obs_.confirmed, {{obs_.term, as_field(term_)}});
  }
}

bool Node::tally(sim::NodeIndex voter) {
  assert(voter < granted_.size() && is_member(voter));
  if (granted_[voter]) return false;  // a duplicate
  granted_[voter] = true;
  ++granted_count_;
  assert(granted_count_ <= cluster_size());
  return granted_count_ == majority();
}

bool Node::reset_tally(sim::Context& ctx) {
  std::fill(granted_.begin(), granted_.end(), false);
  granted_count_ = 0;
  return tally(ctx.self());
}

void Node::broadcast(sim::Context& ctx, const sim::Message& message) {
  for (sim::NodeIndex to : members_) {
    if (to != ctx.self()) outbox_.send(ctx, to, message, config_.ack_before_fsync);
  }
}

void Node::reset_election_timer(sim::Context& ctx) {
  const sim::DurationRange& range = config_.election_timeout;
  ctx.set_timer(kElection, sim::Duration{ctx.rng().between(range.min.ns, range.max.ns)});
}

void Node::persist(sim::Context& ctx) {
  if (!config_.persist_vote) return;
  sim::Storage& store = ctx.durable();
  store.put(kTermKey, as_field(term_));
  store.put(kVotedForKey, voted_for_ == sim::kNoNode ? int64_t{-1} : int64_t{voted_for_});
  // Raft §5 (Figure 2, "Persistent state"): updated on stable storage before responding. With a
  // modelled disk the replies wait in the outbox until this sync completes.
  outbox_.synced(store.sync());
}

}  // namespace lockstep::protocols::raft
