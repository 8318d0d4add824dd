// The bully leader-election protocol family: builds the process for one node. Every node has the
// role `node`; the highest-ranked node that is alive becomes coordinator.
#pragma once

#include <memory>

#include "protocols/bully/config.hpp"
#include "protocols/bully/messages.hpp"
#include "sim/core/process.hpp"
#include "sim/core/protocol.hpp"

namespace lockstep::protocols::bully {

// Throws std::invalid_argument on an unknown role or an unusable param value.
std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup);

// The protocol's entry in the protocol table (protocols/registry.cpp).
sim::ProtocolSpec spec();

}  // namespace lockstep::protocols::bully
