#include "protocols/heartbeat/heartbeat.hpp"

#include "protocols/common/wire.hpp"

#include <array>
#include <cassert>
#include <stdexcept>
#include <string>

namespace lockstep::protocols::heartbeat {
namespace {

constexpr sim::TimerSlot kBeatSlot = static_cast<sim::TimerSlot>(NodeTimer::beat);
constexpr std::array<wire::Layout, 1> kLayouts = {wire::layout_of<Beat>()};

}  // namespace

Node::Node(sim::Duration interval) : interval_(interval) {
  assert(interval_ > sim::Duration::zero());
}

void Node::on_start(sim::Context& ctx) {
  const size_t n = ctx.directory().size();
  assert(ctx.self() < n);
  // Sized once: deliveries only store into it.
  last_heard_.assign(n, sim::LocalTime{});
  const int64_t i = ctx.self();
  ctx.set_timer(kBeatSlot, sim::Duration{interval_.ns * i / static_cast<int64_t>(n)});
}

void Node::on_message(sim::Context& ctx, sim::NodeIndex from,
                      [[maybe_unused]] const sim::Message& message) {
  assert(from < last_heard_.size());
  assert(message.type == kBeatType);
  last_heard_[from] = ctx.now();
}

void Node::on_timer(sim::Context& ctx, [[maybe_unused]] sim::TimerSlot slot) {
  assert(slot == kBeatSlot);
  const sim::Message beat = sim::Message::of(kBeatType, Beat{++seq_});
  const auto n = static_cast<sim::NodeIndex>(last_heard_.size());
  const sim::NodeIndex self = ctx.self();
  for (sim::NodeIndex to = 0; to < n; ++to) {
    if (to != self) ctx.send(to, beat);
  }
  ctx.set_timer(kBeatSlot, interval_);
}

std::vector<sim::ParamSpec> param_specs() {
  return {{"interval", sim::ParamType::duration, "10ms",
           "Time between two heartbeats from one node to all the others."}};
}

std::vector<std::string_view> message_names() { return {"beat"}; }

sim::ProtocolSpec spec() {
  return {
      .name = "heartbeat",
      .summary =
          "Every node sends a heartbeat to every other node at a fixed interval: the "
          "benchmark workload.",
      .roles = {{kRoleNode, "Beats to all the others and records when it heard each."}},
      .params = param_specs(),
      .workload = {},
      .messages = message_names(),
      .fields = {},
      .observations = {},
      .claims = {},
      .make = &make,
  };
}

std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup) {
  if (setup.info.role != kRoleNode) {
    throw std::invalid_argument("heartbeat: unknown role '" + setup.info.role + "' for node '" +
                                setup.info.id + "'");
  }
  const sim::Duration interval = setup.params.duration("interval");
  if (interval <= sim::Duration::zero()) {
    throw std::invalid_argument("heartbeat: param 'interval' must be greater than 0s");
  }
  return std::make_unique<Node>(interval);
}

std::vector<std::byte> encode(const sim::Message& message) {
  return wire::encode(message, kLayouts);
}

std::optional<sim::Message> decode(std::span<const std::byte> bytes) {
  return wire::decode(bytes, kLayouts);
}

}  // namespace lockstep::protocols::heartbeat
