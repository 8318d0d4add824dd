// A Redlock client: tries every server in turn with the same random value, holds the lock only
// when a majority granted it with validity time left, writes to the resource while it believes
// it holds the lock, and releases by compare-and-delete on every server.
#pragma once

#include <cstdint>
#include <vector>

#include "protocols/redlock/config.hpp"
#include "protocols/redlock/messages.hpp"
#include "protocols/redlock/observations.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::redlock {

enum class ClientTimer : sim::TimerSlot {
  acquire,         // time to start an attempt
  server_timeout,  // the server being asked did not answer in time: try the next
  validity_end,    // the validity time ran out
  write,           // time to write to the resource
  hold_end,        // done with the lock: release it
};
static_assert(5 <= sim::kMaxTimerSlots);

// Like lease_lock's client, belief is a flag a timer clears: after a pause the timers that came
// due fire in due order, so a write due before the validity end still goes out. That is the
// hazard the pause scenario shows.
class Client final : public sim::Process {
 public:
  Client(const Config& config, const Workload& workload, std::vector<sim::NodeIndex> servers,
         sim::NodeIndex resource);

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  bool holding() const { return holding_; }
  bool acquiring() const { return acquiring_; }
  uint64_t token() const { return token_; }
  size_t granted() const { return granted_; }

 private:
  void start_attempt(sim::Context& ctx);
  void ask(sim::Context& ctx, size_t index);
  void finish_attempt(sim::Context& ctx);
  void hold(sim::Context& ctx, sim::Duration validity);
  void unlock_all(sim::Context& ctx);
  void stop_holding(sim::Context& ctx);
  void schedule(sim::Context& ctx, sim::Duration after);

  Config config_;
  Workload workload_;
  Observations obs_{};
  std::vector<sim::NodeIndex> servers_;
  sim::NodeIndex resource_;

  uint64_t attempt_ = 0;  // starts at boots << 32: a restarted client never reuses a number
  bool acquiring_ = false;
  bool waiting_ = false;  // between lock.requested and lock.acquired
  size_t asking_ = 0;     // index into servers_ of the server asked now
  size_t granted_ = 0;
  uint64_t value_ = 0;
  uint64_t token_ = 0;
  sim::LocalTime started_at_;
  bool holding_ = false;
  uint64_t seq_ = 0;
};

}  // namespace lockstep::protocols::redlock
