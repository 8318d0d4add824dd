#include "protocols/lease_lock/messages.hpp"

#include <array>

#include "protocols/common/wire.hpp"

namespace lockstep::protocols::lease_lock {
namespace {

// Index = MsgType. Lengths of each type's body, in uint64 words.
constexpr std::array<size_t, kMsgTypeCount> kWords = {
    sim::wire::word_count<Acquire>(), sim::wire::word_count<Grant>(),
    sim::wire::word_count<Deny>(),    sim::wire::word_count<Renew>(),
    sim::wire::word_count<RenewOk>(), sim::wire::word_count<RenewFail>(),
    sim::wire::word_count<Release>(), sim::wire::word_count<Write>(),
};

}  // namespace

std::vector<std::string_view> message_names() {
  return {"acquire", "grant", "deny", "renew", "renew_ok", "renew_fail", "release", "write"};
}

std::vector<std::byte> encode(const sim::Message& message) {
  return sim::wire::encode(message, kWords);
}

std::optional<sim::Message> decode(std::span<const std::byte> bytes) {
  return sim::wire::decode(bytes, kWords);
}

}  // namespace lockstep::protocols::lease_lock
