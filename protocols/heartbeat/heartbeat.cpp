#include "protocols/heartbeat/heartbeat.hpp"

#include <cassert>
#include <stdexcept>
#include <string>

namespace lockstep::protocols::heartbeat {
namespace {

constexpr sim::TimerSlot kBeatSlot = static_cast<sim::TimerSlot>(NodeTimer::beat);
constexpr size_t kWireBytes = 1 + sizeof(uint64_t);

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

void Node::on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) {
  assert(from < last_heard_.size());
  assert(message.type == kBeatType);
  (void)message;
  last_heard_[from] = ctx.now();
}

void Node::on_timer(sim::Context& ctx, sim::TimerSlot slot) {
  assert(slot == kBeatSlot);
  (void)slot;
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
  assert(message.type == kBeatType);
  const uint64_t seq = message.as<Beat>().seq;
  std::vector<std::byte> out(kWireBytes);
  out[0] = static_cast<std::byte>(kBeatType);
  for (size_t b = 0; b < 8; ++b) out[1 + b] = static_cast<std::byte>((seq >> (8 * b)) & 0xff);
  return out;
}

std::optional<sim::Message> decode(std::span<const std::byte> bytes) {
  if (bytes.size() != kWireBytes || bytes[0] != static_cast<std::byte>(kBeatType)) {
    return std::nullopt;
  }
  uint64_t seq = 0;
  for (size_t b = 0; b < 8; ++b) seq |= static_cast<uint64_t>(bytes[1 + b]) << (8 * b);
  return sim::Message::of(kBeatType, Beat{seq});
}

}  // namespace lockstep::protocols::heartbeat
