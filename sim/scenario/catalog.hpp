// What the scenario loader and the CLI know about protocols and checkers: the explicit tables of
// both. sim/ defines the shape; protocols/ and checkers/ fill the tables, and tools/ hands them
// to the loader (sim/ never includes the layers above it).
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "sim/core/params.hpp"
#include "sim/core/protocol.hpp"

namespace lockstep::sim {

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
