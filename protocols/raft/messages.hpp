// Raft's messages (Raft paper Fig. 2): plain value structs that travel inside sim::Message, plus
// the byte encoding the live runtime puts on the wire. AppendEntries carries its entries as the
// message's payload (a run of Entry); without replication it is an empty heartbeat.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "protocols/common/wire.hpp"
#include "protocols/raft/log.hpp"
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
// last_log_index / last_log_term: the candidate's log position for the up-to-date rule (§5.4.1).
struct RequestVote {
  uint64_t term;
  uint64_t last_log_index;
  uint64_t last_log_term;
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
// prev_log_index / prev_log_term: the entry the payload's entries follow (the consistency
// check, §5.3); leader_commit: the leader's commit index.
struct AppendEntries {
  uint64_t term;
  uint64_t round;
  uint64_t prev_log_index;
  uint64_t prev_log_term;
  uint64_t leader_commit;
};
// success: the follower accepted the sender as leader of this term (it counts for the heartbeat
// round and check_quorum). mismatch: the consistency check failed; `match` is then a hint, the
// follower's last index, where the leader retries (the optimisation §5.3 closes with); otherwise
// `match` is the last index known to match the leader's log.
struct AppendResponse {
  uint64_t term;
  uint64_t success;
  uint64_t round;
  uint64_t mismatch;
  uint64_t match;
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
// Header-only messages (an AppendEntries with entries is refused: use decode_view).
std::optional<sim::Message> decode(std::span<const std::byte> bytes);
// Any message: the header and a view of the payload's bytes (a run of Entry for AppendEntries).
std::optional<wire::DecodedView> decode_view(std::span<const std::byte> bytes);

}  // namespace lockstep::protocols::raft
