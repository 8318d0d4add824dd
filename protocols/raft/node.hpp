// One Raft node: terms, randomized election timeouts, RequestVote with the up-to-date check
// (§5.4.1), optional PreVote and CheckQuorum, and AppendEntries that either replicate the log
// (replicate: true; §5.3, commit rule §5.4.2) or are empty heartbeats (elections only).
//
// The node can be embedded: a protocol that replicates a state machine (consensus_lock) owns a
// Node, hands it the Raft messages, proposes entries through it and hears of every applied entry
// through a StateMachine. The Raft members are the nodes with the embedding node's role.
//
// Simplifications, on purpose:
// - No snapshots, no membership changes, a fixed-size entry.
// - With replicate: false the log is what `log_length` preloads and never changes.
// - Timeouts that depend on "recently heard from a leader" (the CheckQuorum lease, the PreVote
//   rule, the leader's quorum check) all use the minimum of `election_timeout`: no follower can
//   time out sooner, so it is the tightest window that never outlives a follower's patience.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "protocols/common/durable_outbox.hpp"
#include "protocols/common/election.hpp"
#include "protocols/raft/config.hpp"
#include "protocols/raft/log.hpp"
#include "protocols/raft/messages.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::raft {

enum class NodeTimer : sim::TimerSlot {
  // Follower and (pre)candidate: start an election when it fires. Leader with check_quorum:
  // the moment the majority that last answered would be older than the minimum timeout.
  election,
  heartbeat,  // leader: the next heartbeat round
  propose,    // leader with propose_every: the next workload entry
};
// Slots an embedding protocol may use for its own timers start here.
inline constexpr sim::TimerSlot kFirstFreeTimer = 3;
static_assert(kFirstFreeTimer <= sim::kMaxTimerSlots);

enum class Role : uint8_t { follower, pre_candidate, candidate, leader };

// Durable keys, written only with persist_vote. voted_for holds a node index, or -1 for none.
inline constexpr std::string_view kTermKey = "term";
inline constexpr std::string_view kVotedForKey = "voted_for";
// The durable log (replicate: true): one record per entry, record i is index i + 1.
inline constexpr std::string_view kLogName = "raft.log";

// What an embedding protocol's replicated state machine hears: every committed entry, once per
// process lifetime, in index order (Fig. 2, lastApplied). No-ops (op 0) are applied too.
class StateMachine {
 public:
  virtual ~StateMachine() = default;
  virtual void apply(sim::Context& ctx, uint64_t index, const Entry& entry) = 0;
};

// The ids of the log observations (log.applied and its fields).
struct LogObservations {
  sim::Kind applied = sim::kNoKind;
  sim::Key index = sim::kNoKey, term = sim::kNoKey, entry = sim::kNoKey;
  static LogObservations resolve(const sim::Vocabulary& v);
};
std::vector<sim::FieldSpec> log_fields();
std::vector<sim::ObservationSpec> log_observations();

class Node final : public sim::Process {
 public:
  explicit Node(const Config& config, StateMachine* machine = nullptr)
      : config_(config), machine_(machine) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;
  void on_durable(sim::Context& ctx, sim::StorageTicket ticket) override;

  Role role() const { return role_; }
  uint64_t term() const { return term_; }
  sim::NodeIndex voted_for() const { return voted_for_; }
  sim::NodeIndex leader() const { return leader_; }
  const Log& log() const { return log_; }
  uint64_t commit_index() const { return commit_; }
  uint64_t applied_index() const { return applied_; }
  std::span<const sim::NodeIndex> members() const { return members_; }

  // Leader only (returns 0 elsewhere): appends an entry of the current term and sends it; the
  // index it will have if committed. `id` 0 gets a fresh id from this node.
  uint64_t propose(sim::Context& ctx, Entry entry);

 private:
  size_t cluster_size() const { return members_.size(); }
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
                       std::string_view why, bool reset_timer = true);
  void heartbeat_round(sim::Context& ctx);
  // Records a granted (pre)vote from `voter`; true when that makes a majority.
  bool tally(sim::NodeIndex voter);
  // Starts a new round with only this node's own vote; true when that alone is a majority.
  bool reset_tally(sim::Context& ctx);
  void broadcast(sim::Context& ctx, const sim::Message& message);
  void reset_election_timer(sim::Context& ctx);
  void persist(sim::Context& ctx);

  // replication.cpp: the log's side of the protocol.
  void load_log(sim::Context& ctx);
  void send_append(sim::Context& ctx, sim::NodeIndex to);
  void on_replicated_append(sim::Context& ctx, sim::NodeIndex from, const AppendEntries& append,
                            std::span<const Entry> entries);
  void on_replication_response(sim::Context& ctx, sim::NodeIndex from,
                               const AppendResponse& response);
  void start_leader_log(sim::Context& ctx);
  // Writes log changes from index `from` on to storage and records the sync they wait for.
  void persist_log(sim::Context& ctx, uint64_t from);
  void advance_commit(sim::Context& ctx);
  void apply_committed(sim::Context& ctx);
  void on_propose_timer(sim::Context& ctx);
  bool is_member(sim::NodeIndex i) const { return member_[i]; }

  Config config_;
  StateMachine* machine_ = nullptr;
  ElectionObservations obs_{};
  LogObservations log_obs_{};
  std::vector<sim::NodeIndex> members_;
  std::vector<bool> member_;  // by node index
  DurableOutbox outbox_;      // replies wait here until term and vote are durable
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
  // The log (Fig. 2): volatile commit and apply indexes, the leader's next/match per node, and
  // the leader's own durable index (it counts itself toward a commit only once its entries are on
  // disk, or at once with ack_before_fsync).
  Log log_;
  uint64_t commit_ = 0;
  uint64_t applied_ = 0;
  std::vector<uint64_t> next_;
  std::vector<uint64_t> match_;
  uint64_t durable_index_ = 0;
  std::deque<std::pair<sim::StorageTicket, uint64_t>> unsynced_;  // (sync, last index it covers)
  uint64_t proposed_ = 0;                                         // ids this process handed out
  std::vector<uint64_t> match_scratch_;
};

}  // namespace lockstep::protocols::raft
