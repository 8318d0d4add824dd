// zk_lock's words in the trace: the kinds and fields it declares, and the ids a process
// resolves them to once per run.
#pragma once

#include <vector>

#include "sim/core/protocol.hpp"
#include "sim/core/vocabulary.hpp"

namespace lockstep::protocols::zk_lock {

struct Observations {
  // a client's beliefs
  sim::Kind requested, acquired, released, expired, lost, session_lost, jeopardy;
  // the server's steps
  sim::Kind session_opened, session_expired, node_created, node_deleted, enqueued, watch_fired;
  sim::Kind write, rejected;  // the sequencer-checking resource
  sim::Key token, client, session, seq, writer, highest;

  static Observations resolve(const sim::Vocabulary& v);
};

std::vector<sim::FieldSpec> field_specs();
std::vector<sim::ObservationSpec> observation_specs();
std::vector<sim::ClaimSpec> claim_specs();

}  // namespace lockstep::protocols::zk_lock
