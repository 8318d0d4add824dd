// The bully protocol's messages: plain value structs that travel inside sim::Message, plus the
// byte encoding the live runtime puts on the wire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "sim/core/process.hpp"

namespace lockstep::protocols::bully {

// Message type ids; the order is the index into message_names() and is part of the wire format.
enum class MsgType : uint16_t {
  election,
  answer,
  coordinator,
  heartbeat,
  heartbeat_ack,
};
inline constexpr size_t kMsgTypeCount = 5;

// Every message carries the highest term its sender has seen, so terms spread with any traffic
// and a new coordinator can always pick one above every term it could have heard of.
// Messages that ask "who outranks whom" carry the sender's priority: a node cannot read the
// other nodes' params, so ranks travel with the messages.
struct Election {
  uint64_t term;
  int64_t priority;
};
struct Answer {
  uint64_t term;
};
struct Coordinator {
  uint64_t term;
  int64_t priority;
};
struct Heartbeat {
  uint64_t term;
  uint64_t round;
  int64_t priority;
};
// `accepted` is 1 when the sender follows the heartbeat's coordinator; only those acks count
// towards the majority that confirms a coordinator.
struct HeartbeatAck {
  uint64_t term;
  uint64_t round;
  uint64_t accepted;
};

// Message type id -> name, for traces (index = MsgType value).
std::vector<std::string_view> message_names();

template <class T>
sim::Message make_message(MsgType type, const T& body) {
  return sim::Message::of(static_cast<uint16_t>(type), body);
}

// Wire form: one type byte (it also versions the layout: a changed layout gets a new type id),
// then each 64-bit field of the body in declaration order, little-endian (signed fields in two's
// complement). Nothing else.
std::vector<std::byte> encode(const sim::Message& message);
// Rejects unknown type bytes and any length other than the type's exact length.
std::optional<sim::Message> decode(std::span<const std::byte> bytes);

}  // namespace lockstep::protocols::bully
