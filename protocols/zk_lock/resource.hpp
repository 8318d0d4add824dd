// The resource with Chubby's sequencer check (§2.4, CheckSequencer): before it accepts a write
// it asks the coordination server whether the write's token is still the lock holder's, and
// rejects the write if not. With `fencing` it also rejects tokens below the highest it accepted.
// Without the check, zk_lock uses the common FencedResource.
#pragma once

#include <cstdint>

#include "protocols/zk_lock/messages.hpp"
#include "protocols/zk_lock/observations.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::zk_lock {

class CheckingResource final : public sim::Process {
 public:
  CheckingResource(bool fencing, sim::NodeIndex server) : fencing_(fencing), server_(server) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  uint64_t highest() const { return highest_; }

 private:
  void on_verdict(sim::Context& ctx, const ValidateReply& r);

  bool fencing_;
  sim::NodeIndex server_;
  Observations obs_{};
  uint64_t highest_ = 0;
};

}  // namespace lockstep::protocols::zk_lock
