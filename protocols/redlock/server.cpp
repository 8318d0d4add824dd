#include "protocols/redlock/server.hpp"

#include <cassert>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols::redlock {

void Server::on_start(sim::Context& ctx) {
  obs_ = Observations::resolve(ctx.vocabulary());
  sim::Storage& store = ctx.durable();
  const int64_t boots = store.get(kBootsKey) + 1;
  store.put(kBootsKey, boots);
  counter_ = static_cast<uint64_t>(store.get(kCounterKey));
  // redis.io, "Distributed Locks with Redis", "Performance, crash recovery and fsync": a server
  // that restarts without its keys must stay unavailable for at least the longest TTL, so that
  // every lock it took part in has expired before it answers again.
  if (boots > 1 && config_.restart_delay > sim::Duration::zero()) {
    delaying_ = true;
    available_at_ = ctx.now() + config_.restart_delay;
  }
  if (config_.persistence && store.contains(kValueKey)) {
    has_key_ = true;
    value_ = static_cast<uint64_t>(store.get(kValueKey));
    holder_ = static_cast<sim::NodeIndex>(store.get(kHolderKey));
    assert(holder_ < ctx.directory().size());
    // A wall-clock expiry is an absolute time and survives; a monotonic clock restarts at boot,
    // so the stored expiry means nothing and the key gets its whole TTL again (conservative).
    expires_at_ = config_.expiry_clock == sim::ClockKind::wall
                      ? sim::LocalTime{store.get(kExpiresKey)}
                      : expiry_now(ctx) + config_.ttl;
  }
}

void Server::on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) {
  assert(from < ctx.directory().size());
  switch (static_cast<MsgType>(message.type)) {
    case MsgType::lock:
      return on_lock(ctx, from, message.as<Lock>());
    case MsgType::unlock:
      return on_unlock(ctx, message.as<Unlock>());
    default:
      assert(false && "message type a server never receives");
  }
}

void Server::on_timer(sim::Context&, sim::TimerSlot) { assert(false && "a server sets no timers"); }

// Redis drops an expired key when it is next touched (and in the background); either way a key
// is gone once the server's own clock passes its expiry, which is all Redlock relies on.
void Server::drop_if_expired(sim::Context& ctx) {
  if (!has_key_ || expiry_now(ctx) < expires_at_) return;
  ctx.observe(obs_.key_expired, {{obs_.holder, holder_}});
  forget_key(ctx);
}

void Server::on_lock(sim::Context& ctx, sim::NodeIndex from, const Lock& lock) {
  assert(lock.ttl_ns > 0);
  if (delaying_ && ctx.now() < available_at_) {
    ctx.observe(obs_.denied, {{obs_.client, from}}, "restart_delay");
    return reply(ctx, from, lock.attempt, false);
  }
  delaying_ = false;
  drop_if_expired(ctx);
  if (has_key_) {  // NX: the key exists, whoever set it
    ctx.observe(obs_.denied, {{obs_.client, from}}, "held");
    return reply(ctx, from, lock.attempt, false);
  }
  has_key_ = true;
  value_ = lock.value;
  holder_ = from;
  expires_at_ = expiry_now(ctx) + sim::Duration{static_cast<int64_t>(lock.ttl_ns)};
  ++counter_;
  sim::Storage& store = ctx.durable();
  store.put(kCounterKey, as_field(counter_));
  if (config_.persistence) {
    store.put(kValueKey, as_field(value_));
    store.put(kHolderKey, holder_);
    store.put(kExpiresKey, expires_at_.ns);
  }
  const int64_t token = config_.token ? as_field(counter_) : 0;
  ctx.observe(obs_.granted, {{obs_.holder, holder_}, {obs_.token, token}});
  reply(ctx, from, lock.attempt, true);
}

// The release script of the Redlock description: delete the key only if its value is ours, so
// a client never removes a lock another client acquired after its own expired.
void Server::on_unlock(sim::Context& ctx, const Unlock& unlock) {
  drop_if_expired(ctx);
  if (!has_key_ || value_ != unlock.value) return;
  ctx.observe(obs_.unlocked, {{obs_.holder, holder_}});
  forget_key(ctx);
}

void Server::forget_key(sim::Context& ctx) {
  assert(has_key_);
  has_key_ = false;
  holder_ = sim::kNoNode;
  if (config_.persistence) {
    ctx.durable().erase(kValueKey);
    ctx.durable().erase(kHolderKey);
    ctx.durable().erase(kExpiresKey);
  }
}

void Server::reply(sim::Context& ctx, sim::NodeIndex to, uint64_t attempt, bool granted) {
  const uint64_t token = granted && config_.token ? counter_ : 0;
  ctx.send(to, make_message(MsgType::lock_reply, LockReply{attempt, granted ? 1u : 0u, token}));
}

}  // namespace lockstep::protocols::redlock
