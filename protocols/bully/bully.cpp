#include "protocols/bully/bully.hpp"

#include <stdexcept>
#include <string>

#include "protocols/common/election.hpp"

#include "protocols/bully/node.hpp"

namespace lockstep::protocols::bully {

std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup) {
  const Config config = Config::from(setup.params);
  if (setup.info.role != kRoleNode) {
    throw std::invalid_argument("bully: unknown role '" + setup.info.role + "' for node '" +
                                setup.info.id + "'");
  }
  return std::make_unique<Node>(config);
}

sim::ProtocolSpec spec() {
  return {
      .name = "bully",
      .summary =
          "The bully algorithm: the highest-ranked live node becomes coordinator under a new "
          "term and heartbeats the others; silence starts a new election. No quorum: a "
          "partition can leave a coordinator on each side.",
      .roles = {{kRoleNode,
                 "Elects the highest-ranked node it can reach, follows it, and coordinates when "
                 "nobody above it answers.",
                 {"leader"}}},
      .params = param_specs(),
      .workload = {},
      .messages = message_names(),
      .fields = election_fields(false),
      .observations = election_observations(false),
      .claims = election_claims(),
      .make = &make,
  };
}

}  // namespace lockstep::protocols::bully
