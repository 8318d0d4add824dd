// The lease-election protocol's messages: the coordination store's Get and compare-and-swap
// Update with their replies, and the leader's writes to the resource. Plain value structs that
// travel inside sim::Message, plus the byte encoding the live runtime puts on the wire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "protocols/common/fenced_resource.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::lease_election {

// Message type ids; the order is the index into message_names() and is part of the wire format.
enum class MsgType : uint16_t {
  get,
  get_reply,
  update,
  update_ok,
  update_conflict,
  write,
};
inline constexpr size_t kMsgTypeCount = 6;

inline constexpr uint64_t kNoHolder = UINT64_MAX;

// The lease record, as client-go's LeaderElectionRecord keeps it (without the acquire time,
// which nothing here reads).
struct Record {
  uint64_t holder;            // node index, or kNoHolder
  uint64_t transitions;       // leadership changes so far: the leader's term and fencing token
  int64_t lease_duration_ns;  // as the holder declared it; informational
  // The holder's wall clock when it wrote the record. Opaque: nobody else judges expiry by it,
  // because the holder's clock and the reader's clock may disagree by minutes.
  int64_t renew_time_ns;

  bool operator==(const Record&) const = default;
};

// `req` pairs a reply with its request, so a late reply to an abandoned request is ignored.
struct Get {
  uint64_t req;
};
struct GetReply {
  uint64_t req;
  uint64_t version;  // 0: no one has written the record yet
  Record record;
};
// Applied only if the record's version is still `expected_version`.
struct Update {
  uint64_t req;
  uint64_t expected_version;
  Record record;
};
struct UpdateOk {
  uint64_t req;
  uint64_t version;  // the version the update created
};
// The update was refused: here is the record as it stands.
struct UpdateConflict {
  uint64_t req;
  uint64_t version;
  Record record;
};
using Write = ResourceWrite;

// Message type id -> name, for traces (index = MsgType value).
std::vector<std::string_view> message_names();

template <class T>
sim::Message make_message(MsgType type, const T& body) {
  return sim::Message::of(static_cast<uint16_t>(type), body);
}

// Wire form: one type byte (it also versions the layout: a changed layout gets a new type id),
// then each 64-bit field of the body in declaration order (a Record's fields in place),
// little-endian, signed fields in two's complement. Nothing else.
std::vector<std::byte> encode(const sim::Message& message);
// Rejects unknown type bytes and any length other than the type's exact length.
std::optional<sim::Message> decode(std::span<const std::byte> bytes);

}  // namespace lockstep::protocols::lease_election
