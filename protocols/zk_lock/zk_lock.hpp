// zk_lock: a lock built on a coordination service with sessions, ephemeral sequential nodes and
// watches (ZooKeeper's Locks recipe, with Chubby's lock-delay, grace period and sequencer check
// as options).
#pragma once

#include <memory>

#include "sim/core/process.hpp"
#include "sim/core/protocol.hpp"

namespace lockstep::protocols::zk_lock {

// Throws std::invalid_argument for an unknown role, or without exactly one server and one
// resource.
std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup);
sim::ProtocolSpec spec();

}  // namespace lockstep::protocols::zk_lock
