#include "protocols/redlock/redlock.hpp"

#include <stdexcept>
#include <string>

#include "protocols/common/fenced_resource.hpp"
#include "protocols/redlock/client.hpp"
#include "protocols/redlock/observations.hpp"
#include "protocols/redlock/server.hpp"

namespace lockstep::protocols::redlock {

std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup) {
  const Config config = Config::from(setup.params);
  const std::string& role = setup.info.role;
  if (role == kRoleClient) {
    const auto servers = setup.directory.with_role(kRoleServer);
    const auto resources = setup.directory.with_role(kRoleResource);
    if (servers.empty()) throw std::invalid_argument("redlock: a client needs at least one server");
    if (resources.size() != 1) {
      throw std::invalid_argument(
          "redlock: expected exactly one node with role 'resource', found " +
          std::to_string(resources.size()));
    }
    return std::make_unique<Client>(config, Workload::from(setup.workload),
                                    std::vector<sim::NodeIndex>(servers.begin(), servers.end()),
                                    resources[0]);
  }
  if (role == kRoleServer) return std::make_unique<Server>(config);
  if (role == kRoleResource) {
    return std::make_unique<FencedResource>(config.fencing, static_cast<uint16_t>(MsgType::write));
  }
  throw std::invalid_argument("redlock: unknown role '" + role + "' for node '" + setup.info.id +
                              "'");
}

sim::ProtocolSpec spec() {
  return {
      .name = "redlock",
      .summary =
          "N independent lock servers, no replication; a client holds the lock while a majority "
          "set its key and validity (ttl - elapsed - drift) is left. No fencing token.",
      .roles =
          {
              {kRoleClient,
               "Asks every server in turn; holds on a majority; writes; releases everywhere.",
               {"holder"}},
              {kRoleServer, "One key, SET NX PX and compare-and-delete, expired by its own clock."},
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

}  // namespace lockstep::protocols::redlock
