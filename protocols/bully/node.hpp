// A bully-election node: the highest-ranked node that is alive becomes coordinator, announces a
// new term, and heartbeats everyone so that its failure is noticed and a new election runs.
#pragma once

#include <compare>
#include <cstdint>
#include <string_view>
#include <vector>

#include "protocols/bully/config.hpp"
#include "protocols/bully/messages.hpp"
#include "protocols/common/election.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::bully {

// The node's timer slots; setting a slot replaces its pending timer.
enum class NodeTimer : sim::TimerSlot {
  answer_wait,       // electing: no higher node answered in time, so this node wins
  coordinator_wait,  // answered (or outranked): no Coordinator came in time, elect again
  leader_silence,    // following: the coordinator's heartbeats stopped
  heartbeat,         // coordinating: time for the next heartbeat round
};
inline constexpr sim::TimerSlot kNodeTimerCount = 4;
static_assert(kNodeTimerCount <= sim::kMaxTimerSlots);

enum class State : uint8_t {
  listening,  // restarted: waiting one leader_timeout for a heartbeat before electing
  following,  // accepts `coordinator()` and expects its heartbeats
  electing,   // sent Election, waiting for an Answer
  awaiting,   // a higher node answered: waiting for its Coordinator message
  leading,    // this node is coordinator for `leader_term()`
};

// Who wins: the higher priority, ties broken by the higher node index.
struct Rank {
  int64_t priority;
  sim::NodeIndex index;
  auto operator<=>(const Rank&) const = default;
};

// Durable keys: the highest term seen survives a crash so a restarted coordinator never reuses
// a term it already knew of; `boots` tells a restart from the first boot.
inline constexpr std::string_view kTermKey = "term";
inline constexpr std::string_view kBootsKey = "boots";

// Terms: every message carries the sender's highest term seen; a new coordinator takes that
// maximum plus one. Two elections that cannot hear each other (a partition) may still pick the
// same term: bully has no quorum, so terms label reigns without making them exclusive.
//
// Observations: election.started {term it would take}, term.changed {term} when the highest
// term seen grows, leader.elected {term} when it becomes coordinator (also when a coordinator
// re-announces itself under a fresh term), leader.confirmed {term} once per heartbeat round that
// a majority of all nodes (itself included) acknowledged as followers, leader.stepped_down
// {term} with the reason ("outranked", "stale_term"). Bully has no votes: vote.granted is never
// observed.
class Node final : public sim::Process {
 public:
  explicit Node(const Config& config) : config_(config) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  State state() const { return state_; }
  uint64_t term() const { return term_; }
  // The term of the coordinator this node follows or is (0 before it knows one).
  uint64_t leader_term() const { return leader_term_; }
  sim::NodeIndex coordinator() const { return coordinator_; }
  Rank rank() const { return {priority_, self_}; }

 private:
  void on_election(sim::Context& ctx, sim::NodeIndex from, const Election& election);
  void on_answer(sim::Context& ctx, const Answer& answer);
  void on_heartbeat(sim::Context& ctx, sim::NodeIndex from, const Heartbeat& heartbeat);
  void on_heartbeat_ack(sim::Context& ctx, sim::NodeIndex from, const HeartbeatAck& ack);
  // A Coordinator message or a heartbeat: `from` says it leads under `term`.
  void on_claim(sim::Context& ctx, sim::NodeIndex from, uint64_t term, int64_t priority);
  void note_term(sim::Context& ctx, uint64_t term);
  void start_election(sim::Context& ctx);
  void become_coordinator(sim::Context& ctx);
  void follow(sim::Context& ctx, sim::NodeIndex coordinator, uint64_t term);
  void step_down(sim::Context& ctx, std::string_view why);
  void await_coordinator(sim::Context& ctx);
  void start_round(sim::Context& ctx);
  void send_to_others(sim::Context& ctx, const sim::Message& message);

  Config config_;
  ElectionObservations obs_{};
  sim::NodeIndex self_ = sim::kNoNode;
  int64_t priority_ = 0;
  State state_ = State::listening;
  uint64_t term_ = 0;         // the highest term seen (durable)
  uint64_t leader_term_ = 0;  // the term of the coordinator followed or led
  sim::NodeIndex coordinator_ = sim::kNoNode;

  // The current heartbeat round, while leading.
  uint64_t round_ = 0;
  size_t acks_ = 0;  // this node plus the distinct followers that acknowledged the round
  std::vector<uint8_t> acked_;
  bool confirmed_ = false;
};

}  // namespace lockstep::protocols::bully
