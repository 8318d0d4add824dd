// Redlock's messages: plain value structs inside sim::Message, and their wire encoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "protocols/common/fenced_resource.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::redlock {

// Type ids; the order indexes message_names() and is part of the wire format.
enum class MsgType : uint16_t { lock, lock_reply, unlock, write };
inline constexpr size_t kMsgTypeCount = 4;

// SET lock `value` NX PX `ttl_ns`. `attempt` pairs the reply with this request.
struct Lock {
  uint64_t attempt;
  uint64_t value;
  uint64_t ttl_ns;
};
// OK (granted = 1) or nil (0). `token` is the server's grant number when tokens are on, else 0.
struct LockReply {
  uint64_t attempt;
  uint64_t granted;
  uint64_t token;
};
// Compare-and-delete: delete the key only if it still holds `value`.
struct Unlock {
  uint64_t value;
};
using Write = ResourceWrite;

std::vector<std::string_view> message_names();

template <class T>
sim::Message make_message(MsgType type, const T& body) {
  return sim::Message::of(static_cast<uint16_t>(type), body);
}

std::vector<std::byte> encode(const sim::Message& message);
std::optional<sim::Message> decode(std::span<const std::byte> bytes);

}  // namespace lockstep::protocols::redlock
