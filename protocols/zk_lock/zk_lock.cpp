#include "protocols/zk_lock/zk_lock.hpp"

#include <stdexcept>
#include <string>

#include "protocols/common/fenced_resource.hpp"
#include "protocols/zk_lock/client.hpp"
#include "protocols/zk_lock/observations.hpp"
#include "protocols/zk_lock/resource.hpp"
#include "protocols/zk_lock/server.hpp"

namespace lockstep::protocols::zk_lock {
namespace {

sim::NodeIndex the_one(const sim::Directory& directory, std::string_view role) {
  const auto nodes = directory.with_role(role);
  if (nodes.size() != 1) {
    throw std::invalid_argument("zk_lock: expected exactly one node with role '" +
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
    if (config.check_sequencer) {
      return std::make_unique<CheckingResource>(config.fencing,
                                                the_one(setup.directory, kRoleServer));
    }
    return std::make_unique<FencedResource>(config.fencing, static_cast<uint16_t>(MsgType::write));
  }
  throw std::invalid_argument("zk_lock: unknown role '" + role + "' for node '" + setup.info.id +
                              "'");
}

sim::ProtocolSpec spec() {
  return {
      .name = "zk_lock",
      .summary =
          "A coordination server with sessions, ephemeral sequential nodes and watches; clients "
          "queue for the lock by the Locks recipe; the node's czxid is the fencing token.",
      .roles =
          {
              {kRoleClient,
               "Keeps a session; creates its node, waits its turn, writes, deletes.",
               {"holder"}},
              {kRoleServer, "Sessions, ephemeral nodes under the lock path, one-shot watches."},
              {kRoleResource,
               "Accepts writes; with fencing, rejects tokens below its highest; with "
               "check_sequencer, asks the server first."},
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

}  // namespace lockstep::protocols::zk_lock
