// Redlock: N independent lock servers and clients that hold the lock while a majority of them
// has their key (redis.io, "Distributed Locks with Redis").
#pragma once

#include <memory>

#include "sim/core/process.hpp"
#include "sim/core/protocol.hpp"

namespace lockstep::protocols::redlock {

// Throws std::invalid_argument for an unknown role, or a client without servers or without
// exactly one resource.
std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup);
sim::ProtocolSpec spec();

}  // namespace lockstep::protocols::redlock
