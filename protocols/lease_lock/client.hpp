// A lease-lock client: acquires the lock from the server, renews it, writes to the resource
// while it believes it holds the lock, and releases it after its hold time.
#pragma once

#include "protocols/lease_lock/config.hpp"
#include "protocols/lease_lock/messages.hpp"
#include "protocols/lease_lock/observations.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::lease_lock {

// The client's timer slots; setting a slot replaces its pending timer.
enum class ClientTimer : sim::TimerSlot {
  acquire,    // time to ask for the lock (first try, retry after a Deny, or after letting go)
  retry,      // the pending request went unanswered
  lease_end,  // the client's own (conservative) view of the lease runs out
  renew,      // time to send a renewal
  write,      // time to write to the resource
  hold_end,   // done with the lock: release it
};
inline constexpr sim::TimerSlot kClientTimerCount = 6;
static_assert(kClientTimerCount <= sim::kMaxTimerSlots);

// Belief in holding the lock is a flag that a timer clears, as in a lock library's "lease lost"
// callback. That is what makes a process pause dangerous, and it is intended: after a pause the
// timers that came due during it fire in due order, so a WRITE due before LEASE_END still goes
// out with a lease the server may long have given away. The scenarios show the hazard and what
// fencing does about it.
class Client final : public sim::Process {
 public:
  Client(const Config& config, const Workload& workload, sim::NodeIndex server,
         sim::NodeIndex resource);

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  bool holding() const { return holding_; }
  bool waiting() const { return waiting_; }
  uint64_t token() const { return token_; }
  sim::LocalTime valid_until() const { return valid_until_; }

 private:
  void send_acquire(sim::Context& ctx);
  void on_grant(sim::Context& ctx, const Grant& grant);
  void on_deny(sim::Context& ctx, const Deny& deny);
  void on_renew_ok(sim::Context& ctx, const RenewOk& ok);
  void on_renew_fail(sim::Context& ctx, const RenewFail& fail);
  void send_renew(sim::Context& ctx);
  void send_write(sim::Context& ctx);
  void release(sim::Context& ctx);
  void stop_holding(sim::Context& ctx);
  void arm_lease_end(sim::Context& ctx);
  void schedule_next_acquire(sim::Context& ctx);

  Config config_;
  Workload workload_;
  Observations obs_{};
  sim::NodeIndex server_;
  sim::NodeIndex resource_;

  // One counter numbers acquires and renewals. It starts at boots << 32 so that a restarted
  // client never reuses an attempt number whose late answer could still be in flight.
  uint64_t attempt_ = 0;
  bool waiting_ = false;
  uint64_t acquire_attempt_ = 0;
  sim::LocalTime request_sent_at_;

  bool holding_ = false;
  uint64_t token_ = 0;
  sim::LocalTime valid_until_;
  uint64_t renew_attempt_ = 0;
  sim::LocalTime renew_sent_at_;
  uint64_t seq_ = 0;
};

}  // namespace lockstep::protocols::lease_lock
