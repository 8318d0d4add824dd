#include "protocols/bully/node.hpp"

#include <algorithm>
#include <cassert>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols::bully {
namespace {

constexpr sim::TimerSlot slot(NodeTimer t) { return static_cast<sim::TimerSlot>(t); }

}  // namespace

void Node::on_start(sim::Context& ctx) {
  obs_ = ElectionObservations::resolve(ctx.vocabulary());
  assert(ctx.directory()[ctx.self()].role == kRoleNode);
  self_ = ctx.self();
  priority_ =
      config_.priority == kPriorityFromIndex ? static_cast<int64_t>(self_) : config_.priority;
  term_ = static_cast<uint64_t>(ctx.durable().get(kTermKey));
  acked_.assign(ctx.directory().size(), 0);
  const int64_t boots = ctx.durable().get(kBootsKey) + 1;
  ctx.durable().put(kBootsKey, boots);
  if (boots == 1) return start_election(ctx);
  // A restarted node may have missed terms while it was down. A coordinator that is alive
  // heartbeats everyone within a round, so listening first lets it learn the current term (and
  // bully a lower coordinator with a term above it) instead of reusing one.
  state_ = State::listening;
  ctx.set_timer(slot(NodeTimer::leader_silence), config_.leader_timeout);
}

void Node::on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) {
  assert(from < ctx.directory().size());
  assert(from != self_);
  switch (static_cast<MsgType>(message.type)) {
    case MsgType::election:
      return on_election(ctx, from, message.as<Election>());
    case MsgType::answer:
      return on_answer(ctx, message.as<Answer>());
    case MsgType::coordinator: {
      const Coordinator c = message.as<Coordinator>();
      return on_claim(ctx, from, c.term, c.priority);
    }
    case MsgType::heartbeat:
      return on_heartbeat(ctx, from, message.as<Heartbeat>());
    case MsgType::heartbeat_ack:
      return on_heartbeat_ack(ctx, from, message.as<HeartbeatAck>());
  }
  assert(false && "unknown bully message type");
}

void Node::on_timer(sim::Context& ctx, sim::TimerSlot timer) {
  // Every state change cancels the timers of the state it leaves, so a timer that fires always
  // finds the state that set it.
  switch (static_cast<NodeTimer>(timer)) {
    case NodeTimer::answer_wait:
      assert(state_ == State::electing);
      return become_coordinator(ctx);
    case NodeTimer::coordinator_wait:
      assert(state_ == State::awaiting);
      return start_election(ctx);
    case NodeTimer::leader_silence:
      assert(state_ == State::following || state_ == State::listening);
      return start_election(ctx);
    case NodeTimer::heartbeat:
      assert(state_ == State::leading);
      return start_round(ctx);
  }
  assert(false && "unknown bully timer slot");
}

void Node::on_election(sim::Context& ctx, sim::NodeIndex from, const Election& election) {
  note_term(ctx, election.term);
  const Rank sender{election.priority, from};
  if (sender > rank()) {
    // A higher node is alive and claiming: it (or one above it) will take over. A coordinator
    // stops now rather than when the new Coordinator arrives, so the two reigns do not overlap.
    if (state_ == State::leading) {
      step_down(ctx, "outranked");
      await_coordinator(ctx);
    }
    return;
  }
  ctx.send(from, make_message(MsgType::answer, Answer{term_}));
  if (state_ == State::leading) {
    // The sender missed our Coordinator (or has seen a newer term than ours).
    if (leader_term_ < term_) return become_coordinator(ctx);
    ctx.send(from, make_message(MsgType::coordinator, Coordinator{leader_term_, priority_}));
    return;
  }
  if (state_ == State::electing || state_ == State::awaiting) return;
  start_election(ctx);
}

void Node::on_answer(sim::Context& ctx, const Answer& answer) {
  note_term(ctx, answer.term);
  if (state_ != State::electing) return;  // a late or duplicate Answer
  await_coordinator(ctx);
}

void Node::on_heartbeat(sim::Context& ctx, sim::NodeIndex from, const Heartbeat& heartbeat) {
  on_claim(ctx, from, heartbeat.term, heartbeat.priority);
  const bool accepted =
      state_ == State::following && coordinator_ == from && leader_term_ == heartbeat.term;
  // The ack carries our highest term, which is how a stale coordinator learns it is stale.
  ctx.send(from, make_message(MsgType::heartbeat_ack,
                              HeartbeatAck{term_, heartbeat.round, accepted ? 1u : 0u}));
}

void Node::on_heartbeat_ack(sim::Context& ctx, sim::NodeIndex from, const HeartbeatAck& ack) {
  note_term(ctx, ack.term);
  if (state_ != State::leading) return;
  if (leader_term_ < term_) {
    // Someone follows a newer coordinator we cannot name: stop, and find out by electing.
    step_down(ctx, "stale_term");
    return start_election(ctx);
  }
  if (ack.accepted == 0 || ack.term != leader_term_ || ack.round != round_) return;
  if (acked_[from] != 0) return;  // a duplicated ack
  acked_[from] = 1;
  ++acks_;
  const size_t majority = ctx.directory().size() / 2 + 1;
  if (!confirmed_ && acks_ >= majority) {
    confirmed_ = true;
    ctx.observe(obs_.confirmed, {{obs_.term, as_field(leader_term_)}});
  }
}

void Node::on_claim(sim::Context& ctx, sim::NodeIndex from, uint64_t term, int64_t priority) {
  note_term(ctx, term);
  // A claim under an older term comes from a stale coordinator; a heartbeat's ack tells it so.
  if (term < term_) return;
  if (Rank{priority, from} > rank()) {
    if (state_ == State::leading) step_down(ctx, "outranked");
    return follow(ctx, from, term);
  }
  // The claimant is below us: bully it.
  if (state_ == State::leading) return become_coordinator(ctx);
  if (state_ == State::electing || state_ == State::awaiting) return;
  start_election(ctx);
}

void Node::note_term(sim::Context& ctx, uint64_t term) {
  if (term <= term_) return;
  term_ = term;
  ctx.durable().put(kTermKey, as_field(term_));
  ctx.observe(obs_.term_changed, {{obs_.term, as_field(term_)}});
}

void Node::start_election(sim::Context& ctx) {
  assert(state_ != State::leading);
  state_ = State::electing;
  coordinator_ = sim::kNoNode;
  ctx.cancel_timer(slot(NodeTimer::leader_silence));
  ctx.cancel_timer(slot(NodeTimer::coordinator_wait));
  ctx.observe(obs_.started, {{obs_.term, as_field(term_ + 1)}, {obs_.prevote, 0}});
  // Every other node gets it, not only the higher ones: a node cannot read the others'
  // priorities, so each receiver compares the priority in the message with its own and only a
  // higher one answers. The outcome is the classic algorithm's.
  send_to_others(ctx, make_message(MsgType::election, Election{term_, priority_}));
  ctx.set_timer(slot(NodeTimer::answer_wait), config_.answer_timeout);
}

void Node::become_coordinator(sim::Context& ctx) {
  ctx.cancel_timer(slot(NodeTimer::answer_wait));
  ctx.cancel_timer(slot(NodeTimer::coordinator_wait));
  ctx.cancel_timer(slot(NodeTimer::leader_silence));
  state_ = State::leading;
  coordinator_ = self_;
  leader_term_ = term_ + 1;
  note_term(ctx, leader_term_);
  assert(leader_term_ == term_);
  ctx.observe(obs_.elected, {{obs_.term, as_field(leader_term_)}});
  send_to_others(ctx, make_message(MsgType::coordinator, Coordinator{leader_term_, priority_}));
  start_round(ctx);
}

void Node::follow(sim::Context& ctx, sim::NodeIndex coordinator, uint64_t term) {
  assert(state_ != State::leading);
  assert(coordinator != self_);
  assert(term == term_);
  ctx.cancel_timer(slot(NodeTimer::answer_wait));
  ctx.cancel_timer(slot(NodeTimer::coordinator_wait));
  state_ = State::following;
  coordinator_ = coordinator;
  leader_term_ = term;
  ctx.set_timer(slot(NodeTimer::leader_silence), config_.leader_timeout);
}

void Node::step_down(sim::Context& ctx, std::string_view why) {
  assert(state_ == State::leading);
  ctx.observe(obs_.stepped_down, {{obs_.term, as_field(leader_term_)}}, why);
  ctx.cancel_timer(slot(NodeTimer::heartbeat));
  state_ = State::awaiting;  // callers move on at once: follow, elect or wait
  coordinator_ = sim::kNoNode;
}

void Node::await_coordinator(sim::Context& ctx) {
  ctx.cancel_timer(slot(NodeTimer::answer_wait));
  ctx.cancel_timer(slot(NodeTimer::leader_silence));
  state_ = State::awaiting;
  coordinator_ = sim::kNoNode;
  ctx.set_timer(slot(NodeTimer::coordinator_wait), config_.coordinator_timeout);
}

void Node::start_round(sim::Context& ctx) {
  assert(state_ == State::leading);
  ++round_;
  std::fill(acked_.begin(), acked_.end(), uint8_t{0});
  acks_ = 1;
  confirmed_ = false;
  if (ctx.directory().size() == 1) {
    // A majority of one is this node alone.
    confirmed_ = true;
    ctx.observe(obs_.confirmed, {{obs_.term, as_field(leader_term_)}});
  }
  send_to_others(ctx, make_message(MsgType::heartbeat, Heartbeat{leader_term_, round_, priority_}));
  ctx.set_timer(slot(NodeTimer::heartbeat), config_.heartbeat);
}

void Node::send_to_others(sim::Context& ctx, const sim::Message& message) {
  for (sim::NodeIndex i = 0; i < ctx.directory().size(); ++i) {
    if (i != self_) ctx.send(i, message);
  }
}

}  // namespace lockstep::protocols::bully
