#include "protocols/lease_election/candidate.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

#include "protocols/common/fields.hpp"

namespace lockstep::protocols::lease_election {
namespace {

constexpr sim::TimerSlot slot(CandidateTimer t) { return static_cast<sim::TimerSlot>(t); }

}  // namespace

Candidate::Candidate(const Config& config, const Workload& workload, sim::NodeIndex store,
                     sim::NodeIndex resource)
    : config_(config), workload_(workload), store_(store), resource_(resource) {
  assert(store_ != sim::kNoNode);
  assert(store_ != resource_);
}

void Candidate::on_start(sim::Context& ctx) {
  obs_ = ElectionObservations::resolve(ctx.vocabulary());
  assert(ctx.directory()[ctx.self()].role == kRoleCandidate);
  assert(ctx.directory()[store_].role == kRoleStore);
  assert(resource_ == sim::kNoNode || ctx.directory()[resource_].role == kRoleResource);
  self_ = ctx.self();
  const int64_t boots = ctx.durable().get(kBootsKey) + 1;
  ctx.durable().put(kBootsKey, boots);
  req_ = static_cast<uint64_t>(boots) << 32;
  tick(ctx);
}

void Candidate::on_message(sim::Context& ctx, [[maybe_unused]] sim::NodeIndex from,
                           const sim::Message& message) {
  assert(from == store_ && "a candidate hears only from the store");
  switch (static_cast<MsgType>(message.type)) {
    case MsgType::get_reply:
      return on_get_reply(ctx, message.as<GetReply>());
    case MsgType::update_ok:
      return on_update_ok(ctx, message.as<UpdateOk>());
    case MsgType::update_conflict:
      return on_update_conflict(ctx, message.as<UpdateConflict>());
    default:
      assert(false && "message type a candidate never receives");
  }
}

void Candidate::on_timer(sim::Context& ctx, sim::TimerSlot timer) {
  switch (static_cast<CandidateTimer>(timer)) {
    case CandidateTimer::tick:
      return tick(ctx);
    case CandidateTimer::renew_deadline:
      assert(leading_ && "stepping down cancels the deadline");
      return step_down(ctx, "renew_deadline");
    case CandidateTimer::write:
      // Checks only the belief flag, not a fresh clock reading: after a pause this write goes
      // out before the deadline timer (due later) can end the belief. That is the hazard.
      assert(leading_ && "stepping down cancels the writes");
      return send_write(ctx);
  }
  assert(false && "unknown candidate timer slot");
}

void Candidate::tick(sim::Context& ctx) {
  ctx.set_timer(slot(CandidateTimer::tick), config_.retry_period);
  // The leader renews straight away: a compare-and-swap on the version it wrote last fails with
  // the current record if anything changed, which tells it as much as a Get would.
  if (leading_) return send_update(ctx, Request::renew, term_);
  pending_ = Request::get;
  ++req_;
  sent_at_ = ctx.now();
  ctx.send(store_, make_message(MsgType::get, Get{req_}));
}

void Candidate::on_get_reply(sim::Context& ctx, const GetReply& reply) {
  if (pending_ != Request::get || reply.req != req_) return;  // late or duplicated
  pending_ = Request::none;
  observe_record(ctx, reply.version, reply.record);
  if (!leading_) try_acquire(ctx);
}

void Candidate::on_update_ok(sim::Context& ctx, const UpdateOk& ok) {
  if (ok.req != req_) return;
  const Request kind = std::exchange(pending_, Request::none);
  if (kind == Request::acquire) return become_leader(ctx, ok.version);
  if (kind == Request::renew && leading_) return renewed(ctx, ok.version);
}

void Candidate::on_update_conflict(sim::Context& ctx, const UpdateConflict& conflict) {
  if (conflict.req != req_) return;
  const Request kind = std::exchange(pending_, Request::none);
  observe_record(ctx, conflict.version, conflict.record);
  if (kind != Request::renew || !leading_) return;  // a lost race to acquire: keep waiting
  if (conflict.record.holder != self_ || conflict.record.transitions != term_) {
    return step_down(ctx, "lease_lost");
  }
  // Still ours: a renewal whose answer we abandoned was applied. Renew on that version next
  // time; without its answer we cannot credit it, so the deadline stands.
  version_ = conflict.version;
}

// client-go's rule: whether a record changed is judged by comparing it with the last one seen,
// and its age by this node's monotonic clock since that moment.
void Candidate::observe_record(sim::Context& ctx, uint64_t version, const Record& record) {
  if (record.transitions > highest_term_seen_) {
    highest_term_seen_ = record.transitions;
    ctx.observe(obs_.term_changed, {{obs_.term, as_field(highest_term_seen_)}});
  }
  if (!have_observed_ || version != observed_version_ || record.holder != observed_.holder) {
    have_observed_ = true;
    observed_version_ = version;
    observed_at_ = ctx.now();
  }
  observed_ = record;
}

void Candidate::try_acquire(sim::Context& ctx) {
  assert(!leading_);
  assert(have_observed_);
  const bool held_by_other = observed_.holder != kNoHolder && observed_.holder != self_;
  // Expired only once observed_at + lease_duration < now, strictly.
  if (held_by_other && ctx.now() <= observed_at_ + config_.lease_duration) return;
  // Taking over from someone else (or from no one) is a transition; re-taking a record that
  // still names us is not, as in client-go.
  const uint64_t term =
      observed_.holder == self_ ? observed_.transitions : observed_.transitions + 1;
  ctx.observe(obs_.started, {{obs_.term, as_field(term)}, {obs_.prevote, 0}});
  send_update(ctx, Request::acquire, term);
}

void Candidate::send_update(sim::Context& ctx, Request kind, uint64_t transitions) {
  assert(kind == Request::acquire || kind == Request::renew);
  const uint64_t expected = kind == Request::renew ? version_ : observed_version_;
  sent_record_ =
      Record{self_, transitions, config_.lease_duration.ns, ctx.now(sim::ClockKind::wall).ns};
  pending_ = kind;
  ++req_;
  sent_at_ = ctx.now();
  ctx.send(store_, make_message(MsgType::update, Update{req_, expected, sent_record_}));
}

void Candidate::become_leader(sim::Context& ctx, uint64_t version) {
  assert(!leading_);
  leading_ = true;
  term_ = sent_record_.transitions;
  seq_ = 0;
  ctx.observe(obs_.elected, {{obs_.term, as_field(term_)}});
  credit_write(ctx, version);
  if (resource_ != sim::kNoNode) ctx.set_timer(slot(CandidateTimer::write), sim::Duration::zero());
}

void Candidate::renewed(sim::Context& ctx, uint64_t version) {
  credit_write(ctx, version);
  ctx.observe(obs_.confirmed, {{obs_.term, as_field(term_)}});
}

// The renew deadline counts from when the successful request left, not from when its answer
// came: the store applied it somewhere in between, so this is the conservative end.
void Candidate::credit_write(sim::Context& ctx, uint64_t version) {
  assert(leading_);
  assert(sent_record_.holder == self_);
  assert(sent_record_.transitions == term_);
  version_ = version;
  observe_record(ctx, version, sent_record_);
  const sim::Duration left =
      std::max(sent_at_ + config_.renew_deadline - ctx.now(), sim::Duration::zero());
  ctx.set_timer(slot(CandidateTimer::renew_deadline), left);
}

void Candidate::step_down(sim::Context& ctx, std::string_view why) {
  assert(leading_);
  leading_ = false;
  ctx.cancel_timer(slot(CandidateTimer::renew_deadline));
  ctx.cancel_timer(slot(CandidateTimer::write));
  ctx.observe(obs_.stepped_down, {{obs_.term, as_field(term_)}}, why);
}

void Candidate::send_write(sim::Context& ctx) {
  assert(leading_);
  assert(resource_ != sim::kNoNode);
  ctx.send(resource_, make_message(MsgType::write, Write{term_, ++seq_}));
  ctx.set_timer(slot(CandidateTimer::write), workload_.write_every);
}

}  // namespace lockstep::protocols::lease_election
