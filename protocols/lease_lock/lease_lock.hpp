// The lease-lock protocol family: builds the process for one node by its role (client, server
// or resource).
#pragma once

#include <memory>

#include "protocols/lease_lock/config.hpp"
#include "protocols/lease_lock/messages.hpp"
#include "sim/core/process.hpp"
#include "sim/core/protocol.hpp"

namespace lockstep::protocols::lease_lock {

// Throws std::invalid_argument when the run cannot host the protocol: an unknown role, a client
// without exactly one server and one resource, or an unusable param value.
std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup);
// What the catalog knows about the protocol.
sim::ProtocolSpec spec();

}  // namespace lockstep::protocols::lease_lock
