// A lease-election candidate, following client-go's leaderelection package: it reads the lease
// record every retry_period; a non-leader takes the lease over (compare-and-swap on the version
// it read) once the record has not changed for lease_duration on its own monotonic clock; the
// leader renews every retry_period and stops acting if no renewal has succeeded for
// renew_deadline. While it believes it leads, it writes to the resource with its term as token.
#pragma once

#include <cstdint>
#include <string_view>

#include "protocols/common/election.hpp"
#include "protocols/lease_election/config.hpp"
#include "protocols/lease_election/messages.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::lease_election {

// The candidate's timer slots; setting a slot replaces its pending timer.
enum class CandidateTimer : sim::TimerSlot {
  tick,            // every retry_period: renew (leader) or read the record (everyone else)
  renew_deadline,  // the leader has not renewed successfully for renew_deadline
  write,           // the leader's next write to the resource
};
inline constexpr sim::TimerSlot kCandidateTimerCount = 3;
static_assert(kCandidateTimerCount <= sim::kMaxTimerSlots);

enum class Request : uint8_t { none, get, acquire, renew };

inline constexpr std::string_view kBootsKey = "boots";

// Expiry is judged only by when this candidate last saw the record change, on its own monotonic
// clock, never by the renew time written inside the record: that is what makes clock offsets
// between nodes irrelevant. What it does not protect against is a leader that is paused: its
// belief is a flag that only its renew_deadline timer clears, and a paused process runs no
// timers, so it resumes still believing it leads. The scenarios show the hazard and fencing.
//
// Observations: election.started {term it would take} when it sends an acquiring update,
// leader.elected {term} when that succeeds, leader.confirmed {term} on every successful renewal,
// leader.stepped_down {term} ("renew_deadline", "lease_lost"), term.changed {term} when it sees
// the record's transitions counter grow. The term is the record's transitions counter.
class Candidate final : public sim::Process {
 public:
  // `resource` may be sim::kNoNode: a run without a resource elects leaders that write nothing.
  Candidate(const Config& config, const Workload& workload, sim::NodeIndex store,
            sim::NodeIndex resource);

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  bool leading() const { return leading_; }
  uint64_t term() const { return term_; }
  // The record as last seen, and when (monotonic) it was last seen to change.
  uint64_t observed_version() const { return observed_version_; }
  const Record& observed_record() const { return observed_; }
  sim::LocalTime observed_at() const { return observed_at_; }

 private:
  void tick(sim::Context& ctx);
  void on_get_reply(sim::Context& ctx, const GetReply& reply);
  void on_update_ok(sim::Context& ctx, const UpdateOk& ok);
  void on_update_conflict(sim::Context& ctx, const UpdateConflict& conflict);
  void observe_record(sim::Context& ctx, uint64_t version, const Record& record);
  void try_acquire(sim::Context& ctx);
  void send_update(sim::Context& ctx, Request kind, uint64_t transitions);
  void become_leader(sim::Context& ctx, uint64_t version);
  void renewed(sim::Context& ctx, uint64_t version);
  void credit_write(sim::Context& ctx, uint64_t version);
  void step_down(sim::Context& ctx, std::string_view why);
  void send_write(sim::Context& ctx);

  Config config_;
  ElectionObservations obs_{};
  Workload workload_;
  sim::NodeIndex store_;
  sim::NodeIndex resource_;
  sim::NodeIndex self_ = sim::kNoNode;

  // The one request in flight. Each try supersedes the previous one, whose late reply is then
  // ignored. Numbers start at boots << 32 so a restarted candidate never reuses one.
  uint64_t req_ = 0;
  Request pending_ = Request::none;
  sim::LocalTime sent_at_;
  Record sent_record_{kNoHolder, 0, 0, 0};

  bool have_observed_ = false;
  uint64_t observed_version_ = 0;
  Record observed_{kNoHolder, 0, 0, 0};
  sim::LocalTime observed_at_;
  uint64_t highest_term_seen_ = 0;

  bool leading_ = false;
  uint64_t term_ = 0;
  uint64_t version_ = 0;  // the version of the leader's last successful write
  uint64_t seq_ = 0;
};

}  // namespace lockstep::protocols::lease_election
