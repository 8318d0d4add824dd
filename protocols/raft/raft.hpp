// Raft as a lockstep protocol: builds a node's process and declares the
// protocol (roles, params, messages, the `leader` fault target) for the registry.
#pragma once

#include <memory>
#include <vector>

#include "protocols/raft/config.hpp"
#include "protocols/raft/messages.hpp"
#include "protocols/raft/node.hpp"
#include "sim/core/process.hpp"
#include "sim/core/protocol.hpp"

namespace lockstep::protocols::raft {

// Throws std::invalid_argument on an unknown role or an unusable param value.
std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup);

// Raft's fields and observations (election words plus log.applied), for embedding protocols too.
std::vector<sim::FieldSpec> raft_fields();
std::vector<sim::ObservationSpec> raft_observations();

// The registry's entry for `raft`.
sim::ProtocolSpec spec();

}  // namespace lockstep::protocols::raft
