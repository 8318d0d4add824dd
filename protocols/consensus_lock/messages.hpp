// consensus_lock's messages: Raft's four (ids 0-3, protocols/raft/messages.hpp) between the
// servers, then the client requests and replies and the write to the guarded resource. Every
// client message is one of two plain bodies.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "protocols/common/fenced_resource.hpp"
#include "protocols/raft/messages.hpp"

namespace lockstep::protocols::consensus_lock {

enum class MsgType : uint16_t {
  acquire = raft::kMsgTypeCount,  // client -> server: a session (lease + lock key) and the lock
  acquire_reply,                  // the lock is the client's, with its token; or a leader hint
  release,                        // client -> server: revoke the session's lease
  release_reply,
  keepalive,  // client -> server: refresh the lease (held by the leader, as etcd's lessor does)
  keepalive_reply,
  write,        // client -> resource: a ResourceWrite
  write_reply,  // resource -> client: a ResourceAck (only with `record_writes`)
};
inline constexpr uint16_t kFirstClientType = raft::kMsgTypeCount;
inline constexpr size_t kMsgTypeCount = raft::kMsgTypeCount + 8;

// `req` numbers the client's operations (a retry repeats it, so the service applies it once).
struct Request {
  uint64_t req;
  uint64_t lease;   // release, keepalive: the session's lease
  uint64_t ttl_ns;  // acquire: the lease's time to live
};

enum class Status : uint64_t { ok = 0, not_leader = 1, gone = 2 };

// value: acquire's lease id; hint: a node index + 1 the server believes leads (0: unknown).
struct Reply {
  uint64_t req;
  uint64_t status;
  uint64_t token;
  uint64_t value;
  uint64_t hint;
};

std::vector<std::string_view> message_names();

template <class T>
sim::Message make_message(MsgType type, const T& body) {
  return sim::Message::of(static_cast<uint16_t>(type), body);
}

}  // namespace lockstep::protocols::consensus_lock
