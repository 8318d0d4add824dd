#include "protocols/lease_lock/server.hpp"

#include <cassert>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols::lease_lock {
namespace {

constexpr sim::TimerSlot kLeaseCheck = static_cast<sim::TimerSlot>(ServerTimer::lease_check);

}  // namespace

void Server::on_start(sim::Context& ctx) {
  obs_ = Observations::resolve(ctx.vocabulary());
  sim::Storage& store = ctx.durable();
  const int64_t boots = store.get(kBootsKey) + 1;
  store.put(kBootsKey, boots);
  // The counter holds the last token handed out; before the first grant it sits just below
  // token_start.
  counter_ = store.contains(kCounterKey) ? static_cast<uint64_t>(store.get(kCounterKey))
                                         : config_.token_start - 1;
  if (boots > 1 && config_.restart_grace > sim::Duration::zero()) {
    // Chubby's lock-delay: a holder we forgot may still be acting on its lease.
    in_restart_grace_ = true;
    grace_until_ = ctx.now() + config_.restart_grace;
  }
  if (config_.durable_state && store.contains(kHolderKey)) {
    holder_ = static_cast<sim::NodeIndex>(store.get(kHolderKey));
    token_ = static_cast<uint64_t>(store.get(kTokenKey));
    assert(holder_ < ctx.directory().size());
    assert(token_ <= counter_);
    // We do not know how much of the lease was left at the crash: assume all of it.
    expires_at_ = expiry_now(ctx) + config_.lease;
    ctx.set_timer(kLeaseCheck, config_.lease);
  }
}

void Server::on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) {
  assert(from < ctx.directory().size());
  switch (static_cast<MsgType>(message.type)) {
    case MsgType::acquire:
      return on_acquire(ctx, from, message.as<Acquire>());
    case MsgType::renew:
      return on_renew(ctx, from, message.as<Renew>());
    case MsgType::release:
      return on_release(ctx, from, message.as<Release>());
    default:
      assert(false && "message type the server never receives");
  }
}

void Server::on_timer(sim::Context& ctx, [[maybe_unused]] sim::TimerSlot slot) {
  assert(slot == kLeaseCheck);
  on_lease_check(ctx);
}

bool Server::lease_live(const sim::Context& ctx) const {
  return holder_ != sim::kNoNode && expiry_now(ctx) < expires_at_;
}

void Server::on_acquire(sim::Context& ctx, sim::NodeIndex from, const Acquire& acquire) {
  if (lease_live(ctx)) {
    if (holder_ != from) return deny(ctx, from, acquire.attempt, {});
    // A client's attempt numbers only grow. The same attempt again is a duplicate of the request
    // this lease answered: send the same grant. An older one is stale: ignore it.
    if (acquire.attempt == holder_attempt_) {
      ctx.send(from, make_message(MsgType::grant, Grant{acquire.attempt, token_}));
      return;
    }
    if (acquire.attempt < holder_attempt_) return;
    // A newer request from the holder means it let go or gave up on its grant; its Release may
    // still be on the way. Answering with the same token would let that late Release end the
    // new lease, so the old lease ends here and the new request gets a new token.
    end_lease(ctx, "superseded");
    return grant(ctx, from, acquire.attempt);
  }
  if (in_restart_grace_ && ctx.now() < grace_until_) {
    return deny(ctx, from, acquire.attempt, "restart_grace");
  }
  in_restart_grace_ = false;
  if (holder_ != sim::kNoNode) end_lease(ctx, "expired");
  grant(ctx, from, acquire.attempt);
}

void Server::on_renew(sim::Context& ctx, sim::NodeIndex from, const Renew& renew) {
  if (holder_ == from && renew.token == token_ && lease_live(ctx)) {
    expires_at_ = expiry_now(ctx) + config_.lease;
    ctx.send(from, make_message(MsgType::renew_ok, RenewOk{renew.attempt, renew.token}));
    return;
  }
  ctx.send(from, make_message(MsgType::renew_fail, RenewFail{renew.attempt, renew.token}));
}

void Server::on_release(sim::Context& ctx, sim::NodeIndex from, const Release& release) {
  if (holder_ != from || release.token != token_) return;  // a stale or duplicated release
  end_lease(ctx, "released");
  ctx.cancel_timer(kLeaseCheck);
}

void Server::on_lease_check(sim::Context& ctx) {
  if (holder_ == sim::kNoNode) return;
  const sim::LocalTime now = expiry_now(ctx);
  if (now >= expires_at_) return end_lease(ctx, "expired");
  // Renewed since the timer was set (or the wall clock stepped back): look again when the
  // current expiry comes due.
  ctx.set_timer(kLeaseCheck, expires_at_ - now);
}

void Server::grant(sim::Context& ctx, sim::NodeIndex client, uint64_t attempt) {
  assert(holder_ == sim::kNoNode);
  ++counter_;
  ctx.durable().put(kCounterKey, as_field(counter_));
  holder_ = client;
  holder_attempt_ = attempt;
  token_ = counter_;
  expires_at_ = expiry_now(ctx) + config_.lease;
  if (config_.durable_state) {
    ctx.durable().put(kHolderKey, holder_);
    ctx.durable().put(kTokenKey, as_field(token_));
  }
  ctx.observe(obs_.granted, {{obs_.holder, holder_}, {obs_.token, as_field(token_)}});
  ctx.send(client, make_message(MsgType::grant, Grant{attempt, token_}));
  ctx.set_timer(kLeaseCheck, config_.lease);
}

void Server::end_lease(sim::Context& ctx, std::string_view why) {
  assert(holder_ != sim::kNoNode);
  ctx.observe(obs_.lease_ended, {{obs_.holder, holder_}, {obs_.token, as_field(token_)}}, why);
  holder_ = sim::kNoNode;
  if (config_.durable_state) {
    ctx.durable().erase(kHolderKey);
    ctx.durable().erase(kTokenKey);
  }
}

void Server::deny(sim::Context& ctx, sim::NodeIndex client, uint64_t attempt,
                  std::string_view why) {
  ctx.send(client, make_message(MsgType::deny, Deny{attempt}));
  ctx.observe(obs_.denied, {{obs_.client, client}}, why);
}

}  // namespace lockstep::protocols::lease_lock
