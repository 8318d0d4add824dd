#include "protocols/consensus_lock/consensus_lock.hpp"

#include <stdexcept>
#include <string>

#include "protocols/common/election.hpp"
#include "protocols/common/fenced_resource.hpp"
#include "protocols/common/history.hpp"
#include "protocols/raft/raft.hpp"

namespace lockstep::protocols::consensus_lock {
namespace {

std::vector<sim::FieldSpec> fields() {
  using sim::FieldType;
  std::vector<sim::FieldSpec> out = raft::raft_fields();
  out.push_back({"token", FieldType::integer,
                 "the fencing token: the lock key's create revision (only grows)"});
  out.push_back({"holder", FieldType::node, "the client the leader granted the lock to"});
  out.push_back(FencedResource::writer_field());
  out.push_back(FencedResource::highest_field());
  out.push_back({"lease_ns", FieldType::duration_ns, "the session lease's time to live"});
  for (sim::FieldSpec& f : history_fields()) out.push_back(f);
  return out;
}

std::vector<sim::ObservationSpec> observations() {
  std::vector<sim::ObservationSpec> out = raft::raft_observations();
  out.push_back({"lock.requested", "client", {}, "the client starts waiting for the lock"});
  out.push_back({"lock.acquired",
                 "client",
                 {"token", "lease_ns"},
                 "the client believes it holds the lock from now (with this token)"});
  out.push_back(
      {"lock.released",
       "client",
       {"token"},
       "the client gives the lock back (it sends its release; it no longer acts as holder)"});
  out.push_back({"lock.lost",
                 "client",
                 {"token"},
                 "the client learned its session lease is gone (a keepalive refused)"});
  out.push_back({"lock.granted",
                 "the leader",
                 {"holder", "token"},
                 "the leader told `holder` its key has the lowest create revision"});
  for (sim::ObservationSpec& o : FencedResource::observations()) out.push_back(std::move(o));
  for (sim::ObservationSpec& o : history_observations()) out.push_back(std::move(o));
  return out;
}

std::vector<sim::ClaimSpec> claims() {
  std::vector<sim::ClaimSpec> out = election_claims();
  out.push_back({"holder",
                 {"lock.acquired"},
                 {"lock.released", "lock.lost"},
                 "the client that most recently came to believe it holds the lock"});
  return out;
}

}  // namespace

std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup) {
  const std::string& role = setup.info.role;
  if (role == kRoleServer) return std::make_unique<Server>(raft_config(setup.params));
  if (role == kRoleClient) {
    return std::make_unique<Client>(Config::from(setup.params), Workload::from(setup.workload));
  }
  if (role == kRoleResource) {
    const Config config = Config::from(setup.params);
    return std::make_unique<FencedResource>(config.fencing, static_cast<uint16_t>(MsgType::write),
                                            config.record_writes
                                                ? static_cast<uint16_t>(MsgType::write_reply)
                                                : FencedResource::kNoAck);
  }
  throw std::invalid_argument("consensus_lock: unknown role '" + role + "' for node '" +
                              setup.info.id + "'");
}

std::vector<std::string_view> message_names() {
  std::vector<std::string_view> out = raft::message_names();
  for (std::string_view n : {"acquire", "acquire_reply", "release", "release_reply", "keepalive",
                             "keepalive_reply", "write", "write_reply"}) {
    out.push_back(n);
  }
  return out;
}

sim::ProtocolSpec spec() {
  return {
      .name = "consensus_lock",
      .summary =
          "An etcd-v3-like lock service replicated by Raft: session leases with a TTL granted "
          "and revoked through the log and kept alive at the leader, a lock key per session "
          "under one prefix, granted to the lowest create revision, which is the fencing token; "
          "clients retry with backoff and jitter and write to a guarded resource.",
      .roles =
          {
              {kRoleServer, "A Raft member running the lock service's state machine.", {"leader"}},
              {kRoleClient,
               "Opens a session, waits for the lock, keeps the lease alive, writes, releases.",
               {"holder"}},
              {kRoleResource, "Accepts writes; with fencing, rejects tokens below its highest."},
          },
      .params = param_specs(),
      .workload = workload_specs(),
      .messages = message_names(),
      .fields = fields(),
      .observations = observations(),
      .claims = claims(),
      .make = &make,
  };
}

}  // namespace lockstep::protocols::consensus_lock
