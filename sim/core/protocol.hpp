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
  std::vector<std::string_view> claims = {};  // the claims (below) a node of this role can make
};

// A field a protocol's observations carry: its name, how to read its value, what it means.
struct FieldSpec {
  std::string_view name;
  FieldType type;
  std::string_view meaning;
};

// An observation kind a protocol emits through Context::observe.
struct ObservationSpec {
  std::string_view kind;                 // a dotted name, such as lock.acquired
  std::string_view node;                 // which node emits it: "client", "lock server"
  std::vector<std::string_view> fields;  // the FieldSpec names it carries
  std::string_view meaning;
};

// A role a node claims by an observation (it holds the lock, it leads) and gives up by another
// (or by crashing). Fault targets name claims (`crash: leader`): the world resolves them to the
// node that claimed most recently and is still up, when the fault fires.
struct ClaimSpec {
  std::string_view role;                // holder, leader, or any name the protocol picks
  std::vector<std::string_view> start;  // kinds that make the emitting node claim it
  std::vector<std::string_view> end;    // kinds that end its claim
  std::string_view meaning;
};

struct ProtocolSpec {
  std::string_view name;
  std::string_view summary;
  std::vector<RoleSpec> roles;                // the first is the default for `nodes: N`
  std::vector<ParamSpec> params;              // protocol params (per-node overridable)
  std::vector<ParamSpec> workload;            // keys of the scenario's `workload:` section
  std::vector<std::string_view> messages;     // message type id -> name, for traces
  std::vector<FieldSpec> fields;              // the fields its observations carry
  std::vector<ObservationSpec> observations;  // the kinds it emits
  std::vector<ClaimSpec> claims;              // the role claims its observations make
  std::function<std::unique_ptr<Process>(const NodeSetup&)> make;
};

}  // namespace lockstep::sim
