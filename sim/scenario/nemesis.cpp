// A nemesis expanded into concrete faults for one seed, from its own PRNG stream. The draws for
// the round-1 kinds (partition, crash, pause, clock_step, isolate, cut) and node targets are made
// exactly as before, so existing scenarios keep their plans; the kinds added since draw after.
#include <algorithm>
#include <cassert>
#include <cmath>

#include "sim/scenario/plan_internal.hpp"

namespace lockstep::sim::plan_detail {
namespace {

// A random split of `pool` into two non-empty groups (pool has at least two nodes).
std::vector<std::vector<NodeIndex>> random_split(std::vector<NodeIndex> pool, Rng& rng) {
  assert(pool.size() >= 2);
  // Fisher-Yates with our own draws, then cut at a random point in [1, n-1].
  for (size_t i = pool.size() - 1; i > 0; --i) {
    std::swap(pool[i], pool[rng.below(i + 1)]);
  }
  const size_t cut = 1 + rng.below(pool.size() - 1);
  std::vector<NodeIndex> a(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(cut));
  std::vector<NodeIndex> b(pool.begin() + static_cast<std::ptrdiff_t>(cut), pool.end());
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return {a, b};
}

// Two disjoint non-empty groups that cannot reach each other, with at least one node left out
// that reaches both (the Cloudflare 2020 shape); with two nodes it is a plain partition.
std::vector<std::vector<NodeIndex>> partial_split(size_t n, Rng& rng) {
  std::vector<NodeIndex> pool;
  for (NodeIndex i = 0; i < n; ++i) pool.push_back(i);
  for (size_t i = pool.size() - 1; i > 0; --i) std::swap(pool[i], pool[rng.below(i + 1)]);
  const size_t a = n >= 3 ? 1 + rng.below(n - 2) : 1;
  const size_t b = n >= 3 ? 1 + rng.below(n - 1 - a) : 1;
  std::vector<NodeIndex> x(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(a));
  std::vector<NodeIndex> y(pool.begin() + static_cast<std::ptrdiff_t>(a),
                           pool.begin() + static_cast<std::ptrdiff_t>(a + b));
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  return {x, y};
}

// The concrete nodes among the targets, or every node when none is concrete.
std::vector<NodeIndex> node_pool(const NemesisSpec& n, size_t nodes) {
  std::vector<NodeIndex> out;
  for (const Target& t : n.targets) {
    if (t.role.empty()) out.push_back(t.node);
  }
  if (out.empty()) {
    for (NodeIndex i = 0; i < nodes; ++i) out.push_back(i);
  }
  return out;
}

// A directed link from `from` to another concrete node (none when there is no other).
std::vector<std::pair<NodeIndex, NodeIndex>> random_link(const std::vector<NodeIndex>& pool,
                                                         NodeIndex from, Rng& rng) {
  std::vector<NodeIndex> others;
  for (NodeIndex n : pool) {
    if (n != from) others.push_back(n);
  }
  if (others.empty()) return {};
  return {{from, others[rng.below(others.size())]}};
}

void shape(PlannedFault& f, const NemesisSpec& n, const Scenario& s, Rng& rng,
           const std::vector<NodeIndex>& nodes) {
  switch (f.type) {
    case FaultType::partition: {
      std::vector<NodeIndex> all;
      for (NodeIndex i = 0; i < s.nodes.size(); ++i) all.push_back(i);
      if (all.size() < 2) break;
      f.groups = random_split(all, rng);
      f.target = {};
      break;
    }
    case FaultType::cut: {
      if (!f.target.role.empty()) f.target = Target{nodes[rng.below(nodes.size())], ""};
      f.links = random_link(nodes, f.target.node, rng);
      f.target = {};
      break;
    }
    case FaultType::clock_step:
      f.by = Duration{n.step_ns.sample_int(rng)};
      f.length.reset();
      break;
    case FaultType::partial_partition:
      if (s.nodes.size() >= 2) f.groups = partial_split(s.nodes.size(), rng);
      f.target = {};
      break;
    case FaultType::clock_rate:
      f.to_ppb = std::llround(n.rate_ppm.sample(rng) * 1000.0);
      break;
    case FaultType::link: {
      if (!f.target.role.empty()) f.target = Target{nodes[rng.below(nodes.size())], ""};
      f.links = random_link(nodes, f.target.node, rng);
      Distribution slow = s.network.latency_ns;
      slow.a *= n.slow_factor;
      slow.b *= n.slow_factor;
      slow.max = std::max(slow.max, slow.max * n.slow_factor);
      f.change.latency_ns = slow;
      f.target = {};
      break;
    }
    default:
      break;
  }
}

}  // namespace

void expand_nemesis(const NemesisSpec& n, const Scenario& s, Rng& rng,
                    std::vector<PlannedFault>& out) {
  std::vector<Target> pool = n.targets;
  if (pool.empty()) {
    for (NodeIndex i = 0; i < s.nodes.size(); ++i) pool.push_back(Target{i, ""});
  }
  const std::vector<NodeIndex> nodes = node_pool(n, s.nodes.size());
  assert(!n.kinds.empty());
  Instant t = n.from + Duration{std::max<int64_t>(1, n.every_ns.sample_int(rng))};
  // A limit on everything: a nemesis cannot flood a run.
  for (int produced = 0; t < n.until && produced < 100'000; ++produced) {
    PlannedFault f{};
    f.type = n.kinds[rng.below(n.kinds.size())];
    f.at = t;
    f.from_nemesis = true;
    f.length = Duration{std::max<int64_t>(0, n.length_ns.sample_int(rng))};
    f.target = pool[rng.below(pool.size())];
    shape(f, n, s, rng, nodes);
    out.push_back(std::move(f));
    t += Duration{std::max<int64_t>(1, n.every_ns.sample_int(rng))};
  }
}

}  // namespace lockstep::sim::plan_detail
