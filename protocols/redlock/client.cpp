#include "protocols/redlock/client.hpp"

#include <algorithm>
#include <cassert>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols::redlock {
namespace {

constexpr sim::TimerSlot slot(ClientTimer t) { return static_cast<sim::TimerSlot>(t); }

}  // namespace

Client::Client(const Config& config, const Workload& workload, std::vector<sim::NodeIndex> servers,
               sim::NodeIndex resource)
    : config_(config), workload_(workload), servers_(std::move(servers)), resource_(resource) {
  assert(!servers_.empty());
  assert(resource_ != sim::kNoNode);
}

void Client::on_start(sim::Context& ctx) {
  obs_ = Observations::resolve(ctx.vocabulary());
  assert(ctx.directory()[ctx.self()].role == kRoleClient);
  const int64_t boots = ctx.durable().get("boots") + 1;
  ctx.durable().put("boots", boots);
  attempt_ = static_cast<uint64_t>(boots) << 32;
  schedule(ctx, config_.start_after + ctx.sample(workload_.acquire_every));
}

void Client::on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) {
  assert(static_cast<MsgType>(message.type) == MsgType::lock_reply);
  const auto reply = message.as<LockReply>();
  // A late answer to a request we gave up on is ignored; the key it set expires by its TTL (or
  // goes with the unlock a failed attempt sends to every server).
  if (!acquiring_ || reply.attempt != attempt_ || from != servers_[asking_]) return;
  ctx.cancel_timer(slot(ClientTimer::server_timeout));
  if (reply.granted != 0) {
    ++granted_;
    token_ = std::max(token_, reply.token);
  }
  ask(ctx, asking_ + 1);
}

void Client::on_timer(sim::Context& ctx, sim::TimerSlot timer) {
  switch (static_cast<ClientTimer>(timer)) {
    case ClientTimer::acquire:
      if (!holding_ && !acquiring_) start_attempt(ctx);
      return;
    case ClientTimer::server_timeout:
      if (acquiring_) ask(ctx, asking_ + 1);
      return;
    case ClientTimer::validity_end:
      if (!holding_) return;
      ctx.observe(obs_.expired, {{obs_.token, as_field(token_)}});
      stop_holding(ctx);
      return schedule(ctx, ctx.sample(workload_.acquire_every));
    case ClientTimer::write:
      if (!holding_) return;
      ctx.send(resource_, make_message(MsgType::write, Write{token_, ++seq_}));
      ctx.set_timer(slot(ClientTimer::write), workload_.write_every);
      return;
    case ClientTimer::hold_end:
      if (!holding_) return;
      ctx.observe(obs_.released, {{obs_.token, as_field(token_)}});
      stop_holding(ctx);
      return schedule(ctx, ctx.sample(workload_.acquire_every));
  }
  assert(false && "unknown client timer slot");
}

// Redlock step 1: take the current time and a random value, then ask every server in turn.
void Client::start_attempt(sim::Context& ctx) {
  assert(!holding_ && !acquiring_);
  if (!waiting_) ctx.observe(obs_.requested, {});
  waiting_ = true;
  acquiring_ = true;
  value_ = ctx.rng().next_u64() | 1;  // never 0, so it never matches an empty key
  started_at_ = ctx.now();
  granted_ = 0;
  token_ = 0;
  ask(ctx, 0);
}

// Step 2: one server at a time, each with a timeout small against the TTL, so a server that is
// down costs the attempt only `server_timeout`.
void Client::ask(sim::Context& ctx, size_t index) {
  assert(acquiring_);
  assert(index <= servers_.size());
  if (index == servers_.size()) return finish_attempt(ctx);
  asking_ = index;
  ++attempt_;
  ctx.send(
      servers_[index],
      make_message(MsgType::lock, Lock{attempt_, value_, static_cast<uint64_t>(config_.ttl.ns)}));
  ctx.set_timer(slot(ClientTimer::server_timeout), config_.server_timeout);
}

// Steps 3 and 4: the lock is held if a majority granted it and validity is left; step 5: else
// unlock every server (also those that seemed not to answer) and retry after a random delay.
void Client::finish_attempt(sim::Context& ctx) {
  acquiring_ = false;
  const size_t quorum = servers_.size() / 2 + 1;
  const sim::Duration validity = config_.ttl - (ctx.now() - started_at_) - config_.drift();
  if (granted_ >= quorum && validity > sim::Duration::zero()) return hold(ctx, validity);
  ctx.observe(obs_.failed, {{obs_.granted_count, static_cast<int64_t>(granted_)}});
  unlock_all(ctx);
  const sim::DurationRange r = config_.retry_delay;
  schedule(ctx, sim::Duration{ctx.rng().between(r.min.ns, r.max.ns)});
}

void Client::hold(sim::Context& ctx, sim::Duration validity) {
  waiting_ = false;
  holding_ = true;
  ctx.observe(obs_.acquired, {{obs_.token, as_field(token_)}, {obs_.validity_ns, validity.ns}});
  ctx.set_timer(slot(ClientTimer::validity_end), validity);
  ctx.set_timer(slot(ClientTimer::write), sim::Duration::zero());
  ctx.set_timer(slot(ClientTimer::hold_end), ctx.sample(workload_.hold));
}

void Client::unlock_all(sim::Context& ctx) {
  for (const sim::NodeIndex s : servers_) {
    ctx.send(s, make_message(MsgType::unlock, Unlock{value_}));
  }
}

void Client::stop_holding(sim::Context& ctx) {
  assert(holding_);
  holding_ = false;
  unlock_all(ctx);
  ctx.cancel_timer(slot(ClientTimer::validity_end));
  ctx.cancel_timer(slot(ClientTimer::write));
  ctx.cancel_timer(slot(ClientTimer::hold_end));
}

void Client::schedule(sim::Context& ctx, sim::Duration after) {
  assert(!holding_ && !acquiring_);
  ctx.set_timer(slot(ClientTimer::acquire), after);
}

}  // namespace lockstep::protocols::redlock
