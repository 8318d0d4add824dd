// The lease-election protocol family (Kubernetes client-go style leader election over a lease
// record): builds the process for one node by its role (candidate, store or resource).
#pragma once

#include <memory>

#include "protocols/lease_election/config.hpp"
#include "protocols/lease_election/messages.hpp"
#include "sim/core/process.hpp"
#include "sim/core/protocol.hpp"

namespace lockstep::protocols::lease_election {

// Throws std::invalid_argument when the run cannot host the protocol: an unknown role, not
// exactly one store, more than one resource, or an unusable param value.
std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup);

// The protocol's entry in the protocol table (protocols/registry.cpp).
sim::ProtocolSpec spec();

}  // namespace lockstep::protocols::lease_election
