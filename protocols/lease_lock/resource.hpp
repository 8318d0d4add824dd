// The resource the lock guards: it accepts writes and, with fencing on, rejects a write whose
// token is below the highest token it has accepted (equal tokens are the same holder).
#pragma once

#include "protocols/lease_lock/config.hpp"
#include "protocols/lease_lock/messages.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::lease_lock {

inline constexpr std::string_view kHighestKey = "highest";

class Resource final : public sim::Process {
 public:
  explicit Resource(const Config& config) : fencing_(config.fencing) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  uint64_t highest() const { return highest_; }

 private:
  bool fencing_;
  // Durable: a resource that forgot its highest token after a crash would accept stale writes.
  uint64_t highest_ = 0;
};

}  // namespace lockstep::protocols::lease_lock
