// The coordination store (a one-key etcd or Kubernetes API server): it holds the lease record
// with a version number and applies updates by compare-and-swap on that version. It runs on one
// node, so it is linearizable by construction, and it keeps the record in durable storage so a
// crash of the store loses nothing.
#pragma once

#include <string_view>

#include "protocols/lease_election/messages.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::lease_election {

// Durable keys of the store.
inline constexpr std::string_view kVersionKey = "version";
inline constexpr std::string_view kHolderKey = "holder";
inline constexpr std::string_view kTransitionsKey = "transitions";
inline constexpr std::string_view kLeaseDurationKey = "lease_duration_ns";
inline constexpr std::string_view kRenewTimeKey = "renew_time_ns";

// The store observes nothing: reads and writes are visible in the trace as messages, and what
// matters to the checkers is what the candidates believe.
class Store final : public sim::Process {
 public:
  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  uint64_t version() const { return version_; }
  const Record& record() const { return record_; }

 private:
  void on_update(sim::Context& ctx, sim::NodeIndex from, const Update& update);

  uint64_t version_ = 0;
  Record record_{kNoHolder, 0, 0, 0};
};

}  // namespace lockstep::protocols::lease_election
