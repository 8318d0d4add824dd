#include "protocols/zk_lock/messages.hpp"

#include <array>

#include "protocols/common/wire.hpp"

namespace lockstep::protocols::zk_lock {
namespace {

constexpr std::array<wire::Layout, kMsgTypeCount> kLayouts = {
    wire::layout_of<Connect>(),
    wire::layout_of<Connected>(),
    wire::layout_of<Ping>(),
    wire::layout_of<Pong>(0b100),
    wire::layout_of<Create>(),
    wire::layout_of<Find>(),
    wire::layout_of<NodeReply>(),
    wire::layout_of<Check>(),
    wire::layout_of<CheckReply>(0b0100),
    wire::layout_of<Remove>(),
    wire::layout_of<RemoveReply>(),
    wire::layout_of<Notify>(),
    wire::layout_of<Validate>(),
    wire::layout_of<ValidateReply>(0b1000),
    wire::layout_of<Write>(),
};

}  // namespace

std::vector<std::string_view> message_names() {
  return {"connect",      "connected",  "ping",     "pong",           "create",
          "find",         "node_reply", "check",    "check_reply",    "remove",
          "remove_reply", "notify",     "validate", "validate_reply", "write"};
}

std::vector<std::byte> encode(const sim::Message& message) {
  return wire::encode(message, kLayouts);
}

std::optional<sim::Message> decode(std::span<const std::byte> bytes) {
  return wire::decode(bytes, kLayouts);
}

}  // namespace lockstep::protocols::zk_lock
