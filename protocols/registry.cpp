#include "protocols/registry.hpp"

#include "protocols/bully/bully.hpp"
#include "protocols/consensus_lock/consensus_lock.hpp"
#include "protocols/heartbeat/heartbeat.hpp"
#include "protocols/lease_election/lease_election.hpp"
#include "protocols/lease_lock/lease_lock.hpp"
#include "protocols/raft/raft.hpp"
#include "protocols/redlock/redlock.hpp"
#include "protocols/token_ring/token_ring.hpp"
#include "protocols/zk_lock/zk_lock.hpp"

namespace lockstep::protocols {

// The order is part of the trace hash (a kind's id is its place in the catalog's vocabulary):
// append new protocols at the end.
std::vector<sim::ProtocolSpec> protocol_specs() {
  return {lease_lock::spec(), heartbeat::spec(),      raft::spec(),
          bully::spec(),      lease_election::spec(), token_ring::spec(),
          redlock::spec(),    zk_lock::spec(),        consensus_lock::spec()};
}

}  // namespace lockstep::protocols
