#include "protocols/zk_lock/resource.hpp"

#include <cassert>

#include "protocols/common/fenced_resource.hpp"
#include "protocols/common/fields.hpp"

namespace lockstep::protocols::zk_lock {

void CheckingResource::on_start(sim::Context& ctx) {
  obs_ = Observations::resolve(ctx.vocabulary());
  highest_ = static_cast<uint64_t>(ctx.durable().get(FencedResource::kHighestKey));
}

void CheckingResource::on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& m) {
  if (static_cast<MsgType>(m.type) == MsgType::validate_reply) {
    assert(from == server_);
    return on_verdict(ctx, m.as<ValidateReply>());
  }
  assert(static_cast<MsgType>(m.type) == MsgType::write);
  const auto w = m.as<Write>();
  ctx.send(server_, make_message(MsgType::validate, Validate{w.token, from, w.seq}));
}

void CheckingResource::on_verdict(sim::Context& ctx, const ValidateReply& r) {
  const auto writer = static_cast<sim::NodeIndex>(r.writer);
  assert(writer < ctx.directory().size());
  if (r.valid == 0 || (fencing_ && r.token < highest_)) {
    ctx.observe(obs_.rejected, {{obs_.writer, writer},
                                {obs_.token, as_field(r.token)},
                                {obs_.highest, as_field(highest_)}});
    return;
  }
  if (r.token > highest_) {
    highest_ = r.token;
    ctx.durable().put(FencedResource::kHighestKey, as_field(highest_));
  }
  ctx.observe(obs_.write, {{obs_.writer, writer}, {obs_.token, as_field(r.token)}});
}

void CheckingResource::on_timer(sim::Context&, sim::TimerSlot) {
  assert(false && "the resource sets no timers");
}

}  // namespace lockstep::protocols::zk_lock
