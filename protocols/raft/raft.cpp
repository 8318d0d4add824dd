#include "protocols/raft/raft.hpp"

#include <stdexcept>
#include <string>

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
                 "it."}},
      .params = param_specs(),
      .workload = {},
      .messages = message_names(),
      .role_targets = {"leader"},
      .make = &make,
  };
}

}  // namespace lockstep::protocols::raft
