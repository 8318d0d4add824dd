// The lease-election protocol's parameters and workload: their declarations (names, types,
// defaults, meanings) and the typed values one node reads from its Params.
#pragma once

#include <string_view>
#include <vector>

#include "sim/core/process.hpp"

namespace lockstep::protocols::lease_election {

inline constexpr std::string_view kRoleCandidate = "candidate";
inline constexpr std::string_view kRoleStore = "store";
inline constexpr std::string_view kRoleResource = "resource";

// Protocol params, named as client-go's LeaderElectionConfig names them.
struct Config {
  sim::Duration lease_duration;  // how long a non-leader waits after the record last changed
  sim::Duration renew_deadline;  // how long the leader keeps acting without a successful renewal
  sim::Duration retry_period;    // gap between two tries (Get, acquire or renew)
  bool fencing = false;          // the resource rejects writes below its highest token

  // Reads every declared param; throws std::invalid_argument on values client-go also refuses:
  // periods of zero, renew_deadline not below lease_duration, retry_period not below
  // renew_deadline.
  static Config from(const sim::Params& params);
};

// The leader's workload.
struct Workload {
  sim::Duration write_every;

  static Workload from(const sim::Params& workload);
};

std::vector<sim::ParamSpec> param_specs();
std::vector<sim::ParamSpec> workload_specs();

}  // namespace lockstep::protocols::lease_election
