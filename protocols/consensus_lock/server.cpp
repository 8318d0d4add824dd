#include "protocols/consensus_lock/server.hpp"

#include <cassert>
#include <vector>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols::consensus_lock {
namespace {

constexpr sim::TimerSlot kLeaseCheck = raft::kFirstFreeTimer;
// How often the leader looks for expired leases (etcd's lessor checks every 500ms).
constexpr sim::Duration kLeaseCheckEvery = sim::Duration::millis(50);

raft::Entry entry(Op op, uint64_t a, uint64_t b, uint64_t c) {
  return raft::Entry{0, 0, static_cast<uint64_t>(op), {a, b, c}};
}

}  // namespace

void Server::on_start(sim::Context& ctx) {
  const sim::Vocabulary& v = ctx.vocabulary();
  granted_ = kind_id(v, "lock.granted");
  holder_key_ = key_id(v, "holder");
  token_key_ = key_id(v, "token");
  raft_.on_start(ctx);
  ctx.set_timer(kLeaseCheck, kLeaseCheckEvery);
}

void Server::on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) {
  if (message.type < kFirstClientType) return raft_.on_message(ctx, from, message);
  const auto r = message.as<Request>();
  switch (static_cast<MsgType>(message.type)) {
    case MsgType::acquire:
      return on_acquire(ctx, from, r);
    case MsgType::release:
      return on_release(ctx, from, r);
    case MsgType::keepalive:
      return on_keepalive(ctx, from, r);
    default:
      assert(false && "servers receive requests only");
  }
}

void Server::on_timer(sim::Context& ctx, sim::TimerSlot slot) {
  if (slot < raft::kFirstFreeTimer) return raft_.on_timer(ctx, slot);
  assert(slot == kLeaseCheck);
  check_leases(ctx);
  ctx.set_timer(kLeaseCheck, kLeaseCheckEvery);
}

void Server::on_durable(sim::Context& ctx, sim::StorageTicket ticket) {
  raft_.on_durable(ctx, ticket);
}

void Server::apply(sim::Context& ctx, uint64_t index, const raft::Entry& e) {
  machine_.apply(index, e);
  if (e.op == static_cast<uint64_t>(Op::session) && machine_.leases().count(index) != 0) {
    deadline_[index] = ctx.now() + sim::Duration{static_cast<int64_t>(e.args[2])};
  }
  if (e.op == static_cast<uint64_t>(Op::revoke)) {
    deadline_.erase(e.args[0]);
    revoking_.erase(e.args[0]);
  }
  answer_waiters(ctx);
}

void Server::reply(sim::Context& ctx, sim::NodeIndex to, MsgType type, Reply body) {
  ctx.send(to, make_message(type, body));
}

void Server::not_leader(sim::Context& ctx, sim::NodeIndex to, MsgType type, uint64_t req,
                        uint64_t lease) {
  const sim::NodeIndex leader = raft_.leader();
  const uint64_t hint = leader == sim::kNoNode ? 0 : uint64_t{leader} + 1;
  reply(ctx, to, type, Reply{req, static_cast<uint64_t>(Status::not_leader), 0, lease, hint});
}

// A retried acquire (same req) finds its session if it was applied; otherwise it is proposed
// again and the state machine applies it once.
void Server::on_acquire(sim::Context& ctx, sim::NodeIndex from, const Request& r) {
  if (!leading()) return not_leader(ctx, from, MsgType::acquire_reply, r.req);
  acquiring_[from] = r.req;
  told_.erase(from);
  if (machine_.lease_of(from, r.req).has_value()) return answer_waiters(ctx);
  raft_.propose(ctx, entry(Op::session, from, r.req, r.ttl_ns));
}

void Server::on_release(sim::Context& ctx, sim::NodeIndex from, const Request& r) {
  if (!leading()) return not_leader(ctx, from, MsgType::release_reply, r.req);
  if (machine_.released(from, r.req)) {
    return reply(ctx, from, MsgType::release_reply, Reply{r.req, 0, 0, 0, 0});
  }
  if (machine_.leases().count(r.lease) == 0) {
    return reply(ctx, from, MsgType::release_reply,
                 Reply{r.req, static_cast<uint64_t>(Status::gone), 0, 0, 0});
  }
  releasing_[from] = r.req;
  raft_.propose(ctx, entry(Op::revoke, r.lease, uint64_t{from} + 1, r.req));
}

void Server::on_keepalive(sim::Context& ctx, sim::NodeIndex from, const Request& r) {
  if (!leading()) return not_leader(ctx, from, MsgType::keepalive_reply, r.req, r.lease);
  auto it = machine_.leases().find(r.lease);
  if (it == machine_.leases().end() || revoking_.count(r.lease) != 0) {
    return reply(ctx, from, MsgType::keepalive_reply,
                 Reply{r.req, static_cast<uint64_t>(Status::gone), 0, r.lease, 0});
  }
  deadline_[r.lease] = ctx.now() + sim::Duration{it->second.ttl_ns};
  reply(ctx, from, MsgType::keepalive_reply, Reply{r.req, 0, 0, r.lease, 0});
}

// Each waiting client hears of its session's lease once, then of the lock when its key has the
// lowest create revision under the prefix: every lower key is gone (etcd's Mutex waits for the
// deletion of the key just below its own; the outcome is the same).
void Server::answer_waiters(sim::Context& ctx) {
  if (!leading()) return;
  const std::optional<uint64_t> holder = machine_.holder();
  for (auto it = acquiring_.begin(); it != acquiring_.end();) {
    const auto [client, req] = *it;
    const std::optional<uint64_t> lease = machine_.lease_of(client, req);
    if (!lease.has_value()) {
      ++it;
      continue;
    }
    if (holder == lease) {
      const uint64_t token = machine_.leases().at(*lease).create_revision;
      ctx.observe(granted_, {{holder_key_, client}, {token_key_, as_field(token)}});
      reply(ctx, client, MsgType::acquire_reply, Reply{req, 0, token, *lease, 0});
      told_.erase(client);
      it = acquiring_.erase(it);
      continue;
    }
    if (told_[client] != req) {
      told_[client] = req;
      reply(ctx, client, MsgType::acquire_reply, Reply{req, 0, 0, *lease, 0});
    }
    ++it;
  }
  for (auto it = releasing_.begin(); it != releasing_.end();) {
    if (!machine_.released(it->first, it->second)) {
      ++it;
      continue;
    }
    reply(ctx, it->first, MsgType::release_reply, Reply{it->second, 0, 0, 0, 0});
    it = releasing_.erase(it);
  }
}

// The leader's lessor: on promotion every lease gets a whole TTL again (the old leader's
// keepalives are unknown here); after that, a lease past its deadline is revoked through the log.
void Server::check_leases(sim::Context& ctx) {
  if (!leading()) {
    was_leader_ = false;
    revoking_.clear();
    return;
  }
  const sim::LocalTime now = ctx.now();
  if (!was_leader_) {
    was_leader_ = true;
    for (const auto& [id, lease] : machine_.leases()) {
      deadline_[id] = now + sim::Duration{lease.ttl_ns};
    }
    return;
  }
  std::vector<uint64_t> expired;  // proposing may apply at once (one server) and edit deadline_
  for (const auto& [id, deadline] : deadline_) {
    if (deadline <= now && revoking_.count(id) == 0) expired.push_back(id);
  }
  for (uint64_t id : expired) {
    revoking_.insert(id);
    raft_.propose(ctx, entry(Op::revoke, id, 0, 0));
  }
}

}  // namespace lockstep::protocols::consensus_lock
