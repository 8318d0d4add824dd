#include "protocols/redlock/messages.hpp"

#include <array>

#include "protocols/common/wire.hpp"

namespace lockstep::protocols::redlock {
namespace {

constexpr std::array<wire::Layout, kMsgTypeCount> kLayouts = {
    wire::layout_of<Lock>(),
    wire::layout_of<LockReply>(0b010),  // granted is a boolean
    wire::layout_of<Unlock>(),
    wire::layout_of<Write>(),
};

}  // namespace

std::vector<std::string_view> message_names() { return {"lock", "lock_reply", "unlock", "write"}; }

std::vector<std::byte> encode(const sim::Message& message) {
  return wire::encode(message, kLayouts);
}

std::optional<sim::Message> decode(std::span<const std::byte> bytes) {
  return wire::decode(bytes, kLayouts);
}

}  // namespace lockstep::protocols::redlock
