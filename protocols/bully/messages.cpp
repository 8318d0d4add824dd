#include "protocols/bully/messages.hpp"

#include <array>

#include "protocols/common/wire.hpp"

namespace lockstep::protocols::bully {
namespace {

// Index = MsgType.
constexpr std::array<wire::Layout, kMsgTypeCount> kLayouts = {
    wire::layout_of<Election>(),  wire::layout_of<Answer>(),       wire::layout_of<Coordinator>(),
    wire::layout_of<Heartbeat>(), wire::layout_of<HeartbeatAck>(),
};

}  // namespace

std::vector<std::string_view> message_names() {
  return {"election", "answer", "coordinator", "heartbeat", "heartbeat_ack"};
}

std::vector<std::byte> encode(const sim::Message& message) {
  return wire::encode(message, kLayouts);
}

std::optional<sim::Message> decode(std::span<const std::byte> bytes) {
  return wire::decode(bytes, kLayouts);
}

}  // namespace lockstep::protocols::bully
