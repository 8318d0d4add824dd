#include "protocols/lease_lock/client.hpp"

#include <algorithm>
#include <cassert>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols::lease_lock {
namespace {

constexpr sim::TimerSlot slot(ClientTimer t) { return static_cast<sim::TimerSlot>(t); }

}  // namespace

Client::Client(const Config& config, const Workload& workload, sim::NodeIndex server,
               sim::NodeIndex resource)
    : config_(config), workload_(workload), server_(server), resource_(resource) {
  assert(server_ != sim::kNoNode);
  assert(resource_ != sim::kNoNode);
}

void Client::on_start(sim::Context& ctx) {
  obs_ = Observations::resolve(ctx.vocabulary());
  assert(ctx.directory()[server_].role == kRoleServer);
  assert(ctx.directory()[resource_].role == kRoleResource);
  assert(ctx.directory()[ctx.self()].role == kRoleClient);
  const int64_t boots = ctx.durable().get("boots") + 1;
  ctx.durable().put("boots", boots);
  attempt_ = static_cast<uint64_t>(boots) << 32;
  ctx.set_timer(slot(ClientTimer::acquire), ctx.sample(workload_.acquire_every));
}

void Client::on_message(sim::Context& ctx, [[maybe_unused]] sim::NodeIndex from,
                        const sim::Message& message) {
  assert(from == server_ && "a client hears only from the lock server");
  switch (static_cast<MsgType>(message.type)) {
    case MsgType::grant:
      return on_grant(ctx, message.as<Grant>());
    case MsgType::deny:
      return on_deny(ctx, message.as<Deny>());
    case MsgType::renew_ok:
      return on_renew_ok(ctx, message.as<RenewOk>());
    case MsgType::renew_fail:
      return on_renew_fail(ctx, message.as<RenewFail>());
    default:
      assert(false && "message type a client never receives");
  }
}

void Client::on_timer(sim::Context& ctx, sim::TimerSlot timer) {
  switch (static_cast<ClientTimer>(timer)) {
    case ClientTimer::acquire:
      if (!holding_) send_acquire(ctx);
      return;
    case ClientTimer::retry:
      if (waiting_) send_acquire(ctx);
      return;
    case ClientTimer::lease_end:
      if (!holding_) return;
      ctx.observe(obs_.expired, {{obs_.token, as_field(token_)}});
      stop_holding(ctx);
      return schedule_next_acquire(ctx);
    case ClientTimer::renew:
      if (holding_) send_renew(ctx);
      return;
    case ClientTimer::write:
      if (holding_) send_write(ctx);
      return;
    case ClientTimer::hold_end:
      if (holding_) release(ctx);
      return;
  }
  assert(false && "unknown client timer slot");
}

// Starts a waiting episode (observed once) or continues one with a fresh attempt.
void Client::send_acquire(sim::Context& ctx) {
  assert(!holding_);
  if (!waiting_) ctx.observe(obs_.requested, {});
  waiting_ = true;
  acquire_attempt_ = ++attempt_;
  request_sent_at_ = ctx.now();
  ctx.send(server_, make_message(MsgType::acquire, Acquire{acquire_attempt_}));
  ctx.set_timer(slot(ClientTimer::retry), config_.retry_every);
}

void Client::on_grant(sim::Context& ctx, const Grant& grant) {
  if (!waiting_ || holding_ || grant.attempt != acquire_attempt_) return;  // stale or duplicate
  ctx.cancel_timer(slot(ClientTimer::retry));
  ctx.cancel_timer(slot(ClientTimer::acquire));
  // Conservative: the lease is counted from when the request left, on our own clock, so however
  // long the request and the grant spent in flight, our view ends no later than the server's
  // (up to clock drift).
  const sim::LocalTime valid_until = request_sent_at_ + config_.lease - config_.safety_margin;
  if (valid_until <= ctx.now()) {
    // The grant came too late to act on. Still waiting: ask again; the server answers a newer
    // request from its holder by ending that lease and granting a new token.
    ctx.set_timer(slot(ClientTimer::acquire), config_.retry_every);
    return;
  }
  waiting_ = false;
  holding_ = true;
  token_ = grant.token;
  valid_until_ = valid_until;
  renew_attempt_ = 0;
  ctx.observe(obs_.acquired, {{obs_.token, as_field(token_)}, {obs_.lease_ns, config_.lease.ns}});
  arm_lease_end(ctx);
  ctx.set_timer(slot(ClientTimer::renew), config_.renew_every);
  ctx.set_timer(slot(ClientTimer::write), sim::Duration::zero());
  ctx.set_timer(slot(ClientTimer::hold_end), ctx.sample(workload_.hold));
}

void Client::on_deny(sim::Context& ctx, const Deny& deny) {
  if (!waiting_ || deny.attempt != acquire_attempt_) return;
  ctx.cancel_timer(slot(ClientTimer::retry));
  ctx.set_timer(slot(ClientTimer::acquire), config_.retry_every);
}

void Client::on_renew_ok(sim::Context& ctx, const RenewOk& ok) {
  if (!holding_ || ok.attempt != renew_attempt_ || ok.token != token_) return;
  valid_until_ = renew_sent_at_ + config_.lease - config_.safety_margin;
  arm_lease_end(ctx);
  ctx.observe(obs_.renewed, {{obs_.token, as_field(token_)}});
}

void Client::on_renew_fail(sim::Context& ctx, const RenewFail& fail) {
  if (!holding_ || fail.token != token_) return;
  ctx.observe(obs_.lost, {{obs_.token, as_field(token_)}});
  stop_holding(ctx);
  schedule_next_acquire(ctx);
}

void Client::send_renew(sim::Context& ctx) {
  assert(holding_);
  renew_attempt_ = ++attempt_;
  renew_sent_at_ = ctx.now();
  ctx.send(server_, make_message(MsgType::renew, Renew{renew_attempt_, token_}));
  ctx.set_timer(slot(ClientTimer::renew), config_.renew_every);
}

// Checks only the belief flag, not a fresh clock reading: that is the hazard being modelled.
void Client::send_write(sim::Context& ctx) {
  assert(holding_);
  ctx.send(resource_, make_message(MsgType::write, Write{token_, ++seq_}));
  ctx.set_timer(slot(ClientTimer::write), workload_.write_every);
}

void Client::release(sim::Context& ctx) {
  assert(holding_);
  ctx.send(server_, make_message(MsgType::release, Release{token_}));
  ctx.observe(obs_.released, {{obs_.token, as_field(token_)}});
  stop_holding(ctx);
  schedule_next_acquire(ctx);
}

void Client::stop_holding(sim::Context& ctx) {
  assert(holding_);
  assert(!waiting_);
  holding_ = false;
  ctx.cancel_timer(slot(ClientTimer::lease_end));
  ctx.cancel_timer(slot(ClientTimer::renew));
  ctx.cancel_timer(slot(ClientTimer::write));
  ctx.cancel_timer(slot(ClientTimer::hold_end));
}

void Client::arm_lease_end(sim::Context& ctx) {
  const sim::Duration left = std::max(valid_until_ - ctx.now(), sim::Duration::zero());
  ctx.set_timer(slot(ClientTimer::lease_end), left);
}

void Client::schedule_next_acquire(sim::Context& ctx) {
  assert(!holding_);
  assert(!waiting_);
  ctx.set_timer(slot(ClientTimer::acquire), ctx.sample(workload_.acquire_every));
}

}  // namespace lockstep::protocols::lease_lock
