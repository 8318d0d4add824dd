#include "protocols/lease_election/resource.hpp"

#include <cassert>

#include "protocols/lease_election/config.hpp"

namespace lockstep::protocols::lease_election {

void Resource::on_start(sim::Context& ctx) {
  assert(ctx.directory()[ctx.self()].role == kRoleResource);
  highest_ = static_cast<uint64_t>(ctx.durable().get(kHighestKey));
}

void Resource::on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) {
  assert(message.type == static_cast<uint16_t>(MsgType::write) && "a resource only takes writes");
  const Write write = message.as<Write>();
  const auto token = static_cast<int64_t>(write.token);
  if (fencing_ && write.token < highest_) {
    ctx.observe(sim::Kind::resource_rejected,
                {{sim::Key::writer, from},
                 {sim::Key::token, token},
                 {sim::Key::highest, static_cast<int64_t>(highest_)}});
    return;
  }
  if (write.token > highest_) {
    highest_ = write.token;
    ctx.durable().put(kHighestKey, token);
  }
  ctx.observe(sim::Kind::resource_write, {{sim::Key::writer, from}, {sim::Key::token, token}});
}

void Resource::on_timer(sim::Context&, sim::TimerSlot) {
  assert(false && "the resource sets no timers");
}

}  // namespace lockstep::protocols::lease_election
