// What a protocol declares about itself: its roles, params, workload keys and message names, and
// how to build one node's process. Part of the runtime interface: protocols/ fills it in, the
// catalog (sim/scenario/catalog.hpp) lists it, and both runtimes build processes from it.
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "sim/core/params.hpp"
#include "sim/core/process.hpp"

namespace lockstep::sim {

struct RoleSpec {
  std::string_view name;
  std::string_view meaning;
};

struct ProtocolSpec {
  std::string_view name;
  std::string_view summary;
  std::vector<RoleSpec> roles;                 // the first is the default for `nodes: N`
  std::vector<ParamSpec> params;               // protocol params (per-node overridable)
  std::vector<ParamSpec> workload;             // keys of the scenario's `workload:` section
  std::vector<std::string_view> messages;      // message type id -> name, for traces
  std::vector<std::string_view> role_targets;  // fault targets it defines: "holder", "leader"
  std::function<std::unique_ptr<Process>(const NodeSetup&)> make;
};

}  // namespace lockstep::sim
