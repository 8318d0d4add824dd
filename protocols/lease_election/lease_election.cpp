#include "protocols/lease_election/lease_election.hpp"

#include <stdexcept>
#include <string>

#include "protocols/lease_election/candidate.hpp"
#include "protocols/lease_election/resource.hpp"
#include "protocols/lease_election/store.hpp"

namespace lockstep::protocols::lease_election {
namespace {

// Candidates find the store and the resource by role. One store holds the one lease record; the
// resource is optional (without it leaders are elected but write nothing).
sim::NodeIndex by_role(const sim::Directory& directory, std::string_view role, bool required) {
  const auto nodes = directory.with_role(role);
  if (nodes.size() > 1 || (required && nodes.empty())) {
    throw std::invalid_argument(
        "lease_election: expected " + std::string(required ? "exactly one" : "at most one") +
        " node with role '" + std::string(role) + "', found " + std::to_string(nodes.size()));
  }
  return nodes.empty() ? sim::kNoNode : nodes[0];
}

}  // namespace

std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup) {
  const Config config = Config::from(setup.params);
  const std::string& role = setup.info.role;
  if (role == kRoleCandidate) {
    return std::make_unique<Candidate>(config, Workload::from(setup.workload),
                                       by_role(setup.directory, kRoleStore, true),
                                       by_role(setup.directory, kRoleResource, false));
  }
  if (role == kRoleStore) return std::make_unique<Store>();
  if (role == kRoleResource) return std::make_unique<Resource>(config.fencing);
  throw std::invalid_argument("lease_election: unknown role '" + role + "' for node '" +
                              setup.info.id + "'");
}

sim::ProtocolSpec spec() {
  return {
      .name = "lease_election",
      .summary =
          "Kubernetes client-go style leader election: candidates compare-and-swap a lease "
          "record in a store, judge its expiry by their own monotonic clocks, and the leader "
          "writes to a resource with its term as token while it believes it leads.",
      .roles =
          {
              {kRoleCandidate,
               "Reads the lease record every retry_period, takes it over once it has not changed "
               "for lease_duration, renews it while leading and writes to the resource."},
              {kRoleStore,
               "Holds the lease record with a version; applies updates by compare-and-swap; "
               "durable across its own crashes."},
              {kRoleResource,
               "Accepts the leader's writes; with fencing, rejects tokens below its highest."},
          },
      .params = param_specs(),
      .workload = workload_specs(),
      .messages = message_names(),
      .role_targets = {"leader"},
      .make = &make,
  };
}

}  // namespace lockstep::protocols::lease_election
