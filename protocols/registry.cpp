#include "protocols/registry.hpp"

#include "protocols/bully/bully.hpp"
#include "protocols/heartbeat/heartbeat.hpp"
#include "protocols/lease_election/lease_election.hpp"
#include "protocols/lease_lock/lease_lock.hpp"
#include "protocols/raft/raft.hpp"

namespace lockstep::protocols {
namespace {

sim::ProtocolSpec lease_lock_spec() {
  namespace ll = lease_lock;
  return {
      .name = "lease_lock",
      .summary =
          "A lock server grants leases with fencing tokens; clients acquire, renew, write "
          "to a guarded resource while they believe they hold the lock, and release.",
      .roles =
          {
              {ll::kRoleClient, "Acquires the lock, renews it, writes to the resource, releases."},
              {ll::kRoleServer, "Grants one lease at a time, each with a larger fencing token."},
              {ll::kRoleResource,
               "Accepts writes; with fencing, rejects tokens below its highest."},
          },
      .params = ll::param_specs(),
      .workload = ll::workload_specs(),
      .messages = ll::message_names(),
      .role_targets = {"holder"},
      .make = &ll::make,
  };
}

sim::ProtocolSpec heartbeat_spec() {
  return {
      .name = "heartbeat",
      .summary =
          "Every node sends a heartbeat to every other node at a fixed interval: the "
          "benchmark workload.",
      .roles = {{heartbeat::kRoleNode, "Beats to all the others and records when it heard each."}},
      .params = heartbeat::param_specs(),
      .workload = {},
      .messages = heartbeat::message_names(),
      .role_targets = {},
      .make = &heartbeat::make,
  };
}

}  // namespace

std::vector<sim::ProtocolSpec> protocol_specs() {
  return {lease_lock_spec(), heartbeat_spec(), raft::spec(), bully::spec(), lease_election::spec()};
}

}  // namespace lockstep::protocols
