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

sim::ProtocolSpec spec() {
  return {
      .name = "raft",
      .summary =
          "Raft leader election without log replication: terms, randomized election timeouts, "
          "RequestVote with a log-length up-to-date check, heartbeats, optional PreVote and "
          "CheckQuorum.",
      .roles = {{kRoleNode,
                 "Follows, campaigns when it hears no leader, leads when a majority votes for "
                 "it.",
                 {"leader"}}},
      .params = param_specs(),
      .workload = {},
      .messages = message_names(),
      .fields = election_fields(true),
      .observations = election_observations(true),
      .claims = election_claims(),
      .make = &make,
  };
}

}  // namespace lockstep::protocols::raft
