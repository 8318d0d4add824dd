#include "protocols/lease_lock/lease_lock.hpp"

#include <stdexcept>
#include <string>

#include "protocols/common/fenced_resource.hpp"
#include "protocols/lease_lock/client.hpp"
#include "protocols/lease_lock/observations.hpp"
#include "protocols/lease_lock/server.hpp"

namespace lockstep::protocols::lease_lock {
namespace {

// Clients find the server and the resource by role; the protocol is defined for one of each.
sim::NodeIndex the_one(const sim::Directory& directory, std::string_view role) {
  const auto nodes = directory.with_role(role);
  if (nodes.size() != 1) {
    throw std::invalid_argument("lease_lock: expected exactly one node with role '" +
                                std::string(role) + "', found " + std::to_string(nodes.size()));
  }
  return nodes[0];
}

}  // namespace

std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup) {
  const Config config = Config::from(setup.params);
  const std::string& role = setup.info.role;
  if (role == kRoleClient) {
    return std::make_unique<Client>(config, Workload::from(setup.workload),
                                    the_one(setup.directory, kRoleServer),
                                    the_one(setup.directory, kRoleResource));
  }
  if (role == kRoleServer) return std::make_unique<Server>(config);
  if (role == kRoleResource) {
    return std::make_unique<FencedResource>(config.fencing, static_cast<uint16_t>(MsgType::write));
  }
  throw std::invalid_argument("lease_lock: unknown role '" + role + "' for node '" + setup.info.id +
                              "'");
}

sim::ProtocolSpec spec() {
  return {
      .name = "lease_lock",
      .summary =
          "A lock server grants leases with fencing tokens; clients acquire, renew, write "
          "to a guarded resource while they believe they hold the lock, and release.",
      .roles =
          {
              {kRoleClient,
               "Acquires the lock, renews it, writes to the resource, releases.",
               {"holder"}},
              {kRoleServer, "Grants one lease at a time, each with a larger fencing token."},
              {kRoleResource, "Accepts writes; with fencing, rejects tokens below its highest."},
          },
      .params = param_specs(),
      .workload = workload_specs(),
      .messages = message_names(),
      .fields = field_specs(),
      .observations = observation_specs(),
      .claims = claim_specs(),
      .make = &make,
  };
}

}  // namespace lockstep::protocols::lease_lock
