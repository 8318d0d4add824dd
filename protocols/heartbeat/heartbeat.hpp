// The heartbeat mesh, the benchmark workload (see the peers' README): every node beats to every
// other node at a fixed interval and remembers when it last heard from each.
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

namespace lockstep::protocols::heartbeat {

inline constexpr std::string_view kRoleNode = "node";
inline constexpr uint16_t kBeatType = 0;

struct Beat {
  uint64_t seq;
};

enum class NodeTimer : sim::TimerSlot { beat };

// Node i of N starts at i·interval/N, so the beats of the mesh are spread evenly over a period.
// The hot path (one timer per period, N-1 sends, one store per delivery) allocates nothing and
// observes nothing: the trace already records every send and delivery.
class Node final : public sim::Process {
 public:
  explicit Node(sim::Duration interval);

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  // The monotonic reading at the last delivery from each node (0 if never heard from).
  std::span<const sim::LocalTime> last_heard() const { return last_heard_; }
  uint64_t beats_sent() const { return seq_; }

 private:
  sim::Duration interval_;
  uint64_t seq_ = 0;
  std::vector<sim::LocalTime> last_heard_;
};

std::vector<sim::ParamSpec> param_specs();
std::vector<std::string_view> message_names();
// Throws std::invalid_argument on an unknown role or an interval that is not positive.
std::unique_ptr<sim::Process> make(const sim::NodeSetup& setup);
sim::ProtocolSpec spec();

// Wire form (protocols/common/wire.hpp): the type byte, then seq as 8 little-endian bytes.
std::vector<std::byte> encode(const sim::Message& message);
std::optional<sim::Message> decode(std::span<const std::byte> bytes);

}  // namespace lockstep::protocols::heartbeat
