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
#include "sim/core/vocabulary.hpp"
#include "sim/core/world.hpp"

namespace lockstep::sim {

struct CheckerSpec {
  std::string_view name;
  std::string_view meaning;
  std::vector<ParamSpec> params;  // `liveness: {within: 10s}`
  // It judges only the time after the last fault, with a `within` window: the loader warns when
  // the run leaves less than 2 x within after the faults.
  bool judges_after_faults = false;
  // The protocol words (observation kinds) that give it something to judge. A protocol that
  // observes none of them leaves it nothing but `holds`: the loader warns (election_safety on a
  // lease lock). Empty: it reads only the kernel's events, so it fits every protocol.
  std::vector<std::string_view> reads = {};
  // An expectation for a checker is always holds | violated | inconclusive.
};

// The explicit tables, and the vocabulary their protocols declare: the kernel's kinds and keys,
// then every protocol's in table order (so a kind's id does not depend on the scenario run).
class Catalog {
 public:
  // Throws std::invalid_argument when a spec contradicts itself: an observation naming a field
  // it does not declare, a claim naming a kind it does not observe, a role claiming an undeclared
  // claim, a field declared twice with two types, a duplicate protocol or checker name.
  Catalog(std::vector<ProtocolSpec> protocols, std::vector<CheckerSpec> checkers);

  const std::vector<ProtocolSpec>& protocols() const { return protocols_; }
  const std::vector<CheckerSpec>& checkers() const { return checkers_; }
  const std::shared_ptr<const Vocabulary>& vocabulary() const { return vocabulary_; }

  const ProtocolSpec* protocol(std::string_view name) const;
  const CheckerSpec* checker(std::string_view name) const;
  // The protocol's claims with their kinds resolved to ids.
  std::vector<RoleClaim> claims_of(const ProtocolSpec& protocol) const;

 private:
  std::vector<ProtocolSpec> protocols_;
  std::vector<CheckerSpec> checkers_;
  std::shared_ptr<const Vocabulary> vocabulary_;
};

}  // namespace lockstep::sim
