// One Redlock server: a single-instance key-value store holding one key, set by
// SET key value NX PX ttl and deleted by compare-and-delete. Servers know nothing of each other:
// there is no replication, and each expires its key by its own clock.
#pragma once

#include <cstdint>
#include <string_view>

#include "protocols/redlock/config.hpp"
#include "protocols/redlock/messages.hpp"
#include "protocols/redlock/observations.hpp"
#include "sim/core/process.hpp"

namespace lockstep::protocols::redlock {

// Durable keys. The grant counter and boot count always survive (a token that went backwards
// would be worse than none); the key itself only with `persistence`.
inline constexpr std::string_view kBootsKey = "boots";
inline constexpr std::string_view kCounterKey = "counter";
inline constexpr std::string_view kValueKey = "value";
inline constexpr std::string_view kHolderKey = "holder";
inline constexpr std::string_view kExpiresKey = "expires_ns";

class Server final : public sim::Process {
 public:
  explicit Server(const Config& config) : config_(config) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  bool has_key() const { return has_key_; }
  sim::NodeIndex holder() const { return holder_; }
  uint64_t counter() const { return counter_; }

 private:
  sim::LocalTime expiry_now(const sim::Context& ctx) const { return ctx.now(config_.expiry_clock); }
  void drop_if_expired(sim::Context& ctx);
  void on_lock(sim::Context& ctx, sim::NodeIndex from, const Lock& lock);
  void on_unlock(sim::Context& ctx, const Unlock& unlock);
  void forget_key(sim::Context& ctx);
  void reply(sim::Context& ctx, sim::NodeIndex to, uint64_t attempt, bool granted);

  Config config_;
  Observations obs_{};
  bool has_key_ = false;
  uint64_t value_ = 0;
  sim::NodeIndex holder_ = sim::kNoNode;
  sim::LocalTime expires_at_;  // on the expiry clock
  uint64_t counter_ = 0;
  bool delaying_ = false;
  sim::LocalTime available_at_;  // on the monotonic clock
};

}  // namespace lockstep::protocols::redlock
