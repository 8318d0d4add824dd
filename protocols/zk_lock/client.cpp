#include "protocols/zk_lock/client.hpp"

#include <algorithm>
#include <cassert>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols::zk_lock {
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
  assert(ctx.directory()[ctx.self()].role == kRoleClient);
  const int64_t boots = ctx.durable().get("boots") + 1;
  ctx.durable().put("boots", boots);
  req_ = static_cast<uint64_t>(boots) << 32;
  connect(ctx);
}

void Client::on_message(sim::Context& ctx, [[maybe_unused]] sim::NodeIndex from,
                        const sim::Message& m) {
  assert(from == server_ && "a client hears only from the server");
  switch (static_cast<MsgType>(m.type)) {
    case MsgType::connected:
      return on_connected(ctx, m.as<Connected>());
    case MsgType::pong:
      return on_pong(ctx, m.as<Pong>());
    case MsgType::node_reply:
      return on_node_reply(ctx, m.as<NodeReply>());
    case MsgType::check_reply:
      return on_check_reply(ctx, m.as<CheckReply>());
    case MsgType::notify:
      return on_notify(ctx, m.as<Notify>());
    case MsgType::remove_reply:
      if (phase_ != Phase::removing || m.as<RemoveReply>().req != req_) return;
      ctx.cancel_timer(slot(ClientTimer::request));
      phase_ = Phase::idle;
      return schedule(ctx, ctx.sample(workload_.acquire_every));
    default:
      assert(false && "message type a client never receives");
  }
}

void Client::on_timer(sim::Context& ctx, sim::TimerSlot timer) {
  switch (static_cast<ClientTimer>(timer)) {
    case ClientTimer::connect_retry:
      if (session_ == 0) connect(ctx);
      return;
    case ClientTimer::ping:
      if (session_ == 0) return;
      ctx.send(server_,
               make_message(MsgType::ping, Ping{session_, static_cast<uint64_t>(ctx.now().ns)}));
      ctx.set_timer(slot(ClientTimer::ping), config_.ping_every);
      return;
    case ClientTimer::session_end:
      return on_session_end(ctx);
    case ClientTimer::acquire:
      if (session_ != 0 && phase_ == Phase::idle) start(ctx);
      return;
    case ClientTimer::request:
      return on_request_timeout(ctx);
    case ClientTimer::write:
      if (phase_ != Phase::holding) return;
      ctx.send(resource_, make_message(MsgType::write, Write{token_, ++writes_}));
      ctx.set_timer(slot(ClientTimer::write), workload_.write_every);
      return;
    case ClientTimer::hold_end:
      if (phase_ == Phase::holding) release(ctx);
      return;
  }
  assert(false && "unknown client timer slot");
}

void Client::connect(sim::Context& ctx) {
  assert(session_ == 0);
  connect_attempt_ = ++req_;
  connect_sent_at_ = ctx.now();
  ctx.send(server_, make_message(MsgType::connect,
                                 Connect{connect_attempt_,
                                         static_cast<uint64_t>(config_.session_timeout.ns)}));
  ctx.set_timer(slot(ClientTimer::connect_retry), config_.request_timeout);
}

void Client::on_connected(sim::Context& ctx, const Connected& c) {
  if (session_ != 0 || c.attempt != connect_attempt_) return;
  ctx.cancel_timer(slot(ClientTimer::connect_retry));
  session_ = c.session;
  jeopardy_ = false;
  valid_until_ = connect_sent_at_ + config_.session_timeout;
  arm_session_end(ctx);
  ctx.set_timer(slot(ClientTimer::ping), config_.ping_every);
  // A client that was waiting when it lost its session asks again soon.
  sim::Duration after = config_.request_timeout;
  if (first_session_) {
    after = config_.start_after + ctx.sample(workload_.acquire_every);
  } else if (!waiting_) {
    after = ctx.sample(workload_.acquire_every);
  }
  first_session_ = false;
  schedule(ctx, after);
}

// The session lasts at least until the ping's send time plus the timeout on the server's clock:
// the server heard the ping no earlier than we sent it (up to clock rate differences).
void Client::on_pong(sim::Context& ctx, const Pong& p) {
  if (p.session != session_ || session_ == 0) return;
  if (p.alive == 0) return lose_session(ctx, true);
  valid_until_ = std::max(
      valid_until_, sim::LocalTime{static_cast<int64_t>(p.sent_ns)} + config_.session_timeout);
  jeopardy_ = false;
  arm_session_end(ctx);
}

// Chubby §2.8: when the local lease timeout passes, the client is in jeopardy and waits a grace
// period for the session to come back before it declares it expired.
void Client::on_session_end(sim::Context& ctx) {
  if (session_ == 0) return;
  if (config_.grace > sim::Duration::zero() && !jeopardy_) {
    jeopardy_ = true;
    ctx.observe(obs_.jeopardy, {{obs_.session, as_field(session_)}});
    ctx.set_timer(slot(ClientTimer::session_end), config_.grace);
    return;
  }
  lose_session(ctx, false);
}

void Client::lose_session(sim::Context& ctx, bool by_server) {
  assert(session_ != 0);
  ctx.observe(obs_.session_lost, {{obs_.session, as_field(session_)}});
  if (phase_ == Phase::holding) {
    ctx.observe(by_server ? obs_.lost : obs_.expired, {{obs_.token, as_field(token_)}});
  }
  for (const ClientTimer t : {ClientTimer::ping, ClientTimer::session_end, ClientTimer::acquire,
                              ClientTimer::request, ClientTimer::write, ClientTimer::hold_end}) {
    ctx.cancel_timer(slot(t));
  }
  // Our ephemeral node goes with the session (a removing client has nothing left to remove).
  phase_ = Phase::idle;
  session_ = 0;
  connect(ctx);
}

void Client::on_node_reply(sim::Context& ctx, const NodeReply& r) {
  if ((phase_ != Phase::creating && phase_ != Phase::finding) || r.req != req_) return;
  ctx.cancel_timer(slot(ClientTimer::request));
  switch (static_cast<Status>(r.status)) {
    case Status::ok:
      seq_ = r.seq;
      token_ = r.czxid;
      return config_.variant == Variant::race ? hold(ctx) : send_check(ctx);
    case Status::exists:  // race: the lock node is there and the server watches it for us
      return wait_for(ctx, r.seq);
    case Status::not_found:
      return send_create(ctx);
    case Status::no_session:
      return lose_session(ctx, true);
  }
  assert(false && "unknown status");
}

void Client::on_check_reply(sim::Context& ctx, const CheckReply& r) {
  if (phase_ != Phase::checking || r.req != req_) return;
  ctx.cancel_timer(slot(ClientTimer::request));
  if (static_cast<Status>(r.status) == Status::no_session) return lose_session(ctx, true);
  if (r.lowest != 0) return hold(ctx);
  wait_for(ctx, r.watched);
}

// ZooKeeper delivers a session's replies and watch events in order; the simulated network may
// not, so a notification can overtake the reply that set its watch. Such a node is already gone:
// look again at once instead of waiting for a notification that has come and gone.
void Client::wait_for(sim::Context& ctx, uint64_t seq) {
  phase_ = Phase::waiting;
  watched_ = seq;
  if (std::find(early_.begin(), early_.end(), seq) == early_.end()) return;
  early_.clear();
  if (config_.variant == Variant::race) return send_create(ctx);
  send_check(ctx);
}

// Recipe step 5: when the watch fires, go back to getChildren (the predecessor may have gone
// without the lock ever being ours: look again rather than assume).
void Client::on_notify(sim::Context& ctx, const Notify& n) {
  if (phase_ == Phase::checking || phase_ == Phase::creating || phase_ == Phase::finding) {
    if (early_.size() < kMaxEarly) early_.push_back(n.seq);
    return;
  }
  if (phase_ != Phase::waiting || n.seq != watched_) return;
  early_.clear();
  if (config_.variant == Variant::race) return send_create(ctx);
  send_check(ctx);
}

// The recipe's guard against a lost create reply (ZooKeeper Recipes, "Locks", "Recoverable
// errors and the GUID"): before creating again, look for a node this session already created.
void Client::on_request_timeout(sim::Context& ctx) {
  switch (phase_) {
    case Phase::creating:
      return config_.find_on_retry ? send_find(ctx) : send_create(ctx);
    case Phase::finding:
      return send_find(ctx);
    case Phase::checking:
      return send_check(ctx);
    case Phase::removing:
      return send_remove(ctx);
    default:
      return;
  }
}

void Client::start(sim::Context& ctx) {
  assert(phase_ == Phase::idle);
  if (!waiting_) ctx.observe(obs_.requested, {});
  waiting_ = true;
  send_create(ctx);
}

void Client::send_create(sim::Context& ctx) {
  phase_ = Phase::creating;
  ctx.send(server_, make_message(MsgType::create, Create{session_, ++req_}));
  ctx.set_timer(slot(ClientTimer::request), config_.request_timeout);
}

void Client::send_find(sim::Context& ctx) {
  phase_ = Phase::finding;
  ctx.send(server_, make_message(MsgType::find, Find{session_, ++req_}));
  ctx.set_timer(slot(ClientTimer::request), config_.request_timeout);
}

void Client::send_check(sim::Context& ctx) {
  phase_ = Phase::checking;
  ctx.send(server_, make_message(MsgType::check, Check{session_, ++req_, seq_}));
  ctx.set_timer(slot(ClientTimer::request), config_.request_timeout);
}

void Client::send_remove(sim::Context& ctx) {
  phase_ = Phase::removing;
  ctx.send(server_, make_message(MsgType::remove, Remove{session_, ++req_, seq_}));
  ctx.set_timer(slot(ClientTimer::request), config_.request_timeout);
}

void Client::hold(sim::Context& ctx) {
  early_.clear();
  phase_ = Phase::holding;
  waiting_ = false;
  ctx.observe(obs_.acquired, {{obs_.token, as_field(token_)}});
  ctx.set_timer(slot(ClientTimer::write), sim::Duration::zero());
  ctx.set_timer(slot(ClientTimer::hold_end), ctx.sample(workload_.hold));
}

void Client::release(sim::Context& ctx) {
  assert(phase_ == Phase::holding);
  ctx.observe(obs_.released, {{obs_.token, as_field(token_)}});
  ctx.cancel_timer(slot(ClientTimer::write));
  send_remove(ctx);
}

void Client::arm_session_end(sim::Context& ctx) {
  ctx.set_timer(slot(ClientTimer::session_end),
                std::max(valid_until_ - ctx.now(), sim::Duration::zero()));
}

void Client::schedule(sim::Context& ctx, sim::Duration after) {
  ctx.set_timer(slot(ClientTimer::acquire), after);
}

}  // namespace lockstep::protocols::zk_lock
