// The lease-lock protocol's parameters and workload: their declarations (names, types, defaults,
// meanings) and the typed values one node reads from its Params.
#pragma once

#include <string_view>
#include <vector>

#include "sim/core/process.hpp"

namespace lockstep::protocols::lease_lock {

inline constexpr std::string_view kRoleClient = "client";
inline constexpr std::string_view kRoleServer = "server";
inline constexpr std::string_view kRoleResource = "resource";

// Protocol params (every one can be overridden per node).
struct Config {
  sim::Duration lease;
  sim::Duration renew_every;
  bool fencing = false;
  sim::ClockKind expiry_clock = sim::ClockKind::monotonic;
  sim::Duration restart_grace;
  sim::Duration safety_margin;
  bool durable_state = false;
  sim::Duration retry_every;
  uint64_t token_start = 1;

  // Reads every declared param; throws std::invalid_argument on values the protocol cannot run
  // with (a zero period would re-arm a timer forever at one instant).
  static Config from(const sim::Params& params);
};

// The clients' workload.
struct Workload {
  sim::Distribution acquire_every;
  sim::Distribution hold;
  sim::Duration write_every;

  static Workload from(const sim::Params& workload);
};

std::vector<sim::ParamSpec> param_specs();
std::vector<sim::ParamSpec> workload_specs();

}  // namespace lockstep::protocols::lease_lock
