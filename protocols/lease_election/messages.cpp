#include "protocols/lease_election/messages.hpp"

#include <array>

#include "protocols/common/wire.hpp"

namespace lockstep::protocols::lease_election {
namespace {

// Index = MsgType. Lengths of each type's body, in 64-bit words.
constexpr std::array<size_t, kMsgTypeCount> kWords = {
    sim::wire::word_count<Get>(),
    sim::wire::word_count<GetReply>(),
    sim::wire::word_count<Update>(),
    sim::wire::word_count<UpdateOk>(),
    sim::wire::word_count<UpdateConflict>(),
    sim::wire::word_count<Write>(),
};

}  // namespace

std::vector<std::string_view> message_names() {
  return {"get", "get_reply", "update", "update_ok", "update_conflict", "write"};
}

std::vector<std::byte> encode(const sim::Message& message) {
  return sim::wire::encode(message, kWords);
}

std::optional<sim::Message> decode(std::span<const std::byte> bytes) {
  return sim::wire::decode(bytes, kWords);
}

}  // namespace lockstep::protocols::lease_election
