// The resource the leader writes to: it accepts writes and, with fencing on, rejects a write
// whose token (the writer's term) is below the highest token it has accepted. It observes
// resource.write and resource.rejected exactly as lease_lock's resource does, so the
// fenced_writes checker reads both protocols alike. It is a separate class because its message
// type ids are this protocol's.
#pragma once

#include <string_view>

#include "protocols/lease_election/messages.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::lease_election {

inline constexpr std::string_view kHighestKey = "highest";

class Resource final : public sim::Process {
 public:
  explicit Resource(bool fencing) : fencing_(fencing) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  uint64_t highest() const { return highest_; }

 private:
  bool fencing_;
  // Durable: a resource that forgot its highest token after a crash would accept stale writes.
  uint64_t highest_ = 0;
};

}  // namespace lockstep::protocols::lease_election
