// What the world is told to break and when: the fault kinds, their targets (a node, or a role
// resolved when the fault fires), and one seed's concrete plan (clocks and faults), made before
// the run starts (sim/scenario/plan.hpp resolves a scenario into it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/distribution.hpp"
#include "sim/core/event.hpp"
#include "sim/core/time.hpp"

namespace lockstep::sim {

enum class FaultType : uint8_t {
  crash,
  pause,
  partition,
  cut,
  isolate,
  clock_step,
  clock_rate,         // the node's clocks run at a new rate (for a while, or for good)
  disk_stall,         // the node's disk completes no sync for a while
  disk_slow,          // the node's disk takes `factor` times as long for a while
  link,               // one directed link's latency and loss change for a while
  drop,               // one chosen message is lost
  partial_partition,  // two groups cannot reach each other; every other node reaches both
};
inline constexpr size_t kFaultTypes = 12;
std::string_view fault_type_name(FaultType t);

// A node named in the file, or a role resolved when the fault fires ("holder", "leader").
struct Target {
  NodeIndex node = kNoNode;
  std::string role;  // non-empty: resolved at fire time
};

struct NodeClock {
  int64_t drift_ppb = 0;  // parts per billion; the clock runs at 1 + drift_ppb·1e-9
  int64_t offset_ns = 0;  // initial wall-clock offset from true time
};

// Fires a fault relative to a trace event instead of at a planned time: the nth event of `kind`
// on `node` (a node, a role claimant at that moment, or any node) whose fields equal `where`,
// then `after` later. Like the failpoints of etcd's robustness tests, but from outside the code.
struct Trigger {
  Kind kind = kNoKind;
  Target node;      // node == kNoNode and role empty: any node
  int64_t nth = 1;  // 1-based
  std::vector<Field> where;
  Duration after;
  std::string text;  // "after the 20th leader.confirmed on leader", for descriptions
};

// A degraded link (the `link` fault): what changes while it lasts.
struct LinkChange {
  std::optional<Distribution> latency_ns;
  std::optional<double> loss;
};

// Which message a `drop` fault loses: the nth of a type on a link (from/to kNoNode: any).
struct DropRule {
  uint16_t message = 0;
  NodeIndex from = kNoNode;
  NodeIndex to = kNoNode;
  int64_t nth = 1;
  std::string name;  // the message type's name, for descriptions
};

struct PlannedFault {
  FaultType type;
  Instant at;  // for a triggered fault: unused until the trigger fires
  Target target;
  std::optional<Duration> length;  // nullopt: never healed / restarted / resumed / restored
  std::vector<std::vector<NodeIndex>> groups;
  std::vector<std::pair<NodeIndex, NodeIndex>> links;
  Duration by;         // clock_step
  int64_t to_ppb = 0;  // clock_rate: the new drift, parts per billion
  double factor = 1;   // disk_slow
  LinkChange change;   // link (links[0] is the link)
  DropRule drop;       // drop
  std::optional<Trigger> trigger;
  std::string description;  // "pause c1 for 15s"
  bool from_nemesis = false;
};

struct Plan {
  uint64_t seed = 0;
  std::vector<NodeClock> clocks;     // by NodeIndex
  std::vector<PlannedFault> faults;  // by time, ties in declaration order
};

}  // namespace lockstep::sim
