#include "protocols/raft/raft.hpp"

#include <stdexcept>
#include <string>

#include "protocols/common/election.hpp"

namespace lockstep::protocols::raft {

std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup) {
  if (setup.info.role != kRoleNode) {
    throw std::invalid_argument("raft: unknown role '" + setup.info.role + "' for node '" +
                                setup.info.id + "'");
  }
  return std::make_unique<Node>(Config::from(setup.params));
}

std::vector<sim::FieldSpec> raft_fields() {
  std::vector<sim::FieldSpec> out = election_fields(true);
  for (sim::FieldSpec& f : log_fields()) out.push_back(f);
  return out;
}

std::vector<sim::ObservationSpec> raft_observations() {
  std::vector<sim::ObservationSpec> out = election_observations(true);
  for (sim::ObservationSpec& o : log_observations()) out.push_back(std::move(o));
  return out;
}

sim::ProtocolSpec spec() {
  return {
      .name = "raft",
      .summary =
          "Raft: terms, randomized election timeouts, RequestVote with the up-to-date check by "
          "last log term then index, optional PreVote and CheckQuorum; with replicate, log "
          "replication (consistency check, conflict truncation, majority commit of the current "
          "term, persisted before replying).",
      .roles = {{kRoleNode,
                 "Follows, campaigns when it hears no leader, leads when a majority votes for "
                 "it.",
                 {"leader"}}},
      .params = param_specs(),
      .workload = {},
      .messages = message_names(),
      .fields = raft_fields(),
      .observations = raft_observations(),
      .claims = election_claims(),
      .make = &make,
  };
}

}  // namespace lockstep::protocols::raft
