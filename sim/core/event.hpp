// The closed vocabulary of trace events: what kinds of thing can happen in a run and the typed
// fields they carry. Protocols emit the semantic kinds through Context::observe; the simulator
// emits the rest. docs/trace-format.md documents every kind and field; names are stable.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "sim/core/time.hpp"

namespace lockstep::sim {

using NodeIndex = uint32_t;
inline constexpr NodeIndex kNoNode = UINT32_MAX;

#define LOCKSTEP_EVENT_KINDS(X)                 \
  X(net_send, "net.send")                       \
  X(net_deliver, "net.deliver")                 \
  X(net_drop, "net.drop")                       \
  X(net_link_down, "net.link_down")             \
  X(net_link_up, "net.link_up")                 \
  X(timer_fire, "timer.fire")                   \
  X(node_start, "node.start")                   \
  X(fault_crash, "fault.crash")                 \
  X(fault_restart, "fault.restart")             \
  X(fault_pause, "fault.pause")                 \
  X(fault_resume, "fault.resume")               \
  X(fault_partition, "fault.partition")         \
  X(fault_cut, "fault.cut")                     \
  X(fault_isolate, "fault.isolate")             \
  X(fault_heal, "fault.heal")                   \
  X(fault_clock_step, "fault.clock_step")       \
  X(fault_skipped, "fault.skipped")             \
  X(lock_requested, "lock.requested")           \
  X(lock_acquired, "lock.acquired")             \
  X(lock_renewed, "lock.renewed")               \
  X(lock_lost, "lock.lost")                     \
  X(lock_expired, "lock.expired")               \
  X(lock_released, "lock.released")             \
  X(lock_granted, "lock.granted")               \
  X(lock_denied, "lock.denied")                 \
  X(lock_lease_ended, "lock.lease_ended")       \
  X(resource_write, "resource.write")           \
  X(resource_rejected, "resource.rejected")     \
  X(election_started, "election.started")       \
  X(vote_granted, "vote.granted")               \
  X(leader_elected, "leader.elected")           \
  X(leader_confirmed, "leader.confirmed")       \
  X(leader_stepped_down, "leader.stepped_down") \
  X(term_changed, "term.changed")

enum class Kind : uint8_t {
#define X(id, name) id,
  LOCKSTEP_EVENT_KINDS(X)
#undef X
};
inline constexpr size_t kKindCount = 0
#define X(id, name) +1
    LOCKSTEP_EVENT_KINDS(X)
#undef X
    ;

// How a field's int64 value is to be read; decides its JSON rendering.
enum class FieldType : uint8_t { integer, node, duration_ns, boolean, message_type };

#define LOCKSTEP_FIELD_KEYS(X)         \
  X(to, "to", node)                    \
  X(from, "from", node)                \
  X(msg, "msg", message_type)          \
  X(msg_id, "msg_id", integer)         \
  X(slot, "slot", integer)             \
  X(fault, "fault", integer)           \
  X(target, "target", node)            \
  X(by_ns, "by_ns", duration_ns)       \
  X(token, "token", integer)           \
  X(holder, "holder", node)            \
  X(client, "client", node)            \
  X(writer, "writer", node)            \
  X(highest, "highest", integer)       \
  X(lease_ns, "lease_ns", duration_ns) \
  X(term, "term", integer)             \
  X(candidate, "candidate", node)      \
  X(prevote, "prevote", boolean)       \
  X(count, "count", integer)

enum class Key : uint8_t {
#define X(id, name, type) id,
  LOCKSTEP_FIELD_KEYS(X)
#undef X
};
inline constexpr size_t kKeyCount = 0
#define X(id, name, type) +1
    LOCKSTEP_FIELD_KEYS(X)
#undef X
    ;

std::string_view kind_name(Kind kind);
std::optional<Kind> kind_from_name(std::string_view name);
std::string_view key_name(Key key);
FieldType key_type(Key key);
std::optional<Key> key_from_name(std::string_view name);

struct Field {
  Key key;
  int64_t value;
};

// One observable step of a run. `text` (when not empty) is a short description owned by the
// run (a fault's description, a step-down reason) and lives as long as the run.
struct Event {
  static constexpr size_t kMaxFields = 4;

  Instant at;
  NodeIndex node = kNoNode;
  LocalTime mono;
  LocalTime wall;
  Kind kind = Kind::net_send;
  uint8_t field_count = 0;
  std::array<Field, kMaxFields> fields{};
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
