// zk_lock's parameters and workload: declarations and the typed values one node reads.
#pragma once

#include <string_view>
#include <vector>

#include "sim/core/process.hpp"

namespace lockstep::protocols::zk_lock {

inline constexpr std::string_view kRoleClient = "client";
inline constexpr std::string_view kRoleServer = "server";
inline constexpr std::string_view kRoleResource = "resource";

// How waiters wait for the lock.
enum class Variant : uint8_t {
  recipe,  // sequential nodes; watch the immediate predecessor (ZooKeeper's Locks recipe)
  herd,    // sequential nodes; every waiter watches the lowest node (the herd effect)
  race,    // one plain ephemeral node; waiters watch it and race to create it (unfair)
};

struct Config {
  sim::Duration session_timeout;
  sim::Duration ping_every;
  sim::Duration request_timeout;
  Variant variant = Variant::recipe;
  bool find_on_retry = true;
  sim::Duration lock_delay;
  sim::Duration grace;
  bool fencing = false;
  bool check_sequencer = false;
  sim::Duration start_after;

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

}  // namespace lockstep::protocols::zk_lock
