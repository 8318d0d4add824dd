#include "protocols/lease_election/messages.hpp"

#include <array>

#include "protocols/common/wire.hpp"

namespace lockstep::protocols::lease_election {
namespace {

// Index = MsgType.
constexpr std::array<wire::Layout, kMsgTypeCount> kLayouts = {
    wire::layout_of<Get>(),      wire::layout_of<GetReply>(),       wire::layout_of<Update>(),
    wire::layout_of<UpdateOk>(), wire::layout_of<UpdateConflict>(), wire::layout_of<Write>(),
};

}  // namespace

std::vector<std::string_view> message_names() {
  return {"get", "get_reply", "update", "update_ok", "update_conflict", "write"};
}

std::vector<std::byte> encode(const sim::Message& message) {
  return wire::encode(message, kLayouts);
}

std::optional<sim::Message> decode(std::span<const std::byte> bytes) {
  return wire::decode(bytes, kLayouts);
}

}  // namespace lockstep::protocols::lease_election
