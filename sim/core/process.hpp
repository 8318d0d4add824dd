// The runtime interface a protocol sees: a Process is a pure state machine driven by messages,
// timers and (re)starts; it acts only through Context. The simulator and the live runtime both
// implement Context, so protocol code runs unchanged in either. Nothing here reveals true time.
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sim/core/distribution.hpp"
#include "sim/core/event.hpp"
#include "sim/core/params.hpp"
#include "sim/core/payload.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/storage.hpp"
#include "sim/core/time.hpp"
#include "sim/core/vocabulary.hpp"

namespace lockstep::sim {

// A message: a protocol-defined type id, a small trivially-copyable header (`body`) that travels
// by value, and an optional immutable payload of any size (sim/core/payload.hpp) that every copy
// of the message shares. Messages without a payload move without allocating anything.
struct Message {
  static constexpr size_t kBodyBytes = 48;

  uint16_t type = 0;
  uint16_t size = 0;
  alignas(8) std::array<std::byte, kBodyBytes> body{};
  Payload payload;

  template <class T>
  static Message of(uint16_t type, const T& value, Payload payload) {
    Message m = of(type, value);
    m.payload = payload;
    return m;
  }

  template <class T>
  static Message of(uint16_t type, const T& value) {
    static_assert(std::is_trivially_copyable_v<T>, "message bodies are plain values");
    static_assert(sizeof(T) <= kBodyBytes, "message body too large");
    Message m;
    m.type = type;
    m.size = static_cast<uint16_t>(sizeof(T));
    std::memcpy(m.body.data(), &value, sizeof(T));
    return m;
  }

  template <class T>
  T as() const {
    static_assert(std::is_trivially_copyable_v<T>, "message bodies are plain values");
    assert(size == sizeof(T));
    T value;
    std::memcpy(&value, body.data(), sizeof(T));
    return value;
  }
};

enum class ClockKind : uint8_t { monotonic, wall };

// A protocol names its timers by slot; setting a slot replaces the timer pending in it.
using TimerSlot = uint16_t;
inline constexpr TimerSlot kMaxTimerSlots = 16;

// Who is in the run: names and roles by index, fixed for the whole run.
struct NodeInfo {
  std::string id;
  std::string role;
};

class Directory {
 public:
  explicit Directory(std::vector<NodeInfo> nodes);
  size_t size() const { return nodes_.size(); }
  const NodeInfo& operator[](NodeIndex i) const { return nodes_[i]; }
  // Indices of the nodes with `role`, in declaration order.
  std::span<const NodeIndex> with_role(std::string_view role) const;

 private:
  std::vector<NodeInfo> nodes_;
  std::map<std::string, std::vector<NodeIndex>, std::less<>> by_role_;
};

class Context {
 public:
  virtual ~Context() = default;

  virtual NodeIndex self() const = 0;
  virtual const Directory& directory() const = 0;
  // This node's own clock readings. Timers run on the monotonic clock.
  virtual LocalTime now(ClockKind clock = ClockKind::monotonic) const = 0;
  virtual void send(NodeIndex to, const Message& message) = 0;
  // A payload holding `bytes`, valid until this handler returns unless a sent message carries
  // it. Throws PayloadLimitError (a LimitError in the world) beyond the run's payload limits.
  virtual Payload payload(std::span<const std::byte> bytes) = 0;
  // Fires on_timer(slot) once `after` has elapsed on this node's monotonic clock.
  virtual void set_timer(TimerSlot slot, Duration after) = 0;
  virtual void cancel_timer(TimerSlot slot) = 0;
  // This host's storage: survives a crash as its storage model says (sim/core/storage.hpp).
  virtual Storage& durable() = 0;
  virtual Rng& rng() = 0;
  // The run's kind and key names: a process resolves the ids of the observations its protocol
  // declares here (once, in on_start), then observes by id.
  virtual const Vocabulary& vocabulary() const = 0;
  // Records a semantic step (lock.acquired, leader.elected...) in the trace.
  virtual void observe(Kind kind, std::initializer_list<Field> fields,
                       std::string_view text = {}) = 0;

  Duration sample(const Distribution& d) { return Duration{d.sample_int(rng())}; }
  // A payload holding `items` (plain values: log entries, key lists); read with items<T>().
  template <class T>
  Payload payload_of(std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T>, "payload items are plain values");
    static_assert(alignof(T) <= PayloadPool::kMinBlock, "payloads are 16-byte aligned");
    return payload(std::as_bytes(items));
  }
};

class Process {
 public:
  virtual ~Process() = default;
  // Called at boot and again after every restart (on a fresh instance: volatile state is gone).
  virtual void on_start(Context& ctx) = 0;
  virtual void on_message(Context& ctx, NodeIndex from, const Message& message) = 0;
  virtual void on_timer(Context& ctx, TimerSlot slot) = 0;
  // A sync this process asked for completed (only for syncs that did not complete at once).
  virtual void on_durable(Context& /*ctx*/, StorageTicket /*ticket*/) {}
};

// What a protocol needs to build one node's process.
struct NodeSetup {
  NodeIndex index;
  const NodeInfo& info;
  const Directory& directory;
  const Params& params;    // protocol params, with this node's overrides applied
  const Params& workload;  // workload params
};

}  // namespace lockstep::sim
