// Raft leader election's messages: plain value structs that travel inside sim::Message, plus the
// byte encoding the live runtime puts on the wire. There is no log replication, so AppendEntries
// is always an empty heartbeat.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "sim/core/process.hpp"

namespace lockstep::protocols::raft {

// Message type ids; the order is the index into message_names() and is part of the wire format.
enum class MsgType : uint16_t {
  request_vote,
  vote,
  append_entries,
  append_response,
};
inline constexpr size_t kMsgTypeCount = 4;

// Every body starts with the sender's term, so the term rules can read it without the type.
// Booleans travel as 0 or 1 in a uint64 word (anything else is rejected on decode).
//
// A PreVote is a RequestVote with prevote = 1 whose term is the one the sender would campaign in
// (its own term + 1); the sender does not move to that term unless the PreVote round succeeds.
struct RequestVote {
  uint64_t term;
  uint64_t log_length;
  uint64_t prevote;
};
// A granted PreVote answer carries the PreVote's term; every other answer the voter's own term.
struct Vote {
  uint64_t term;
  uint64_t granted;
  uint64_t prevote;
};
// `round` numbers the leader's heartbeat rounds within its term and is echoed in the response,
// so a late answer to an earlier round never counts toward confirming the current one.
struct AppendEntries {
  uint64_t term;
  uint64_t round;
};
struct AppendResponse {
  uint64_t term;
  uint64_t success;
  uint64_t round;
};

// Message type id -> name, for traces (index = MsgType value).
std::vector<std::string_view> message_names();

template <class T>
sim::Message make_message(MsgType type, const T& body) {
  return sim::Message::of(static_cast<uint16_t>(type), body);
}

// The term every message body starts with.
uint64_t term_of(const sim::Message& message);

// Wire form: one type byte (it also versions the layout: a changed layout gets a new type id),
// then each uint64 field of the body in declaration order, little-endian. Nothing else.
std::vector<std::byte> encode(const sim::Message& message);
// Rejects unknown type bytes, any length other than the type's exact length, and boolean fields
// other than 0 or 1.
std::optional<sim::Message> decode(std::span<const std::byte> bytes);

}  // namespace lockstep::protocols::raft
