// The bully protocol's parameters: their declarations (names, types, defaults, meanings) and
// the typed values one node reads from its Params.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/core/process.hpp"

namespace lockstep::protocols::bully {

inline constexpr std::string_view kRoleNode = "node";

// The `priority` param's default: rank the node by its index in the node list.
inline constexpr int64_t kPriorityFromIndex = -1;

struct Config {
  sim::Duration heartbeat;            // gap between the coordinator's heartbeat rounds
  sim::Duration leader_timeout;       // silence from the coordinator that starts an election
  sim::Duration answer_timeout;       // wait for an Answer before claiming coordinatorship
  sim::Duration coordinator_timeout;  // wait for a Coordinator after being answered
  int64_t priority = kPriorityFromIndex;

  // Reads every declared param; throws std::invalid_argument on values the protocol cannot run
  // with (a zero period re-arms a timer forever at one instant; priorities below -1 mean nothing).
  static Config from(const sim::Params& params);
};

std::vector<sim::ParamSpec> param_specs();

}  // namespace lockstep::protocols::bully
