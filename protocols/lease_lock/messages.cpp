#include "protocols/lease_lock/messages.hpp"

#include <array>

#include "protocols/common/wire.hpp"

namespace lockstep::protocols::lease_lock {
namespace {

// Index = MsgType.
constexpr std::array<wire::Layout, kMsgTypeCount> kLayouts = {
    wire::layout_of<Acquire>(), wire::layout_of<Grant>(),   wire::layout_of<Deny>(),
    wire::layout_of<Renew>(),   wire::layout_of<RenewOk>(), wire::layout_of<RenewFail>(),
    wire::layout_of<Release>(), wire::layout_of<Write>(),
};

}  // namespace

std::vector<std::string_view> message_names() {
  return {"acquire", "grant", "deny", "renew", "renew_ok", "renew_fail", "release", "write"};
}

std::vector<std::byte> encode(const sim::Message& message) {
  return wire::encode(message, kLayouts);
}

std::optional<sim::Message> decode(std::span<const std::byte> bytes) {
  return wire::decode(bytes, kLayouts);
}

}  // namespace lockstep::protocols::lease_lock
