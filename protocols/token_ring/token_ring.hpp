// A token ring: the smallest lock worth simulating, and the worked example of
// docs/adding-a-protocol.md. N nodes pass one token around a ring; the node holding it holds
// the lock. It has no server and no lease, so it shows two classic faults plainly: a lost token
// stops the ring forever (liveness), and a duplicated one makes two holders (mutual exclusion),
// unless receivers ignore a token whose sequence number they have already seen (`dedupe`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "sim/core/process.hpp"
#include "sim/core/protocol.hpp"

namespace lockstep::protocols::token_ring {

inline constexpr std::string_view kRoleNode = "node";
inline constexpr uint16_t kTokenType = 0;

// The token itself: how many times it has been passed, so a copy is recognisable.
struct Token {
  uint64_t seq;
};

struct Config {
  sim::Duration hold;  // how long a node keeps the token before passing it on
  bool dedupe = false;

  // Throws std::invalid_argument on a hold that is not positive.
  static Config from(const sim::Params& params);
};

enum class NodeTimer : sim::TimerSlot { pass };

class Node final : public sim::Process {
 public:
  explicit Node(const Config& config) : config_(config) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  bool holding() const { return holding_; }
  uint64_t seq() const { return seq_; }

 private:
  void take(sim::Context& ctx, uint64_t seq);

  Config config_;
  sim::Kind acquired_ = sim::kNoKind;
  sim::Kind released_ = sim::kNoKind;
  sim::Key token_ = sim::kNoKey;
  bool holding_ = false;
  uint64_t seq_ = 0;                 // the token's number while holding it
  std::optional<uint64_t> highest_;  // the highest token number received (for dedupe)
};

sim::ProtocolSpec spec();
std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup);
std::vector<std::byte> encode(const sim::Message& message);
std::optional<sim::Message> decode(std::span<const std::byte> bytes);

}  // namespace lockstep::protocols::token_ring
