// One Raft node, leader election only: terms, randomized election timeouts, RequestVote with an
// up-to-date check, optional PreVote and CheckQuorum, and empty AppendEntries as heartbeats.
//
// Simplifications, on purpose:
// - No log replication. Each node has a fixed `log_length` param and the up-to-date check
//   compares lengths only: a voter refuses a candidate whose log_length is below its own (Raft
//   compares (last log term, last index); with no entries ever appended, length is what is left).
// - Timeouts that depend on "recently heard from a leader" (the CheckQuorum lease, the PreVote
//   rule, the leader's quorum check) all use the minimum of `election_timeout`: no follower can
//   time out sooner, so it is the tightest window that never outlives a follower's patience.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "protocols/common/durable_outbox.hpp"
#include "protocols/common/election.hpp"
#include "protocols/raft/config.hpp"
#include "protocols/raft/messages.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::raft {

enum class NodeTimer : sim::TimerSlot {
  // Follower and (pre)candidate: start an election when it fires. Leader with check_quorum:
  // the moment the majority that last answered would be older than the minimum timeout.
  election,
  heartbeat,  // leader: the next heartbeat round
};
static_assert(2 <= sim::kMaxTimerSlots);

enum class Role : uint8_t { follower, pre_candidate, candidate, leader };

// Durable keys, written only with persist_vote. voted_for holds a node index, or -1 for none.
inline constexpr std::string_view kTermKey = "term";
inline constexpr std::string_view kVotedForKey = "voted_for";

class Node final : public sim::Process {
 public:
  explicit Node(const Config& config) : config_(config) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;
  void on_durable(sim::Context& ctx, sim::StorageTicket ticket) override;

  Role role() const { return role_; }
  uint64_t term() const { return term_; }
  sim::NodeIndex voted_for() const { return voted_for_; }
  sim::NodeIndex leader() const { return leader_; }

 private:
  size_t cluster_size() const { return granted_.size(); }
  size_t majority() const { return cluster_size() / 2 + 1; }
  // A leader is known and was heard from within the minimum election timeout (a leader always
  // counts as hearing itself).
  bool heard_leader_recently(const sim::Context& ctx) const;

  // Applies the term rules to a message; returns false when the message must be dropped.
  bool admit_higher_term(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message);
  void on_stale(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message);
  void on_request_vote(sim::Context& ctx, sim::NodeIndex from, const RequestVote& request);
  void on_prevote_request(sim::Context& ctx, sim::NodeIndex from, const RequestVote& request);
  void on_vote(sim::Context& ctx, sim::NodeIndex from, const Vote& vote);
  void on_append_entries(sim::Context& ctx, sim::NodeIndex from, const AppendEntries& append);
  void on_append_response(sim::Context& ctx, sim::NodeIndex from, const AppendResponse& response);
  void on_election_timeout(sim::Context& ctx);
  void check_quorum(sim::Context& ctx);

  void start_prevote(sim::Context& ctx);
  void campaign(sim::Context& ctx);
  void become_leader(sim::Context& ctx);
  void become_follower(sim::Context& ctx, uint64_t term, sim::NodeIndex leader,
                       std::string_view why);
  void heartbeat_round(sim::Context& ctx);
  // Records a granted (pre)vote from `voter`; true when that makes a majority.
  bool tally(sim::NodeIndex voter);
  // Starts a new round with only this node's own vote; true when that alone is a majority.
  bool reset_tally(sim::Context& ctx);
  void broadcast(sim::Context& ctx, const sim::Message& message);
  void reset_election_timer(sim::Context& ctx);
  void persist(sim::Context& ctx);

  Config config_;
  ElectionObservations obs_{};
  DurableOutbox outbox_;  // replies wait here until term and vote are durable
  Role role_ = Role::follower;
  uint64_t term_ = 0;
  sim::NodeIndex voted_for_ = sim::kNoNode;
  sim::NodeIndex leader_ = sim::kNoNode;
  std::optional<sim::LocalTime> heard_leader_at_;  // last AppendEntries from a leader (monotonic)
  // Candidate: who granted this round's (pre)votes, by node; its size is the cluster size.
  std::vector<bool> granted_;
  size_t granted_count_ = 0;
  // Leader: the current heartbeat round, which peers acknowledged it, when each peer last
  // answered (for check_quorum).
  uint64_t round_ = 0;
  std::vector<uint64_t> acked_round_;
  size_t round_acks_ = 0;
  std::vector<std::optional<sim::LocalTime>> last_ack_;
  std::vector<sim::LocalTime> heard_;  // check_quorum's scratch, kept to avoid reallocating
};

}  // namespace lockstep::protocols::raft
