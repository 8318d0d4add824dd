// Redlock's parameters and workload: declarations (names, types, defaults, meanings) and the
// typed values one node reads from its Params.
#pragma once

#include <string_view>
#include <vector>

#include "sim/core/process.hpp"

namespace lockstep::protocols::redlock {

inline constexpr std::string_view kRoleClient = "client";
inline constexpr std::string_view kRoleServer = "server";
inline constexpr std::string_view kRoleResource = "resource";

struct Config {
  sim::Duration ttl;             // PX of SET key value NX PX ttl
  sim::Duration server_timeout;  // how long a client waits for one server before the next
  double drift_factor = 0.01;
  sim::Duration drift_constant;
  sim::DurationRange retry_delay;
  sim::ClockKind expiry_clock = sim::ClockKind::wall;
  bool persistence = false;
  sim::Duration restart_delay;
  bool token = false;
  bool fencing = false;
  sim::Duration start_after;

  // The allowance for clock drift the client subtracts from the validity time.
  sim::Duration drift() const;

  static Config from(const sim::Params& params);
};

struct Workload {
  sim::Distribution acquire_every;
  sim::Distribution hold;
  sim::Duration write_every;

  static Workload from(const sim::Params& workload);
};

std::vector<sim::ParamSpec> param_specs();
std::vector<sim::ParamSpec> workload_specs();

}  // namespace lockstep::protocols::redlock
