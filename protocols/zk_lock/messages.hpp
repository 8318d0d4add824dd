// zk_lock's messages: a small slice of a coordination service's API (sessions, ephemeral
// sequential nodes under one lock path, one-shot deletion watches), plus the resource's writes
// and its sequencer check. Plain value structs inside sim::Message, and their wire encoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "protocols/common/fenced_resource.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::zk_lock {

// Type ids; the order indexes message_names() and is part of the wire format.
enum class MsgType : uint16_t {
  connect,
  connected,
  ping,
  pong,
  create,
  find,
  node_reply,
  check,
  check_reply,
  remove,
  remove_reply,
  notify,
  validate,
  validate_reply,
  write,
};
inline constexpr size_t kMsgTypeCount = 15;

// Replies carry a status.
enum class Status : uint64_t { ok = 0, exists = 1, no_session = 2, not_found = 3 };

struct Connect {
  uint64_t attempt;
  uint64_t timeout_ns;
};
struct Connected {
  uint64_t attempt;
  uint64_t session;
};
// `sent_ns` is the client's own monotonic reading when it sent the ping, echoed back so the
// client can count its session from a time it knows is no later than the server's.
struct Ping {
  uint64_t session;
  uint64_t sent_ns;
};
struct Pong {
  uint64_t session;
  uint64_t sent_ns;
  uint64_t alive;  // 0: the server has expired (or never knew) the session
};
// Create an ephemeral node under the lock path: sequential in the queue variants, the one plain
// node in `race`.
struct Create {
  uint64_t session;
  uint64_t req;
};
// Which node under the lock path does this session own? (The recipe's answer to a create whose
// reply was lost: ZooKeeper's recipe puts the session id in the node's name for this.)
struct Find {
  uint64_t session;
  uint64_t req;
};
// The reply to Create and Find: the node's sequence number and creation id (czxid). With
// `exists` (race), `seq` names the node that is there and the server has set a watch on it.
struct NodeReply {
  uint64_t req;
  uint64_t status;
  uint64_t seq;
  uint64_t czxid;
};
// getChildren, then exists(watch) on the node to wait for, done as one step: is `seq` the
// lowest? If not, the server sets a one-shot watch and says which node it watches.
struct Check {
  uint64_t session;
  uint64_t req;
  uint64_t seq;
};
struct CheckReply {
  uint64_t req;
  uint64_t status;
  uint64_t lowest;   // 1: seq is the lowest node, the caller holds the lock
  uint64_t watched;  // the node watched when not lowest
};
struct Remove {
  uint64_t session;
  uint64_t req;
  uint64_t seq;
};
struct RemoveReply {
  uint64_t req;
};
// A one-shot watch fired: node `seq` was deleted.
struct Notify {
  uint64_t seq;
};
// Chubby's CheckSequencer (§2.4): is `token` still the czxid of the lock holder's node?
struct Validate {
  uint64_t token;
  uint64_t writer;
  uint64_t seq;
};
struct ValidateReply {
  uint64_t token;
  uint64_t writer;
  uint64_t seq;
  uint64_t valid;
};
using Write = ResourceWrite;

std::vector<std::string_view> message_names();

template <class T>
sim::Message make_message(MsgType type, const T& body) {
  return sim::Message::of(static_cast<uint16_t>(type), body);
}

std::vector<std::byte> encode(const sim::Message& message);
std::optional<sim::Message> decode(std::span<const std::byte> bytes);

}  // namespace lockstep::protocols::zk_lock
