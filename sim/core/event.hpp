// Trace events: what happened, when, on which node, with typed fields. The kernel owns only its
// generic kinds (net.*, timer.*, node.*, fault.*) and keys; every other kind and key is declared
// by a protocol and given an id by the run's Vocabulary (sim/core/vocabulary.hpp), so the kernel
// never names a protocol's words. docs/trace-format.md documents every kind and field.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/core/time.hpp"

namespace lockstep::sim {

using NodeIndex = uint32_t;
inline constexpr NodeIndex kNoNode = UINT32_MAX;

// A kind id. The kernel's kinds have the fixed ids below; a protocol's kinds get the ids the
// Vocabulary assigns, after them.
enum class Kind : uint16_t {
  net_send,
  net_deliver,
  net_drop,
  net_link_down,
  net_link_up,
  timer_fire,
  node_start,
  fault_crash,
  fault_restart,
  fault_pause,
  fault_resume,
  fault_partition,
  fault_cut,
  fault_isolate,
  fault_heal,
  fault_clock_step,
  fault_skipped,
  fault_clock_rate,
  fault_disk_stall,
  fault_disk_slow,
  fault_link,
  storage_sync,
  storage_durable,
  storage_lost,
};
inline constexpr size_t kKernelKinds = 24;
inline constexpr Kind kNoKind = static_cast<Kind>(UINT16_MAX);

// How a field's int64 value is to be read; decides its JSON rendering.
enum class FieldType : uint8_t { integer, node, duration_ns, boolean, message_type };

// A field key id; the kernel's keys first, a protocol's after them (as for Kind).
enum class Key : uint16_t {
  to,
  from,
  msg,
  msg_id,
  slot,
  fault,
  target,
  by_ns,
  ppm,
  ticket,
  writes
};
inline constexpr size_t kKernelKeys = 11;
inline constexpr Key kNoKey = static_cast<Key>(UINT16_MAX);

struct Field {
  Key key;
  int64_t value;

  constexpr bool operator==(const Field&) const = default;
};

// One observable step of a run. `text` (when not empty) is a short description owned by the
// run (a fault's description, a step-down reason) and lives as long as the run.
struct Event {
  static constexpr size_t kMaxFields = 4;

  Event() : fields{} {}
  // Leaves `fields` unset, for a writer that sets every one of them itself (the world sets its
  // events' fields and zeroes the rest: clearing the whole event first cost a `rep stos` per
  // event).
  struct FieldsUnset {};
  explicit Event(FieldsUnset) {}

  Instant at;
  NodeIndex node = kNoNode;
  LocalTime mono;
  LocalTime wall;
  Kind kind = Kind::net_send;
  uint8_t field_count = 0;
  std::array<Field, kMaxFields> fields;  // the first field_count are the event's; the rest zero
  std::string_view text;

  // The value of `key`, if the event carries it.
  std::optional<int64_t> get(Key key) const {
    for (uint8_t i = 0; i < field_count; ++i) {
      if (fields[i].key == key) return fields[i].value;
    }
    return std::nullopt;
  }
  int64_t get_or(Key key, int64_t fallback) const { return get(key).value_or(fallback); }
};

}  // namespace lockstep::sim
