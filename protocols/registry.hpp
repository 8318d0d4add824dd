// The explicit table of protocols: what the scenario loader and `lockstep list` know about each
// one (roles, params, workload, messages) and how to build a node's process.
#pragma once

#include <vector>

#include "sim/core/protocol.hpp"

namespace lockstep::protocols {

// Every protocol, in a fixed order. A new protocol is added here by hand: no static registration.
std::vector<sim::ProtocolSpec> protocol_specs();

}  // namespace lockstep::protocols
