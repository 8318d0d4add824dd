// The replicated lock service's state machine (etcd v3-like, much reduced): leases with a TTL,
// keys attached to a lease, one global revision. A lock is a key under the lock's prefix; the
// key's create revision orders the waiters and is the fencing token (etcd's concurrency.Mutex
// grants the lock to the key with the lowest create revision under the prefix). Every server
// applies the same entries in the same order (Raft, §5.3), so every server holds the same state.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "protocols/raft/log.hpp"
#include "sim/core/event.hpp"

namespace lockstep::protocols::consensus_lock {

// Entry ops (raft::Entry::op; 0 is Raft's no-op).
enum class Op : uint64_t { noop = 0, session = 1, revoke = 2 };

struct Lease {
  sim::NodeIndex client;
  uint64_t req;  // the acquire that created it (a retried acquire finds it)
  int64_t ttl_ns;
  uint64_t create_revision;  // of its lock key: the token
};

class Machine {
 public:
  // Applies one committed entry at `index`. A session entry creates lease `index` and its lock
  // key (unless that client's request already made one); a revoke deletes a lease and its key.
  void apply(uint64_t index, const raft::Entry& e);

  uint64_t revision() const { return revision_; }
  const std::map<uint64_t, Lease>& leases() const { return leases_; }
  // The lease a client's acquire `req` created, if it is alive.
  std::optional<uint64_t> lease_of(sim::NodeIndex client, uint64_t req) const;
  // The lock's holder: the live key with the lowest create revision (no key: nobody).
  std::optional<uint64_t> holder() const;
  // Whether `client`'s release `req` has been applied (a retried release is answered ok).
  bool released(sim::NodeIndex client, uint64_t req) const;

 private:
  uint64_t revision_ = 0;
  std::map<uint64_t, Lease> leases_;             // lease id -> lease (one lock key each)
  std::map<uint64_t, uint64_t> by_revision_;     // create revision -> lease id
  std::map<sim::NodeIndex, uint64_t> released_;  // client -> its last applied release req
};

}  // namespace lockstep::protocols::consensus_lock
