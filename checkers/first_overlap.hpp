// The first time two nodes hold a belief at once (that they hold the lock, that they lead): who,
// from which events, and what ended it. mutual_exclusion and single_leader share it; they differ
// only in the events that start and end a belief and in how they explain the overlap. Events at
// one instant count in trace order.
#pragma once

#include <algorithm>
#include <cassert>
#include <optional>
#include <vector>

#include "checkers/internal.hpp"
#include "sim/core/event.hpp"

namespace lockstep::checkers::detail {

class FirstOverlap {
 public:
  // `earlier` already believed when `later` started to.
  struct Overlap {
    sim::NodeIndex earlier = sim::kNoNode;
    sim::NodeIndex later = sim::kNoNode;
    sim::Event earlier_start;
    sim::Event later_start;
    std::optional<sim::Event> ended_by;  // nullopt: both still believed when the run ended
    sim::Instant end;
  };

  void reset(size_t nodes) {
    nodes_.assign(nodes, Node{});
    believers_.clear();
    overlap_.reset();
    open_ = false;
  }

  // Once the first overlap has ended the verdict is settled: callers may stop tracking, which
  // also freezes their per-node facts as they were when it ended.
  bool settled() const { return overlap_.has_value() && !open_; }
  bool believes(sim::NodeIndex node) const { return node < nodes_.size() && nodes_[node].believes; }

  // `e.node` starts believing, or renews the belief it holds (`e` becomes its start event).
  // True when a new belief starts.
  bool start(const sim::Event& e) {
    Node& n = node_slot(nodes_, e.node);
    n.start = e;
    if (n.believes) return false;
    n.believes = true;
    if (!overlap_.has_value() && !believers_.empty()) {
      // Blame the longest-standing believer: it is the one that should have let go.
      const sim::NodeIndex earlier = believers_.front();
      assert(earlier != e.node);
      overlap_ = Overlap{earlier, e.node, nodes_[earlier].start, e, std::nullopt, e.at};
      open_ = true;
    }
    believers_.push_back(e.node);
    return true;
  }

  // `e.node` stops believing because of `e`.
  void stop(const sim::Event& e) {
    Node& n = node_slot(nodes_, e.node);
    assert(n.believes);
    n.believes = false;
    auto it = std::find(believers_.begin(), believers_.end(), e.node);
    assert(it != believers_.end());
    believers_.erase(it);
    if (open_ && (e.node == overlap_->earlier || e.node == overlap_->later)) close(e, e.at);
  }

  // The run ended: an overlap still going on ends here.
  void finish(sim::Instant at) {
    if (open_) close(std::nullopt, at);
  }

  const std::optional<Overlap>& overlap() const { return overlap_; }

 private:
  struct Node {
    bool believes = false;
    sim::Event start;  // the event that started (or last renewed) the current belief
  };

  void close(const std::optional<sim::Event>& by, sim::Instant at) {
    assert(open_);
    overlap_->ended_by = by;
    overlap_->end = at;
    open_ = false;
  }

  std::vector<Node> nodes_;
  std::vector<sim::NodeIndex> believers_;  // in the order they started
  std::optional<Overlap> overlap_;
  bool open_ = false;  // the first overlap is still going on
};

}  // namespace lockstep::checkers::detail
