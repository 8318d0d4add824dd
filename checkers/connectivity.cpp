// Connectivity from the trace, and the exact search for a connected majority. A group is
// connected when no directed link between two of its members is blocked, so finding a majority
// is finding a small set of nodes to leave out that touches every "conflict" (a blocked link
// either way between two available nodes): a bounded vertex-cover search.
#include "checkers/connectivity.hpp"

#include <algorithm>
#include <cassert>
#include <optional>

#include "checkers/internal.hpp"

namespace lockstep::checkers::detail {
namespace {

using sim::NodeIndex;

// Leaves out at most `k` nodes of a conflict graph so that no conflict remains (a vertex cover of
// size <= k). Safe reductions first: a node with more than k live conflicts must be left out
// (keeping it would cost more than k), and for a node with one conflict, leaving out that other
// node is never worse. Then a lower bound (a greedy matching needs one node per edge) and a
// branch on the node with the most conflicts: leave it out, or leave out all its conflicts.
class CoverSearch {
 public:
  CoverSearch(const std::vector<std::vector<uint32_t>>& conflicts, int64_t budget)
      : conflicts_(conflicts), budget_(budget) {}

  // true: `out` marks the nodes left out; false: no such cover; nullopt: the budget ran out.
  std::optional<bool> run(int64_t k, std::vector<uint8_t>& out) {
    return search(std::vector<uint8_t>(conflicts_.size(), 0), k, out);
  }

 private:
  int64_t live_degree(uint32_t v, const std::vector<uint8_t>& removed) const {
    int64_t d = 0;
    for (uint32_t w : conflicts_[v]) d += removed[w] == 0 ? 1 : 0;
    return d;
  }

  // The node `v` must be left out for (or, with one conflict, the node it conflicts with);
  // nullopt when neither rule applies.
  std::optional<uint32_t> forced(uint32_t v, const std::vector<uint8_t>& removed, int64_t k) const {
    const int64_t d = live_degree(v, removed);
    if (d > k) return v;
    if (d != 1) return std::nullopt;
    for (uint32_t w : conflicts_[v]) {
      if (removed[w] == 0) return w;
    }
    assert(false && "a live degree of 1 has a live neighbour");
    return std::nullopt;
  }

  // Applies the reductions until none applies; false when they alone exceed k.
  bool reduce(std::vector<uint8_t>& removed, int64_t& k) const {
    for (bool changed = true; changed;) {
      changed = false;
      for (uint32_t v = 0; v < conflicts_.size(); ++v) {
        if (removed[v] != 0) continue;
        const std::optional<uint32_t> out = forced(v, removed, k);
        if (!out.has_value()) continue;
        removed[*out] = 1;
        changed = true;
        if (--k < 0) return false;
      }
    }
    return true;
  }

  // Edges of a greedy maximal matching: each needs its own node in any cover.
  int64_t matching_size(const std::vector<uint8_t>& removed) const {
    std::vector<uint8_t> used = removed;
    int64_t size = 0;
    for (uint32_t v = 0; v < conflicts_.size(); ++v) {
      if (used[v] != 0) continue;
      for (uint32_t w : conflicts_[v]) {
        if (used[w] != 0) continue;
        used[v] = used[w] = 1;
        ++size;
        break;
      }
    }
    return size;
  }

  std::optional<bool> search(std::vector<uint8_t> removed, int64_t k, std::vector<uint8_t>& out) {
    if (--budget_ < 0) return std::nullopt;
    if (!reduce(removed, k)) return false;
    if (matching_size(removed) > k) return false;
    uint32_t best = 0;
    int64_t best_degree = 0;
    for (uint32_t v = 0; v < conflicts_.size(); ++v) {
      if (removed[v] != 0) continue;
      const int64_t d = live_degree(v, removed);
      if (d > best_degree) best = v, best_degree = d;
    }
    if (best_degree == 0) {
      out = removed;
      return true;
    }
    assert(best_degree <= k);  // reduce() left out every node with more
    std::vector<uint8_t> without = removed;
    without[best] = 1;
    const std::optional<bool> a = search(without, k - 1, out);
    if (!a.has_value() || *a) return a;
    for (uint32_t w : conflicts_[best]) removed[w] = 1;
    return search(removed, k - best_degree, out);
  }

  const std::vector<std::vector<uint32_t>>& conflicts_;
  int64_t budget_;
};

}  // namespace

void Connectivity::begin(const sim::TraceInfo& info) {
  nodes_.assign(info.node_ids.size(), NodeStatus{});
  blocked_.clear();
  election_nodes_.clear();
  for (NodeIndex i = 0; i < info.node_ids.size(); ++i) {
    if (info.can_claim(i, kLeaderClaim)) {
      election_nodes_.push_back(i);
    }
  }
}

void Connectivity::on_event(const sim::Event& e) {
  switch (e.kind) {
    case sim::Kind::fault_crash:
      if (e.node != sim::kNoNode) node_slot(nodes_, e.node) = NodeStatus{true, 0};
      return;
    case sim::Kind::fault_restart:
      if (e.node != sim::kNoNode) node_slot(nodes_, e.node) = NodeStatus{false, 0};
      return;
    case sim::Kind::fault_pause:
      if (e.node != sim::kNoNode) ++node_slot(nodes_, e.node).paused;
      return;
    case sim::Kind::fault_resume:
      if (e.node != sim::kNoNode) {
        NodeStatus& s = node_slot(nodes_, e.node);
        if (s.paused > 0) --s.paused;
      }
      return;
    case sim::Kind::net_link_down:
    case sim::Kind::net_link_up: {
      const std::optional<int64_t> from = e.get(sim::Key::from);
      const std::optional<int64_t> to = e.get(sim::Key::to);
      if (!from.has_value() || !to.has_value()) return;
      const std::pair<NodeIndex, NodeIndex> link{static_cast<NodeIndex>(*from),
                                                 static_cast<NodeIndex>(*to)};
      if (e.kind == sim::Kind::net_link_down) blocked_.insert(link);
      if (e.kind == sim::Kind::net_link_up) blocked_.erase(link);
      return;
    }
    default:
      return;
  }
}

bool Connectivity::crashed(NodeIndex node) const {
  return node < nodes_.size() && nodes_[node].crashed;
}

bool Connectivity::paused(NodeIndex node) const {
  return node < nodes_.size() && nodes_[node].paused > 0;
}

std::vector<std::pair<NodeIndex, NodeIndex>> Connectivity::blocked_among_available() const {
  std::vector<std::pair<NodeIndex, NodeIndex>> out;
  for (const auto& [from, to] : blocked_) {
    const bool from_counts =
        std::binary_search(election_nodes_.begin(), election_nodes_.end(), from);
    const bool to_counts = std::binary_search(election_nodes_.begin(), election_nodes_.end(), to);
    if (from_counts && to_counts && available(from) && available(to)) out.push_back({from, to});
  }
  return out;
}

bool Connectivity::reaches_majority(NodeIndex node) const {
  size_t reached = 0;
  for (NodeIndex other : election_nodes_) {
    if (!available(other)) continue;
    if (other == node || (!blocked(node, other) && !blocked(other, node))) ++reached;
  }
  return reached >= majority();
}

MajorityFinding Connectivity::find_connected_majority(int64_t budget) const {
  MajorityFinding finding;
  std::vector<NodeIndex> avail;
  for (NodeIndex n : election_nodes_) {
    if (available(n)) avail.push_back(n);
  }
  if (election_nodes_.empty() || avail.size() < majority()) return finding;
  // Conflicts between available nodes, by position in `avail` (ascending, so binary search).
  std::vector<std::vector<uint32_t>> conflicts(avail.size());
  for (const auto& [from, to] : blocked_among_available()) {
    const auto a =
        static_cast<uint32_t>(std::lower_bound(avail.begin(), avail.end(), from) - avail.begin());
    const auto b =
        static_cast<uint32_t>(std::lower_bound(avail.begin(), avail.end(), to) - avail.begin());
    assert(a < avail.size() && b < avail.size());
    if (a == b) continue;
    conflicts[a].push_back(b);
    conflicts[b].push_back(a);
  }
  for (std::vector<uint32_t>& c : conflicts) {
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
  }
  std::vector<uint8_t> left_out;
  const int64_t k = static_cast<int64_t>(avail.size() - majority());
  const std::optional<bool> ok = CoverSearch(conflicts, budget).run(k, left_out);
  finding.decided = ok.has_value();
  finding.found = ok.value_or(false);
  if (!finding.found) return finding;
  for (size_t i = 0; i < avail.size(); ++i) {
    if (left_out[i] == 0) finding.members.push_back(avail[i]);
  }
  assert(finding.members.size() >= majority());
  return finding;
}

}  // namespace lockstep::checkers::detail
