// The words every leader-election protocol uses in the trace (Raft, bully, lease-record
// election): a node campaigns for a term, votes, is elected, confirms its leadership, steps
// down; the leader claim those make; and the ids a process resolves them to once per run.
#pragma once

#include <vector>

#include "sim/core/protocol.hpp"
#include "sim/core/vocabulary.hpp"

namespace lockstep::protocols {

struct ElectionObservations {
  sim::Kind started, vote_granted, elected, confirmed, stepped_down, term_changed;
  sim::Key term, candidate, prevote;

  // vote.granted and its `candidate` stay kNoKind/kNoKey for protocols that declare no votes.
  static ElectionObservations resolve(const sim::Vocabulary& v);
};

std::vector<sim::FieldSpec> election_fields(bool with_votes);
std::vector<sim::ObservationSpec> election_observations(bool with_votes);
// leader: from leader.elected until leader.stepped_down (or a crash).
std::vector<sim::ClaimSpec> election_claims();

}  // namespace lockstep::protocols
