// The lease-lock protocol's messages: plain value structs that travel inside sim::Message, plus
// the byte encoding the live runtime puts on the wire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "protocols/common/fenced_resource.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::lease_lock {

// Message type ids; the order is the index into message_names() and is part of the wire format.
enum class MsgType : uint16_t {
  acquire,
  grant,
  deny,
  renew,
  renew_ok,
  renew_fail,
  release,
  write,
};
inline constexpr size_t kMsgTypeCount = 8;

// `attempt` pairs an answer with the request it answers, so a late answer to an abandoned
// request is recognised and ignored.
struct Acquire {
  uint64_t attempt;
};
struct Grant {
  uint64_t attempt;
  uint64_t token;
};
struct Deny {
  uint64_t attempt;
};
struct Renew {
  uint64_t attempt;
  uint64_t token;
};
struct RenewOk {
  uint64_t attempt;
  uint64_t token;
};
struct RenewFail {
  uint64_t attempt;
  uint64_t token;
};
struct Release {
  uint64_t token;
};
using Write = ResourceWrite;

// Message type id -> name, for traces (index = MsgType value).
std::vector<std::string_view> message_names();

template <class T>
sim::Message make_message(MsgType type, const T& body) {
  return sim::Message::of(static_cast<uint16_t>(type), body);
}

// Wire form: one type byte (it also versions the layout: a changed layout gets a new type id),
// then each uint64 field of the body in declaration order, little-endian. Nothing else.
std::vector<std::byte> encode(const sim::Message& message);
// Rejects unknown type bytes and any length other than the type's exact length.
std::optional<sim::Message> decode(std::span<const std::byte> bytes);

}  // namespace lockstep::protocols::lease_lock
