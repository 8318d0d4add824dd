// Connectivity: which election nodes are up, paused and able to reach each other, followed from
// the trace (fault.crash/restart/pause/resume and net.link_down/up). leader_liveness and the
// election metrics read it so both judge "a connected majority" the same way.
#pragma once

#include <cstdint>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/core/event.hpp"
#include "sim/core/trace.hpp"

namespace lockstep::checkers::detail {

// Election nodes are the nodes whose role can claim "leader" (the protocol's spec says which);
// others hold data for them (a lease record, a guarded resource) and never vote or lead, so they
// do not count towards a majority. When the trace's protocol is unknown every node counts.
inline constexpr std::string_view kLeaderClaim = "leader";

// A majority of the election nodes that are all up, not paused, and mutually connected (every
// directed link between two of them open).
struct MajorityFinding {
  bool found = false;
  // False when the search gave up (see Connectivity::kSearchBudget) before deciding.
  bool decided = true;
  std::vector<sim::NodeIndex> members;  // when found: ascending node indices
};

class Connectivity {
 public:
  // Calls to the exact search for a connected majority before it gives up; the search is
  // exponential only in how many nodes must be left out, so real scenarios stay far below.
  static constexpr int64_t kSearchBudget = 200'000;

  void begin(const sim::TraceInfo& info);
  void on_event(const sim::Event& e);

  const std::vector<sim::NodeIndex>& election_nodes() const { return election_nodes_; }
  // More than half of the election nodes.
  size_t majority() const { return election_nodes_.size() / 2 + 1; }
  bool crashed(sim::NodeIndex node) const;
  bool paused(sim::NodeIndex node) const;
  bool available(sim::NodeIndex node) const { return !crashed(node) && !paused(node); }
  bool blocked(sim::NodeIndex from, sim::NodeIndex to) const {
    return blocked_.count({from, to}) > 0;
  }
  // Blocked directed links between two available election nodes, in (from, to) order.
  std::vector<std::pair<sim::NodeIndex, sim::NodeIndex>> blocked_among_available() const;
  // Whether `node` exchanges messages both ways with a majority of election nodes that are
  // available (itself counted when it is an available election node).
  bool reaches_majority(sim::NodeIndex node) const;
  // `budget` bounds the calls of the exact search (tests pass a small one).
  MajorityFinding find_connected_majority(int64_t budget = kSearchBudget) const;

 private:
  struct NodeStatus {
    bool crashed = false;
    int paused = 0;  // nested pauses, as the world counts them
  };
  std::vector<NodeStatus> nodes_;  // by node; grown on demand
  std::vector<sim::NodeIndex> election_nodes_;
  std::set<std::pair<sim::NodeIndex, sim::NodeIndex>> blocked_;  // directed (from, to)
};

}  // namespace lockstep::checkers::detail
