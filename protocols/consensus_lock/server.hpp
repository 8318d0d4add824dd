// A lock-service server: a Raft member (protocols/raft's Node, embedded) whose state machine is
// the lock service (machine.hpp). Only the leader answers clients; others answer with a leader
// hint. The leader keeps lease deadlines on its own clock, refreshed by keepalives, and proposes
// a revoke when one passes (etcd's lessor: leases are granted and revoked through the log,
// kept alive at the leader, and a new leader extends every lease by its TTL on promotion).
#pragma once

#include <map>
#include <set>

#include "protocols/consensus_lock/machine.hpp"
#include "protocols/consensus_lock/messages.hpp"
#include "protocols/raft/node.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::consensus_lock {

class Server final : public sim::Process, public raft::StateMachine {
 public:
  explicit Server(const raft::Config& config) : raft_(config, this) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;
  void on_durable(sim::Context& ctx, sim::StorageTicket ticket) override;
  void apply(sim::Context& ctx, uint64_t index, const raft::Entry& entry) override;

  const Machine& machine() const { return machine_; }
  const raft::Node& raft() const { return raft_; }

 private:
  bool leading() const { return raft_.role() == raft::Role::leader; }
  void reply(sim::Context& ctx, sim::NodeIndex to, MsgType type, Reply body);
  void not_leader(sim::Context& ctx, sim::NodeIndex to, MsgType type, uint64_t req,
                  uint64_t lease = 0);
  void on_acquire(sim::Context& ctx, sim::NodeIndex from, const Request& r);
  void on_release(sim::Context& ctx, sim::NodeIndex from, const Request& r);
  void on_keepalive(sim::Context& ctx, sim::NodeIndex from, const Request& r);
  void answer_waiters(sim::Context& ctx);
  void check_leases(sim::Context& ctx);

  raft::Node raft_;
  Machine machine_;
  sim::Kind granted_ = sim::kNoKind;
  sim::Key holder_key_ = sim::kNoKey, token_key_ = sim::kNoKey;
  std::map<sim::NodeIndex, uint64_t> acquiring_;  // client -> acquire req waiting for the lock
  std::map<sim::NodeIndex, uint64_t> told_;       // client -> the req told its session lease
  std::map<sim::NodeIndex, uint64_t> releasing_;  // client -> release req waiting for its revoke
  std::map<uint64_t, sim::LocalTime> deadline_;   // lease -> expiry on this node's clock
  std::set<uint64_t> revoking_;                   // expired leases this leader proposed to revoke
  bool was_leader_ = false;
};

}  // namespace lockstep::protocols::consensus_lock
