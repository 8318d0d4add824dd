// Redlock's words in the trace: the kinds and fields it declares, and the ids a process
// resolves them to once per run.
#pragma once

#include <vector>

#include "sim/core/protocol.hpp"
#include "sim/core/vocabulary.hpp"

namespace lockstep::protocols::redlock {

struct Observations {
  sim::Kind requested, acquired, released, expired, failed;  // a client's beliefs and attempts
  sim::Kind granted, denied, key_expired, unlocked;          // one server's decisions
  sim::Key token, holder, client, validity_ns, granted_count;

  static Observations resolve(const sim::Vocabulary& v);
};

std::vector<sim::FieldSpec> field_specs();
std::vector<sim::ObservationSpec> observation_specs();
std::vector<sim::ClaimSpec> claim_specs();

}  // namespace lockstep::protocols::redlock
