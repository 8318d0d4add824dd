// consensus_lock's params: Raft's (for the servers, minus the two the service fixes) and the
// lock service's own, and the lock workload; the typed values a node reads.
#pragma once

#include <string_view>
#include <vector>

#include "protocols/raft/config.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::consensus_lock {

inline constexpr std::string_view kRoleServer = "server";
inline constexpr std::string_view kRoleClient = "client";
inline constexpr std::string_view kRoleResource = "resource";

struct Config {
  sim::Duration ttl;
  sim::Duration request_timeout;
  sim::DurationRange backoff;
  bool fencing = true;
  bool record_writes = false;
  bool session_deadline = false;
  static Config from(const sim::Params& params);
};

struct Workload {
  sim::Distribution acquire_every;
  sim::Distribution hold;
  sim::Duration write_every;
  static Workload from(const sim::Params& params);
};

// The servers' Raft config: the scenario's raft params with replicate on, no workload entries.
raft::Config raft_config(const sim::Params& params);

std::vector<sim::ParamSpec> param_specs();
std::vector<sim::ParamSpec> workload_specs();

// The ids of the lock words a client observes.
struct Observations {
  sim::Kind requested, acquired, released, lost;
  sim::Key token, lease_ns;
  static Observations resolve(const sim::Vocabulary& v);
};

}  // namespace lockstep::protocols::consensus_lock
