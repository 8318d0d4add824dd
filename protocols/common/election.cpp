#include "protocols/common/election.hpp"

#include "protocols/common/fields.hpp"

namespace lockstep::protocols {

ElectionObservations ElectionObservations::resolve(const sim::Vocabulary& v) {
  return {kind_id(v, "election.started"),
          v.find_kind("vote.granted").value_or(sim::kNoKind),
          kind_id(v, "leader.elected"),
          kind_id(v, "leader.confirmed"),
          kind_id(v, "leader.stepped_down"),
          kind_id(v, "term.changed"),
          key_id(v, "term"),
          v.find_key("candidate").value_or(sim::kNoKey),
          key_id(v, "prevote")};
}

std::vector<sim::FieldSpec> election_fields(bool with_votes) {
  using sim::FieldType;
  std::vector<sim::FieldSpec> out = {{"term", FieldType::integer, "an election term, >= 0"}};
  if (with_votes) {
    out.push_back({"candidate", FieldType::node, "the node a vote was granted to"});
  }
  out.push_back({"prevote", FieldType::boolean,
                 "whether an election round is a pre-vote (which changes no term)"});
  return out;
}

std::vector<sim::ObservationSpec> election_observations(bool with_votes) {
  std::vector<sim::ObservationSpec> out = {
      {"election.started",
       "candidate",
       {"term", "prevote"},
       "the node starts campaigning for `term` (a pre-vote round changes no term)"},
  };
  if (with_votes) {
    out.push_back({"vote.granted",
                   "voter",
                   {"term", "candidate"},
                   "the node voted for `candidate` in `term`"});
  }
  out.push_back(
      {"leader.elected", "the new leader", {"term"}, "the node believes it leads `term` from now"});
  out.push_back({"leader.confirmed",
                 "the leader",
                 {"term"},
                 "the leader heard from a majority again (its leadership is current)"});
  out.push_back({"leader.stepped_down",
                 "the former leader",
                 {"term"},
                 "the node no longer believes it leads; `text` says why (`higher_term`, "
                 "`outranked`, `lease_lost`, ...)"});
  out.push_back({"term.changed", "the node", {"term"}, "the node moved to a newer term"});
  return out;
}

std::vector<sim::ClaimSpec> election_claims() {
  return {{"leader",
           {"leader.elected"},
           {"leader.stepped_down"},
           "the node that most recently came to believe it leads"}};
}

}  // namespace lockstep::protocols
