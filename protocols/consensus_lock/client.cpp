#include "protocols/consensus_lock/client.hpp"

#include <algorithm>
#include <cassert>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols::consensus_lock {
namespace {

constexpr sim::TimerSlot slot(ClientTimer t) { return static_cast<sim::TimerSlot>(t); }
constexpr int64_t kLockKey = 1;      // the one lock, as a history key
constexpr int64_t kRegisterKey = 2;  // the guarded resource, as a history key

// A value no other write carries: the writer's node and the write's sequence number.
int64_t write_value(sim::NodeIndex self, uint64_t seq) {
  return static_cast<int64_t>(self + 1) * 1'000'000'000 + static_cast<int64_t>(seq);
}

}  // namespace

void Client::on_start(sim::Context& ctx) {
  obs_ = Observations::resolve(ctx.vocabulary());
  history_.resolve(ctx.vocabulary());
  const auto servers = ctx.directory().with_role(kRoleServer);
  servers_.assign(servers.begin(), servers.end());
  assert(!servers_.empty() && "a lock client needs servers");
  const auto resources = ctx.directory().with_role(kRoleResource);
  if (!resources.empty()) resource_ = resources[0];
  target_ = ctx.self() % servers_.size();
  backoff_ = config_.backoff.min;
  ctx.set_timer(slot(ClientTimer::next), ctx.sample(workload_.acquire_every));
}

void Client::on_timer(sim::Context& ctx, sim::TimerSlot s) {
  switch (static_cast<ClientTimer>(s)) {
    case ClientTimer::next:
      return state_ == State::idle ? start_acquire(ctx) : start_release(ctx);
    case ClientTimer::timeout:
      return on_timeout(ctx);
    case ClientTimer::retry:
      return send_request(ctx);
    case ClientTimer::keepalive:
      // One keepalive per third of the TTL, as etcd's client does. With session_deadline, one
      // the last server left unanswered goes to the next (etcd's client reconnects elsewhere).
      if (config_.session_deadline && keepalive_open_) target_ = (target_ + 1) % servers_.size();
      send_keepalive(ctx);
      ctx.set_timer(slot(ClientTimer::keepalive), config_.ttl / 3);
      return;
    case ClientTimer::session:
      // The lease may be gone by now: whatever this client held, it holds no longer.
      return lost(ctx);
    case ClientTimer::write:
      if (state_ != State::holding || resource_ == sim::kNoNode) return;
      return write(ctx);
    case ClientTimer::write_timeout:
      if (release_pending_) {  // waited long enough: let go, not knowing how the write ended
        close_write(ctx, HistoryStep::info);
        return start_release(ctx);
      }
      // No answer yet: send the same write again (the same value, so applying it twice is
      // harmless); the op stays open until an answer comes or the tenure ends.
      send_write(ctx, open_seq_);
      ctx.set_timer(slot(ClientTimer::write_timeout), config_.request_timeout);
      return;
  }
}

void Client::send_keepalive(sim::Context& ctx) {
  keepalive_sent_ = ctx.now();
  keepalive_open_ = true;
  ctx.send(servers_[target_], make_message(MsgType::keepalive, Request{req_, lease_, 0}));
}

// Counted from when the answered request left, the client's deadline comes no later than the
// service's (which counts from when the request arrived), clock drift aside; etcd's client
// counts from the answer's arrival instead.
void Client::extend_session(sim::Context& ctx, sim::LocalTime sent) {
  if (!config_.session_deadline) return;
  const sim::Duration left = (sent + config_.ttl) - ctx.now();
  ctx.set_timer(slot(ClientTimer::session), std::max(left, sim::Duration::zero()));
}

void Client::send_write(sim::Context& ctx, uint64_t seq) {
  ctx.send(resource_,
           sim::Message::of(static_cast<uint16_t>(MsgType::write), ResourceWrite{token_, seq}));
}

void Client::write(sim::Context& ctx) {
  send_write(ctx, ++seq_);
  if (!config_.record_writes) {
    ctx.set_timer(slot(ClientTimer::write), workload_.write_every);
    return;
  }
  // A holder is the only writer while it truly holds the lock, so every write after its first
  // means "from the value I last wrote to this one": recorded as that compare-and-set, it
  // succeeds in a linearizable history only if nobody else wrote in between (the resource
  // itself applies a plain write). The first write of a tenure knows no value: a plain write.
  open_seq_ = seq_;
  record_write(ctx, HistoryStep::invoke);
  ctx.set_timer(slot(ClientTimer::write_timeout), config_.request_timeout);
}

void Client::on_write_reply(sim::Context& ctx, const ResourceAck& ack) {
  if (open_seq_ == 0 || ack.seq != open_seq_) return;  // late: already recorded as unknown
  ctx.cancel_timer(slot(ClientTimer::write_timeout));
  close_write(ctx, ack.accepted != 0 ? HistoryStep::ok : HistoryStep::fail);
  if (ack.accepted != 0) last_value_ = write_value(ctx.self(), ack.seq);
  if (release_pending_) return start_release(ctx);
  ctx.set_timer(slot(ClientTimer::write), workload_.write_every);
}

// One step of the open write's op, always in the form it was invoked: a plain write when this
// holder knew no value, else the compare-and-set from the value it last saw.
void Client::record_write(sim::Context& ctx, HistoryStep step) const {
  const int64_t value = write_value(ctx.self(), open_seq_);
  if (last_value_ == 0) {
    history_.emit(ctx, step, HistoryOp::write, kRegisterKey, value);
  } else {
    history_.emit_cas(ctx, step, kRegisterKey, last_value_, value);
  }
}

// Records how the open write ended.
void Client::close_write(sim::Context& ctx, HistoryStep step) {
  if (open_seq_ == 0) return;
  record_write(ctx, step);
  open_seq_ = 0;
}

void Client::start_acquire(sim::Context& ctx) {
  assert(state_ == State::idle);
  state_ = State::acquiring;
  ++req_;
  lease_ = 0;
  ctx.observe(obs_.requested, {});
  history_.emit(ctx, HistoryStep::invoke, HistoryOp::acquire, kLockKey, 0);
  send_request(ctx);
}

void Client::start_release(sim::Context& ctx) {
  assert(state_ == State::holding);
  // A critical section ends when its last write has been answered: with a write open, the
  // release waits for the answer, or for one more request timeout.
  // Both ways back here (the answer, the last timeout) close the write first.
  if (open_seq_ != 0) {
    release_pending_ = true;
    ctx.cancel_timer(slot(ClientTimer::write));
    return;
  }
  release_pending_ = false;
  state_ = State::releasing;
  ++req_;
  // The client stops acting as the holder when it lets go, not when the service confirms: the
  // next waiter may be granted before the answer to this release arrives.
  ctx.cancel_timer(slot(ClientTimer::write));
  ctx.cancel_timer(slot(ClientTimer::write_timeout));
  close_write(ctx, HistoryStep::info);  // one open op at a time: the answer comes too late now
  ctx.observe(obs_.released, {{obs_.token, as_field(token_)}});
  history_.emit(ctx, HistoryStep::invoke, HistoryOp::release, kLockKey, 0);
  send_request(ctx);
}

void Client::send_request(sim::Context& ctx) {
  request_sent_ = ctx.now();
  if (state_ == State::acquiring) {
    ctx.send(
        servers_[target_],
        make_message(MsgType::acquire, Request{req_, 0, static_cast<uint64_t>(config_.ttl.ns)}));
  } else if (state_ == State::releasing) {
    ctx.send(servers_[target_], make_message(MsgType::release, Request{req_, lease_, 0}));
  } else {
    return;
  }
  ctx.set_timer(slot(ClientTimer::timeout), config_.request_timeout);
}

// No answer in time: the next server, after a backoff that doubles up to its cap, plus jitter
// of up to the backoff itself (so clients that timed out together do not retry together).
void Client::on_timeout(sim::Context& ctx) {
  target_ = (target_ + 1) % servers_.size();
  const sim::Duration jitter{ctx.rng().between(0, backoff_.ns)};
  ctx.set_timer(slot(ClientTimer::retry), backoff_ + jitter);
  backoff_ = std::min(backoff_ * 2, config_.backoff.max);
}

void Client::on_message(sim::Context& ctx, sim::NodeIndex, const sim::Message& message) {
  if (message.type == static_cast<uint16_t>(MsgType::write_reply)) {
    return on_write_reply(ctx, message.as<ResourceAck>());
  }
  const auto r = message.as<Reply>();
  switch (static_cast<MsgType>(message.type)) {
    case MsgType::acquire_reply:
      return on_acquire_reply(ctx, r);
    case MsgType::release_reply:
      return on_release_reply(ctx, r);
    case MsgType::keepalive_reply:
      return on_keepalive_reply(ctx, r);
    default:
      assert(false && "clients receive replies only");
  }
}

void Client::follow_hint(sim::Context& ctx, const Reply& r) {
  const auto it = std::find(servers_.begin(), servers_.end(), r.hint - 1);
  if (r.hint != 0 && it != servers_.end() && size_t(it - servers_.begin()) != target_) {
    target_ = static_cast<size_t>(it - servers_.begin());
    ctx.cancel_timer(slot(ClientTimer::timeout));
    return send_request(ctx);
  }
  ctx.cancel_timer(slot(ClientTimer::timeout));
  on_timeout(ctx);  // no better idea: the next server, after a backoff
}

void Client::on_acquire_reply(sim::Context& ctx, const Reply& r) {
  if (state_ != State::acquiring || r.req != req_) return;  // late, or for an earlier request
  if (r.status == static_cast<uint64_t>(Status::not_leader)) return follow_hint(ctx, r);
  backoff_ = config_.backoff.min;
  if (lease_ != r.value) {  // the session exists: keep its lease alive while waiting
    lease_ = r.value;
    keepalive_open_ = false;
    ctx.set_timer(slot(ClientTimer::keepalive), config_.ttl / 3);
    extend_session(ctx, request_sent_);
  }
  if (r.token == 0) {  // waiting for the keys below ours to go; re-ask if nothing comes
    ctx.set_timer(slot(ClientTimer::timeout), config_.request_timeout * 4);
    return;
  }
  ctx.cancel_timer(slot(ClientTimer::timeout));
  state_ = State::holding;
  token_ = r.token;
  last_value_ = 0;
  ctx.observe(obs_.acquired, {{obs_.token, as_field(token_)}, {obs_.lease_ns, config_.ttl.ns}});
  history_.emit(ctx, HistoryStep::ok, HistoryOp::acquire, kLockKey, as_field(token_));
  ctx.set_timer(slot(ClientTimer::write), sim::Duration::zero());
  ctx.set_timer(slot(ClientTimer::next), ctx.sample(workload_.hold));
}

void Client::on_release_reply(sim::Context& ctx, const Reply& r) {
  if (state_ != State::releasing || r.req != req_) return;
  if (r.status == static_cast<uint64_t>(Status::not_leader)) return follow_hint(ctx, r);
  const bool ok = r.status == static_cast<uint64_t>(Status::ok);  // gone: the lease expired first
  history_.emit(ctx, ok ? HistoryStep::ok : HistoryStep::fail, HistoryOp::release, kLockKey, 0);
  become_idle(ctx);
}

void Client::on_keepalive_reply(sim::Context& ctx, const Reply& r) {
  if (r.value != lease_ || lease_ == 0) return;
  if (r.status == static_cast<uint64_t>(Status::not_leader)) {
    const auto it = std::find(servers_.begin(), servers_.end(), r.hint - 1);
    // To the leader at once, or the next server at the next keepalive.
    if (r.hint != 0 && it != servers_.end() && size_t(it - servers_.begin()) != target_) {
      target_ = size_t(it - servers_.begin());
      send_keepalive(ctx);
    } else {
      target_ = (target_ + 1) % servers_.size();
      keepalive_open_ = false;  // answered, if not by the leader: try the next one in turn
    }
    return;
  }
  if (r.status == static_cast<uint64_t>(Status::gone)) return lost(ctx);
  if (keepalive_open_) {
    keepalive_open_ = false;
    extend_session(ctx, keepalive_sent_);
  }
}

// The lease expired: the lock (or the place in the queue) is gone.
void Client::lost(sim::Context& ctx) {
  if (state_ == State::acquiring) {  // a new session for the same acquire
    ++req_;
    lease_ = 0;
    ctx.cancel_timer(slot(ClientTimer::keepalive));
    ctx.cancel_timer(slot(ClientTimer::session));
    return send_request(ctx);
  }
  if (state_ == State::holding) {
    ctx.observe(obs_.lost, {{obs_.token, as_field(token_)}});
    become_idle(ctx);
  }
}

void Client::become_idle(sim::Context& ctx) {
  close_write(ctx, HistoryStep::info);
  release_pending_ = false;
  state_ = State::idle;
  lease_ = 0;
  for (ClientTimer t : {ClientTimer::timeout, ClientTimer::retry, ClientTimer::keepalive,
                        ClientTimer::write, ClientTimer::write_timeout, ClientTimer::session}) {
    ctx.cancel_timer(slot(t));
  }
  ctx.set_timer(slot(ClientTimer::next), ctx.sample(workload_.acquire_every));
}

}  // namespace lockstep::protocols::consensus_lock
