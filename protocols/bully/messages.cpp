#include "protocols/bully/messages.hpp"

#include <array>

#include "protocols/common/wire.hpp"

namespace lockstep::protocols::bully {
namespace {

// Index = MsgType. Lengths of each type's body, in 64-bit words.
constexpr std::array<size_t, kMsgTypeCount> kWords = {
    sim::wire::word_count<Election>(),     sim::wire::word_count<Answer>(),
    sim::wire::word_count<Coordinator>(),  sim::wire::word_count<Heartbeat>(),
    sim::wire::word_count<HeartbeatAck>(),
};

}  // namespace

std::vector<std::string_view> message_names() {
  return {"election", "answer", "coordinator", "heartbeat", "heartbeat_ack"};
}

std::vector<std::byte> encode(const sim::Message& message) {
  return sim::wire::encode(message, kWords);
}

std::optional<sim::Message> decode(std::span<const std::byte> bytes) {
  return sim::wire::decode(bytes, kWords);
}

}  // namespace lockstep::protocols::bully
