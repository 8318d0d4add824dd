// lease_lock's own words in the trace: the kinds and fields it declares to the catalog, and the
// ids a process resolves them to once per run (Context::vocabulary).
#pragma once

#include <vector>

#include "sim/core/protocol.hpp"
#include "sim/core/vocabulary.hpp"

namespace lockstep::protocols::lease_lock {

struct Observations {
  sim::Kind requested, acquired, renewed, lost, expired, released;  // a client's beliefs
  sim::Kind granted, denied, lease_ended;                           // the server's decisions
  sim::Key token, holder, client, lease_ns;

  static Observations resolve(const sim::Vocabulary& v);
};

std::vector<sim::FieldSpec> field_specs();
std::vector<sim::ObservationSpec> observation_specs();
// holder: a client claims it from lock.acquired until it releases, expires or loses it.
std::vector<sim::ClaimSpec> claim_specs();

}  // namespace lockstep::protocols::lease_lock
