// What the scenario loader and the CLI know about protocols and checkers: their names, params
// and how to build them. sim/ defines the shape; protocols/ and checkers/ fill the tables, and
// tools/ hands them to the loader (sim/ never includes the layers above it).
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "sim/params.hpp"
#include "sim/process.hpp"

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

struct CheckerSpec {
  std::string_view name;
  std::string_view meaning;
  std::vector<ParamSpec> params;  // `liveness: {within: 10s}`
  // An expectation for a checker is always holds | violated | inconclusive.
};

struct Catalog {
  std::vector<ProtocolSpec> protocols;
  std::vector<CheckerSpec> checkers;

  const ProtocolSpec* protocol(std::string_view name) const {
    for (const auto& p : protocols) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }
  const CheckerSpec* checker(std::string_view name) const {
    for (const auto& c : checkers) {
      if (c.name == name) return &c;
    }
    return nullptr;
  }
};

}  // namespace lockstep::sim
