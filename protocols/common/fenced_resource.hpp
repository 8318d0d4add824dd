// The resource a lock or a leader guards. It accepts writes and, with fencing on, rejects a
// write whose token is below the highest token it has accepted (equal tokens are the same
// holder). Every protocol with a guarded resource uses this one, so fenced_writes reads all of
// them alike: it observes resource.write and resource.rejected, which the protocol declares by
// including the specs below in its own.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/core/process.hpp"
#include "sim/core/protocol.hpp"

namespace lockstep::protocols {

// The body of a write to the resource: the writer's token (a fencing token, a term) and its
// sequence number.
struct ResourceWrite {
  uint64_t token;
  uint64_t seq;
};

// The answer to a write, for a protocol whose clients record their writes in the history: the
// write's sequence number, and 1 when the resource applied it, 0 when fencing refused it.
struct ResourceAck {
  uint64_t seq;
  uint64_t accepted;
};

class FencedResource final : public sim::Process {
 public:
  // Durable: a resource that forgot its highest token after a crash would accept stale writes.
  static constexpr std::string_view kHighestKey = "highest";

  static constexpr uint16_t kNoAck = 0xFFFF;

  // `write_type` is the protocol's message type id of a ResourceWrite; with `ack_type`, the
  // resource answers every write with a ResourceAck of that type.
  FencedResource(bool fencing, uint16_t write_type, uint16_t ack_type = kNoAck)
      : fencing_(fencing), write_type_(write_type), ack_type_(ack_type) {}

  void on_start(sim::Context& ctx) override;
  void on_message(sim::Context& ctx, sim::NodeIndex from, const sim::Message& message) override;
  void on_timer(sim::Context& ctx, sim::TimerSlot slot) override;

  uint64_t highest() const { return highest_; }

  // The fields and kinds the resource observes, for the protocol's spec.
  static sim::FieldSpec token_field();
  static sim::FieldSpec writer_field();
  static sim::FieldSpec highest_field();
  static std::vector<sim::ObservationSpec> observations();

 private:
  bool fencing_;
  uint16_t write_type_;
  uint16_t ack_type_;
  uint64_t highest_ = 0;
  sim::Kind write_ = sim::kNoKind;
  sim::Kind rejected_ = sim::kNoKind;
  sim::Key writer_key_ = sim::kNoKey;
  sim::Key token_key_ = sim::kNoKey;
  sim::Key highest_key_ = sim::kNoKey;
};

}  // namespace lockstep::protocols
