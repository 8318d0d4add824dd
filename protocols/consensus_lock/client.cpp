#include "protocols/consensus_lock/client.hpp"

#include <algorithm>
#include <cassert>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols::consensus_lock {
namespace {

constexpr sim::TimerSlot slot(ClientTimer t) { return static_cast<sim::TimerSlot>(t); }
constexpr int64_t kLockKey = 1;  // the one lock, as a history key

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
      // One keepalive per third of the TTL, as etcd's client does.
      ctx.send(servers_[target_], make_message(MsgType::keepalive, Request{req_, lease_, 0}));
      ctx.set_timer(slot(ClientTimer::keepalive), config_.ttl / 3);
      return;
    case ClientTimer::write:
      if (state_ != State::holding || resource_ == sim::kNoNode) return;
      ctx.send(resource_, sim::Message::of(static_cast<uint16_t>(MsgType::write),
                                           ResourceWrite{token_, ++seq_}));
      ctx.set_timer(slot(ClientTimer::write), workload_.write_every);
      return;
  }
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
  state_ = State::releasing;
  ++req_;
  // The client stops acting as the holder when it lets go, not when the service confirms: the
  // next waiter may be granted before the answer to this release arrives.
  ctx.cancel_timer(slot(ClientTimer::write));
  ctx.observe(obs_.released, {{obs_.token, as_field(token_)}});
  history_.emit(ctx, HistoryStep::invoke, HistoryOp::release, kLockKey, 0);
  send_request(ctx);
}

void Client::send_request(sim::Context& ctx) {
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
    ctx.set_timer(slot(ClientTimer::keepalive), config_.ttl / 3);
  }
  if (r.token == 0) {  // waiting for the keys below ours to go; re-ask if nothing comes
    ctx.set_timer(slot(ClientTimer::timeout), config_.request_timeout * 4);
    return;
  }
  ctx.cancel_timer(slot(ClientTimer::timeout));
  state_ = State::holding;
  token_ = r.token;
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
      ctx.send(servers_[target_], make_message(MsgType::keepalive, Request{req_, lease_, 0}));
    } else {
      target_ = (target_ + 1) % servers_.size();
    }
    return;
  }
  if (r.status == static_cast<uint64_t>(Status::gone)) lost(ctx);
}

// The lease expired: the lock (or the place in the queue) is gone.
void Client::lost(sim::Context& ctx) {
  if (state_ == State::acquiring) {  // a new session for the same acquire
    ++req_;
    lease_ = 0;
    ctx.cancel_timer(slot(ClientTimer::keepalive));
    return send_request(ctx);
  }
  if (state_ == State::holding) {
    ctx.observe(obs_.lost, {{obs_.token, as_field(token_)}});
    become_idle(ctx);
  }
}

void Client::become_idle(sim::Context& ctx) {
  state_ = State::idle;
  lease_ = 0;
  for (ClientTimer t :
       {ClientTimer::timeout, ClientTimer::retry, ClientTimer::keepalive, ClientTimer::write}) {
    ctx.cancel_timer(slot(t));
  }
  ctx.set_timer(slot(ClientTimer::next), ctx.sample(workload_.acquire_every));
}

}  // namespace lockstep::protocols::consensus_lock
