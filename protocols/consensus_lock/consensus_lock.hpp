// consensus_lock as a lockstep protocol: an etcd-v3-like lock service replicated by Raft
// (servers), its clients, and the guarded resource.
#pragma once

#include <memory>

#include "protocols/consensus_lock/client.hpp"
#include "protocols/consensus_lock/server.hpp"
#include "sim/core/protocol.hpp"

namespace lockstep::protocols::consensus_lock {

std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup);
sim::ProtocolSpec spec();

}  // namespace lockstep::protocols::consensus_lock
