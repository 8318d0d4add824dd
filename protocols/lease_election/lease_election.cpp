#include "protocols/lease_election/lease_election.hpp"

#include <stdexcept>
#include <string>

#include "protocols/common/election.hpp"
#include "protocols/common/fenced_resource.hpp"
#include "protocols/lease_election/candidate.hpp"
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

// The election words, then the resource's (its leader writes with its term as the token).
std::vector<sim::FieldSpec> fields() {
  std::vector<sim::FieldSpec> out = election_fields(false);
  for (sim::FieldSpec f : {FencedResource::token_field(), FencedResource::writer_field(),
                           FencedResource::highest_field()}) {
    out.push_back(f);
  }
  return out;
}

std::vector<sim::ObservationSpec> observations() {
  std::vector<sim::ObservationSpec> out = election_observations(false);
  for (sim::ObservationSpec& o : FencedResource::observations()) out.push_back(std::move(o));
  return out;
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
  if (role == kRoleResource) {
    return std::make_unique<FencedResource>(config.fencing, static_cast<uint16_t>(MsgType::write));
  }
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
               "for lease_duration, renews it while leading and writes to the resource.",
               {"leader"}},
              {kRoleStore,
               "Holds the lease record with a version; applies updates by compare-and-swap; "
               "durable across its own crashes."},
              {kRoleResource,
               "Accepts the leader's writes; with fencing, rejects tokens below its highest."},
          },
      .params = param_specs(),
      .workload = workload_specs(),
      .messages = message_names(),
      .fields = fields(),
      .observations = observations(),
      .claims = election_claims(),
      .make = &make,
  };
}

}  // namespace lockstep::protocols::lease_election
