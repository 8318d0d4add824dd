// The lease-lock server: grants one lease at a time, numbered by a fencing token that only grows,
// and lets it lapse when the holder stops renewing.
#pragma once

#include "protocols/lease_lock/config.hpp"
#include "protocols/lease_lock/messages.hpp"
#include "protocols/lease_lock/observations.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::lease_lock {

enum class ServerTimer : sim::TimerSlot {
  lease_check,  // the current lease may have run out: look at the expiry clock
};
static_assert(1 <= sim::kMaxTimerSlots);

// Durable keys. The token counter is durable whatever durable_state says: a token handed out
// twice (or a smaller one after a restart) would make fencing reject the rightful holder or
// accept a stale one, so the counter must never go backwards across a crash. With durable_state
// the holder and its token are kept too; otherwise a restarted server forgets who holds the lock.
inline constexpr std::string_view kCounterKey = "counter";
inline constexpr std::string_view kBootsKey = "boots";
inline constexpr std::string_view kHolderKey = "holder";
inline constexpr std::string_view kTokenKey = "token";

class Server final : public sim::Process {
 public:
  explicit Server(const Config& config) : config_(config) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  sim::NodeIndex holder() const { return holder_; }
  uint64_t token() const { return token_; }

 private:
  // The clock lease expiry is measured on (expiry_clock).
  sim::LocalTime expiry_now(const sim::Context& ctx) const { return ctx.now(config_.expiry_clock); }
  bool lease_live(const sim::Context& ctx) const;
  void on_acquire(sim::Context& ctx, sim::NodeIndex from, const Acquire& acquire);
  void on_renew(sim::Context& ctx, sim::NodeIndex from, const Renew& renew);
  void on_release(sim::Context& ctx, sim::NodeIndex from, const Release& release);
  void on_lease_check(sim::Context& ctx);
  void grant(sim::Context& ctx, sim::NodeIndex client, uint64_t attempt);
  void end_lease(sim::Context& ctx, std::string_view why);
  void deny(sim::Context& ctx, sim::NodeIndex client, uint64_t attempt, std::string_view why);

  Config config_;
  Observations obs_{};
  sim::NodeIndex holder_ = sim::kNoNode;
  uint64_t token_ = 0;
  uint64_t holder_attempt_ = 0;  // the request the current lease answered
  uint64_t counter_ = 0;
  sim::LocalTime expires_at_;  // on the expiry clock
  bool in_restart_grace_ = false;
  sim::LocalTime grace_until_;  // on the monotonic clock: a local wait, not a lease
};

}  // namespace lockstep::protocols::lease_lock
