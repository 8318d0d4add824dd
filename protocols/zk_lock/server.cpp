#include "protocols/zk_lock/server.hpp"

#include <algorithm>
#include <cassert>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols::zk_lock {
namespace {

constexpr sim::TimerSlot slot(ServerTimer t) { return static_cast<sim::TimerSlot>(t); }

}  // namespace

void Server::on_start(sim::Context& ctx) {
  obs_ = Observations::resolve(ctx.vocabulary());
  // A restarted server has lost its sessions and nodes (they live in memory here); the counter
  // survives so tokens keep growing.
  zxid_ = static_cast<uint64_t>(ctx.durable().get(kZxidKey));
  next_seq_ = zxid_;
  next_session_ = std::max(zxid_, static_cast<uint64_t>(ctx.durable().get(kSessionKey)));
}

size_t Server::watch_count() const {
  size_t n = 0;
  for (const auto& [seq, sessions] : watches_) n += sessions.size();
  return n;
}

void Server::on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& m) {
  assert(from < ctx.directory().size());
  switch (static_cast<MsgType>(m.type)) {
    case MsgType::connect:
      return on_connect(ctx, from, m.as<Connect>());
    case MsgType::ping:
      return on_ping(ctx, from, m.as<Ping>());
    case MsgType::create:
      return on_create(ctx, from, m.as<Create>());
    case MsgType::find:
      return on_find(ctx, from, m.as<Find>());
    case MsgType::check:
      return on_check(ctx, from, m.as<Check>());
    case MsgType::remove:
      return on_remove(ctx, from, m.as<Remove>());
    case MsgType::validate:
      return on_validate(ctx, from, m.as<Validate>());
    default:
      assert(false && "message type the server never receives");
  }
}

void Server::on_timer(sim::Context& ctx, sim::TimerSlot timer) {
  if (timer == slot(ServerTimer::session_check)) return expire_sessions(ctx);
  assert(timer == slot(ServerTimer::lock_delay));
  while (!doomed_.empty() && doomed_.begin()->first <= ctx.now()) {
    for (const uint64_t seq : doomed_.begin()->second) delete_node(ctx, seq, "lock_delay");
    doomed_.erase(doomed_.begin());
  }
  arm_lock_delay(ctx);
}

uint64_t Server::next_zxid(sim::Context& ctx) {
  ++zxid_;
  ctx.durable().put(kZxidKey, as_field(zxid_));
  return zxid_;
}

bool Server::touch(sim::Context& ctx, uint64_t session) {
  const auto it = sessions_.find(session);
  if (it == sessions_.end()) return false;
  it->second.last_heard = ctx.now();
  return true;
}

void Server::on_connect(sim::Context& ctx, sim::NodeIndex from, const Connect& c) {
  assert(c.timeout_ns > 0);
  const uint64_t id = ++next_session_;
  ctx.durable().put(kSessionKey, as_field(id));
  sessions_[id] = Session{from, sim::Duration{static_cast<int64_t>(c.timeout_ns)}, ctx.now()};
  ctx.observe(obs_.session_opened, {{obs_.client, from}, {obs_.session, as_field(id)}});
  ctx.send(from, make_message(MsgType::connected, Connected{c.attempt, id}));
  arm_session_check(ctx);
}

void Server::on_ping(sim::Context& ctx, sim::NodeIndex from, const Ping& p) {
  const bool alive = touch(ctx, p.session);
  ctx.send(from, make_message(MsgType::pong, Pong{p.session, p.sent_ns, alive ? 1u : 0u}));
}

void Server::on_create(sim::Context& ctx, sim::NodeIndex from, const Create& c) {
  if (!touch(ctx, c.session)) return reply_node(ctx, from, c.req, Status::no_session);
  if (config_.variant == Variant::race) {
    if (asked_.insert(c.session).second) ctx.observe(obs_.enqueued, {{obs_.client, from}});
    if (!nodes_.empty()) {  // the lock node exists: set a watch on it (exists with watch)
      const uint64_t seq = nodes_.begin()->first;
      watch(seq, c.session);
      return reply_node(ctx, from, c.req, Status::exists, seq, nodes_.begin()->second.czxid);
    }
    asked_.erase(c.session);
  } else {
    ctx.observe(obs_.enqueued, {{obs_.client, from}});
  }
  const uint64_t czxid = next_zxid(ctx);
  const uint64_t seq = config_.variant == Variant::race ? czxid : ++next_seq_;
  nodes_[seq] = ZNode{c.session, from, czxid, false};
  ctx.observe(obs_.node_created,
              {{obs_.client, from}, {obs_.seq, as_field(seq)}, {obs_.token, as_field(czxid)}});
  reply_node(ctx, from, c.req, Status::ok, seq, czxid);
}

void Server::on_find(sim::Context& ctx, sim::NodeIndex from, const Find& f) {
  if (!touch(ctx, f.session)) return reply_node(ctx, from, f.req, Status::no_session);
  for (const auto& [seq, node] : nodes_) {
    if (node.session == f.session && !node.doomed) {
      return reply_node(ctx, from, f.req, Status::ok, seq, node.czxid);
    }
  }
  reply_node(ctx, from, f.req, Status::not_found);
}

// The Locks recipe, steps 2-5 (zookeeper.apache.org, "ZooKeeper Recipes and Solutions",
// "Locks"): getChildren; if our node is the lowest we hold the lock; otherwise call exists()
// with a watch on the node with the next lowest sequence number (herd: on the lowest).
void Server::on_check(sim::Context& ctx, sim::NodeIndex from, const Check& c) {
  const auto mine = nodes_.find(c.seq);
  if (!touch(ctx, c.session) || mine == nodes_.end() || mine->second.session != c.session) {
    ctx.send(from,
             make_message(MsgType::check_reply,
                          CheckReply{c.req, static_cast<uint64_t>(Status::no_session), 0, 0}));
    return;
  }
  if (mine == nodes_.begin()) {
    ctx.send(from, make_message(MsgType::check_reply, CheckReply{c.req, 0, 1, 0}));
    return;
  }
  const uint64_t target =
      config_.variant == Variant::herd ? nodes_.begin()->first : std::prev(mine)->first;
  watch(target, c.session);
  ctx.send(from, make_message(MsgType::check_reply, CheckReply{c.req, 0, 0, target}));
}

void Server::on_remove(sim::Context& ctx, sim::NodeIndex from, const Remove& r) {
  touch(ctx, r.session);
  const auto it = nodes_.find(r.seq);
  if (it != nodes_.end() && it->second.session == r.session && !it->second.doomed) {
    delete_node(ctx, r.seq, "released");
  }
  ctx.send(from, make_message(MsgType::remove_reply, RemoveReply{r.req}));
}

// CheckSequencer: the token is current while the node it was created as is still the lowest
// (the lock holder's) and its session lives.
void Server::on_validate(sim::Context& ctx, sim::NodeIndex from, const Validate& v) {
  const bool valid =
      !nodes_.empty() && nodes_.begin()->second.czxid == v.token && !nodes_.begin()->second.doomed;
  ctx.send(from, make_message(MsgType::validate_reply,
                              ValidateReply{v.token, v.writer, v.seq, valid ? 1u : 0u}));
}

void Server::expire_sessions(sim::Context& ctx) {
  std::vector<uint64_t> silent;
  for (const auto& [id, s] : sessions_) {
    if (ctx.now() - s.last_heard >= s.timeout) silent.push_back(id);
  }
  for (const uint64_t id : silent) expire(ctx, id);
  arm_session_check(ctx);
}

// ZooKeeper Programmer's Guide, "Ephemeral Nodes": they exist as long as the session that
// created them; when it ends they are deleted. With a lock delay (Chubby §2.4) the holder's node
// stays for `lock_delay` first, so no one else is granted the lock while the lost holder may
// still act on it.
void Server::expire(sim::Context& ctx, uint64_t session) {
  const Session s = sessions_.at(session);
  sessions_.erase(session);
  asked_.erase(session);
  ctx.observe(obs_.session_expired, {{obs_.client, s.client}, {obs_.session, as_field(session)}});
  std::vector<uint64_t> owned;
  for (const auto& [seq, node] : nodes_) {
    if (node.session == session && !node.doomed) owned.push_back(seq);
  }
  for (const uint64_t seq : owned) {
    const bool holder = seq == nodes_.begin()->first;
    if (holder && config_.lock_delay > sim::Duration::zero()) {
      nodes_.at(seq).doomed = true;
      doomed_[ctx.now() + config_.lock_delay].push_back(seq);
      arm_lock_delay(ctx);
      continue;
    }
    delete_node(ctx, seq, "session_expired");
  }
}

// One-shot watches (Programmer's Guide, "ZooKeeper Watches"): each fires once, on the node's
// deletion, and is then gone.
void Server::delete_node(sim::Context& ctx, uint64_t seq, std::string_view why) {
  const auto it = nodes_.find(seq);
  assert(it != nodes_.end());
  ctx.observe(obs_.node_deleted, {{obs_.client, it->second.client}, {obs_.seq, as_field(seq)}},
              why);
  nodes_.erase(it);
  next_zxid(ctx);
  const auto w = watches_.find(seq);
  if (w == watches_.end()) return;
  const std::set<uint64_t> watchers = std::move(w->second);
  watches_.erase(w);
  for (const uint64_t session : watchers) {
    const auto s = sessions_.find(session);
    if (s == sessions_.end()) continue;
    ctx.observe(obs_.watch_fired, {{obs_.client, s->second.client}, {obs_.seq, as_field(seq)}});
    ctx.send(s->second.client, make_message(MsgType::notify, Notify{seq}));
  }
}

void Server::watch(uint64_t seq, uint64_t session) {
  assert(nodes_.count(seq) == 1);
  watches_[seq].insert(session);
}

void Server::arm_session_check(sim::Context& ctx) {
  if (sessions_.empty()) return ctx.cancel_timer(slot(ServerTimer::session_check));
  sim::LocalTime earliest =
      sessions_.begin()->second.last_heard + sessions_.begin()->second.timeout;
  for (const auto& [id, s] : sessions_) earliest = std::min(earliest, s.last_heard + s.timeout);
  ctx.set_timer(slot(ServerTimer::session_check),
                std::max(earliest - ctx.now(), sim::Duration::zero()));
}

void Server::arm_lock_delay(sim::Context& ctx) {
  if (doomed_.empty()) return ctx.cancel_timer(slot(ServerTimer::lock_delay));
  ctx.set_timer(slot(ServerTimer::lock_delay),
                std::max(doomed_.begin()->first - ctx.now(), sim::Duration::zero()));
}

void Server::reply_node(sim::Context& ctx, sim::NodeIndex to, uint64_t req, Status status,
                        uint64_t seq, uint64_t czxid) {
  ctx.send(to, make_message(MsgType::node_reply,
                            NodeReply{req, static_cast<uint64_t>(status), seq, czxid}));
}

}  // namespace lockstep::protocols::zk_lock
